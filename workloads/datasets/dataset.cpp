#include "workloads/datasets/dataset.hpp"

#include <filesystem>

#include "workloads/datasets/cifar10.hpp"
#include "workloads/datasets/fashion_mnist.hpp"
#include "workloads/base/error.hpp"

namespace tessera::data {

std::vector<std::string> dataset_names() { return {"fashion-mnist", "cifar10", "idx"}; }

ImageSet load_dataset(const std::string& name, Split split, const std::string& dir) {
  namespace fs = std::filesystem;
  if (name == "fashion-mnist") return load_fashion_mnist(split, dir.empty() ? kFashionMnistDir : dir);
  if (name != "cifar10" && name != "idx")
    throw InputError({"--dataset", 0, 0}, "", "unknown data set '" + name + "'; allowed: fashion-mnist, cifar10, idx");
  if (dir.empty())
    throw InputError({"--dataset", 0, 0}, "", "data set '" + name + "' has no default location; give --data-dir");
  if (name == "cifar10") return load_cifar10(split, dir);
  const std::string prefix = split == Split::Train ? "train" : "t10k";
  auto file = [&](const std::string& stem) {
    const fs::path gz = fs::path(dir) / (stem + ".gz");
    return fs::is_regular_file(gz) ? gz.string() : (fs::path(dir) / stem).string();
  };
  return load_idx_pair(file(prefix + "-images-idx3-ubyte"), file(prefix + "-labels-idx1-ubyte"), 10,
                       "idx/" + std::string(to_string(split)));
}

}  // namespace tessera::data

#include "workloads/datasets/fashion_mnist.hpp"

#include <filesystem>

#include "workloads/datasets/idx.hpp"

namespace tessera::data {

namespace {

// The file with or without the .gz suffix, preferring the compressed one.
std::string locate(const std::string& dir, const std::string& stem) {
  namespace fs = std::filesystem;
  fs::path gz = fs::path(dir) / (stem + ".gz");
  if (fs::is_regular_file(gz)) return gz.string();
  fs::path plain = fs::path(dir) / stem;
  if (fs::is_regular_file(plain)) return plain.string();
  throw InputError({gz.string(), 0, 0}, "",
                   "cannot open file: neither " + gz.filename().string() + " nor " + stem + " exists in '" + dir +
                       "' (install dataset-fashion-mnist or pass the data directory)");
}

}  // namespace

ImageSet load_idx_pair(const std::string& images_path, const std::string& labels_path, int classes,
                       const std::string& name) {
  IdxArray im = read_idx(images_path);
  IdxArray lb = read_idx(labels_path);
  if (im.dims.size() != 3)
    throw InputError({images_path, 0, 0}, "dims", std::to_string(im.dims.size()) +
                                                      " dimensions; an image file has 3 (count, rows, columns)");
  if (lb.dims.size() != 1)
    throw InputError({labels_path, 0, 0}, "dims", std::to_string(lb.dims.size()) + " dimensions; a label file has 1 (count)");
  if (im.dims[0] != lb.dims[0])
    throw InputError({labels_path, 0, 0}, "dims", std::to_string(lb.dims[0]) + " labels for " +
                                                      std::to_string(im.dims[0]) + " images in " + images_path);
  for (size_t i = 0; i < lb.data.size(); ++i)
    if (lb.data[i] >= classes)
      throw InputError({labels_path, 0, 0}, "label", "label " + std::to_string(lb.data[i]) + " of image " + std::to_string(i) +
                                                         " (byte " + std::to_string(8 + i) + ") is out of range; allowed: 0 to " +
                                                         std::to_string(classes - 1));
  ImageSet s;
  s.name = name;
  s.count = im.dims[0];
  s.channels = 1;
  s.height = int(im.dims[1]);
  s.width = int(im.dims[2]);
  s.classes = classes;
  s.images = std::move(im.data);
  s.labels = std::move(lb.data);
  return s;
}

ImageSet load_fashion_mnist(Split split, const std::string& dir) {
  const std::string prefix = split == Split::Train ? "train" : "t10k";
  const std::string images = locate(dir, prefix + "-images-idx3-ubyte");
  const std::string labels = locate(dir, prefix + "-labels-idx1-ubyte");
  ImageSet s = load_idx_pair(images, labels, 10, std::string("fashion-mnist/") + to_string(split));
  if (s.height != 28 || s.width != 28)
    throw InputError({images, 0, 0}, "dims", "images are " + std::to_string(s.height) + "x" + std::to_string(s.width) +
                                                 "; Fashion-MNIST images are 28x28");
  return s;
}

}  // namespace tessera::data

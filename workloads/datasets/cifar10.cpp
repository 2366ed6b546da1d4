#include "workloads/datasets/cifar10.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "workloads/base/error.hpp"

namespace tessera::data {

ImageSet read_cifar10_batch(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!std::filesystem::is_regular_file(path) || !in) throw InputError({path, 0, 0}, "", "cannot open file: no such file");
  std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t rec = kCifar10RecordBytes;
  if (b.empty()) throw InputError({path, 0, 0}, "", "file is empty; expected 3073-byte records");
  if (b.size() % rec != 0)
    throw InputError({path, 0, 0}, "record", "truncated: " + std::to_string(b.size()) + " bytes is not a whole number of 3073-byte records; record " +
                                                 std::to_string(b.size() / rec) + " starting at byte " +
                                                 std::to_string(b.size() / rec * rec) + " is incomplete");
  ImageSet s;
  s.name = std::filesystem::path(path).filename().string();
  s.count = int64_t(b.size() / rec);
  s.channels = 3;
  s.height = s.width = 32;
  s.classes = 10;
  s.labels.resize(size_t(s.count));
  s.images.resize(size_t(s.count) * (rec - 1));
  for (size_t r = 0; r < size_t(s.count); ++r) {
    const uint8_t* p = b.data() + r * rec;
    if (p[0] >= s.classes)
      throw InputError({path, 0, 0}, "label", "label " + std::to_string(p[0]) + " of record " + std::to_string(r) + " (byte " +
                                                  std::to_string(r * rec) + ") is out of range; allowed: 0 to 9");
    s.labels[r] = p[0];
    std::copy(p + 1, p + rec, s.images.begin() + std::ptrdiff_t(r * (rec - 1)));
  }
  return s;
}

ImageSet load_cifar10(Split split, const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  if (split == Split::Test) files.push_back("test_batch.bin");
  else
    for (int i = 1; i <= 5; ++i) files.push_back("data_batch_" + std::to_string(i) + ".bin");
  ImageSet all;
  all.name = std::string("cifar10/") + to_string(split);
  for (const auto& f : files) all.append(read_cifar10_batch((fs::path(dir) / f).string()));
  return all;
}

}  // namespace tessera::data

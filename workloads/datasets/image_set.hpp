// A labelled image data set held in memory: uint8 pixels, channels x height x
// width per image in C order, one uint8 label per image.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::data {

enum class Split { Train, Test };
const char* to_string(Split s);

struct ImageSet {
  std::string name;  // e.g. "fashion-mnist/test"
  int64_t count = 0;
  int channels = 0, height = 0, width = 0;
  int classes = 0;
  std::vector<uint8_t> images;  // count * channels * height * width
  std::vector<uint8_t> labels;  // count, each < classes

  int64_t image_size() const { return int64_t(channels) * height * width; }
  const uint8_t* image(int64_t i) const { return images.data() + i * image_size(); }
  // Appends another set of the same geometry (CIFAR-10's five training batches).
  void append(const ImageSet& other);
  // Keeps the first n images (all when n is 0 or at least count): training on a budget.
  void keep_first(int64_t n);
};

}  // namespace tessera::data

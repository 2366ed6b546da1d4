#include "workloads/datasets/image_set.hpp"

#include <stdexcept>

namespace tessera::data {

const char* to_string(Split s) { return s == Split::Train ? "train" : "test"; }

void ImageSet::append(const ImageSet& o) {
  if (count == 0 && images.empty()) {
    channels = o.channels, height = o.height, width = o.width, classes = o.classes;
  }
  if (o.channels != channels || o.height != height || o.width != width || o.classes != classes)
    throw std::logic_error("ImageSet::append: '" + o.name + "' differs in geometry from '" + name + "'");
  images.insert(images.end(), o.images.begin(), o.images.end());
  labels.insert(labels.end(), o.labels.begin(), o.labels.end());
  count += o.count;
}

void ImageSet::keep_first(int64_t n) {
  if (n <= 0 || n >= count) return;
  count = n;
  images.resize(size_t(n * image_size()));
  labels.resize(size_t(n));
}

}  // namespace tessera::data

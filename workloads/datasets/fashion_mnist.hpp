// Fashion-MNIST (Xiao et al. 2017): 28x28 grey images of 10 clothing classes,
// 60 000 for training and 10 000 for testing, as four IDX files (gzip or plain).
#pragma once

#include <string>

#include "workloads/datasets/image_set.hpp"

namespace tessera::data {

// Where Debian's dataset-fashion-mnist package puts the files.
constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// Reads <dir>/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]. Checks the
// geometry (N x 28 x 28 images, N labels) and every label (< 10).
ImageSet load_fashion_mnist(Split split, const std::string& dir = kFashionMnistDir);
// Reads one image file and one label file as a data set of 10 classes.
ImageSet load_idx_pair(const std::string& images_path, const std::string& labels_path, int classes,
                       const std::string& name);

}  // namespace tessera::data

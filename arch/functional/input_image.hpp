// The image the functional mode runs: real values channels x height x width.
// A uint8 image (a data set's pixels, or a |u1 .npy) means pixel / 255; a
// float .npy is taken as it is. Without a file, a seeded random uint8 image.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arch/functional/tensor.hpp"
#include "workloads/datasets/image_set.hpp"

namespace tessera::functional {

struct InputImage {
  Tensor real;            // the network's input, shaped like Network::input
  bool from_uint8 = false; // pixels: real = pixel / 255 exactly
  std::string source;     // file name or a description, for reports

  bool has_negative() const;
  double max_abs() const;
};

// Real value of one step of a uint8 image.
constexpr double kPixelScale = 1.0 / 255.0;

// Reads a .npy image of shape (C, H, W) equal to `expected` (|u1, <f4 or <f8,
// finite values); anything else is an InputError naming the file.
InputImage read_input(const std::string& path, const Shape& expected);
// An image from uint8 pixels in C order (a data set's image).
InputImage image_from_pixels(const uint8_t* pixels, const Shape& shape, const std::string& source);
// The first min(n, count) images of a data set (ADC calibration).
std::vector<InputImage> first_images(const data::ImageSet& set, int64_t n, const Shape& shape);
// Pixels drawn uniformly from 0..255 with a seeded stream.
InputImage random_input(const Shape& shape, uint64_t seed);

}  // namespace tessera::functional

#include "arch/functional/input_image.hpp"

#include <algorithm>
#include <cmath>

#include "arch/device/rng.hpp"
#include "workloads/io/npy.hpp"

namespace tessera::functional {

namespace {
// The random image's stream, apart from device (per array) and weight (per layer) streams.
constexpr uint64_t kImageStream = uint64_t(1) << 56;
constexpr int kPixelLevels = 256;
}  // namespace

bool InputImage::has_negative() const {
  return std::any_of(real.v.begin(), real.v.end(), [](double x) { return x < 0; });
}

double InputImage::max_abs() const {
  double m = 0;
  for (double x : real.v) m = std::max(m, std::fabs(x));
  return m;
}

InputImage image_from_pixels(const uint8_t* pixels, const Shape& shape, const std::string& source) {
  InputImage im;
  im.real = Tensor(shape);
  for (size_t i = 0; i < im.real.v.size(); ++i) im.real.v[i] = double(pixels[i]) * kPixelScale;
  im.from_uint8 = true;
  im.source = source;
  return im;
}

InputImage read_input(const std::string& path, const Shape& expected) {
  io::NpyArray a = io::read_npy(path);
  const std::vector<int64_t> want = {expected.c, expected.h, expected.w};
  if (a.shape != want)
    throw InputError({path, 0, 0}, "--input",
                     "array shape " + io::shape_str(a.shape) + " does not match the network's input; allowed: " +
                         io::shape_str(want) + " (channels, height, width)");
  if (a.type == io::NpyType::Uint8) {
    std::vector<int64_t> px = a.to_integers();
    std::vector<uint8_t> p(px.begin(), px.end());
    return image_from_pixels(p.data(), expected, path);
  }
  if (a.type != io::NpyType::Float32 && a.type != io::NpyType::Float64)
    throw InputError({path, 0, 0}, "--input",
                     std::string("dtype ") + io::npy_descr(a.type) + " is not allowed; allowed: |u1 (pixels), <f4, <f8");
  InputImage im;
  im.real = Tensor(expected);
  im.real.v = a.to_doubles();
  for (size_t i = 0; i < im.real.v.size(); ++i)
    if (!std::isfinite(im.real.v[i]))
      throw InputError({path, 0, 0}, "--input", "element " + std::to_string(i) + " is not finite; allowed: finite values");
  im.source = path;
  return im;
}

InputImage random_input(const Shape& shape, uint64_t seed) {
  device::Rng rng = device::Rng::stream(seed, kImageStream);
  std::vector<uint8_t> p(size_t(shape.size()));
  for (auto& x : p) x = uint8_t(rng.bits() % kPixelLevels);
  return image_from_pixels(p.data(), shape, "random uint8 image (seed " + std::to_string(seed) + ")");
}

std::vector<InputImage> first_images(const data::ImageSet& set, int64_t n, const Shape& shape) {
  std::vector<InputImage> v;
  for (int64_t i = 0; i < std::min(n, set.count); ++i)
    v.push_back(image_from_pixels(set.image(i), shape, set.name + "[" + std::to_string(i) + "]"));
  return v;
}

}  // namespace tessera::functional

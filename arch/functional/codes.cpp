#include "arch/functional/codes.hpp"

#include <algorithm>
#include <cmath>

namespace tessera::functional {

int64_t ActivationCoding::code(double real) const {
  // Round half away from zero, then clamp to the DAC's range.
  const double q = std::round(real / scale) + double(offset());
  return int64_t(std::clamp(q, 0.0, double(max_code())));
}

int64_t ActivationCoding::steps() const {
  return is_signed ? std::max<int64_t>(1, (int64_t(1) << (bits - 1)) - 1) : max_code();
}

double ActivationCoding::calibrated_scale(double max_abs) const {
  return max_abs > 0 ? max_abs / double(steps()) : 1.0;
}

void quantize_rows(const ActivationCoding& coding, const Tensor& real, int64_t y0, int64_t y1, std::vector<int64_t>& codes) {
  for (int64_t c = 0; c < real.shape.c; ++c)
    for (int64_t y = y0; y < y1; ++y)
      for (int64_t x = 0; x < real.shape.w; ++x) {
        const int64_t i = real.index(c, y, x);
        codes[size_t(i)] = coding.code(real.v[size_t(i)]);
      }
}

}  // namespace tessera::functional

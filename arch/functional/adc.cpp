#include "arch/functional/adc.hpp"

#include <algorithm>
#include <cmath>

namespace tessera::functional {

double AdcTransfer::convert(double s) const {
  return std::clamp(std::floor(s / step + 0.5), min_code, max_code) * step;
}

AdcTransfer AdcTransfer::symmetric(int bits, double bound) {
  const double top = std::ldexp(1.0, bits - 1) - 1;
  return {bound / top, -top, top};
}

Adc Adc::for_array(int used_rows, int dac_bits, int cell_bits, int adc_bits) {
  Adc a;
  a.bits = adc_bits;
  a.full_scale = int64_t(used_rows) * ((int64_t(1) << dac_bits) - 1) * ((int64_t(1) << cell_bits) - 1);
  return a.with_range(a.full_scale);
}

Adc Adc::with_range(int64_t r) const {
  Adc a = *this;
  a.range = std::clamp<int64_t>(r, 1, std::max<int64_t>(full_scale, 1));
  // Smallest k >= 0 with 2^adc_bits * 2^k >= range + 1, in integers.
  a.step_log2 = 0;
  while ((int64_t(1) << (bits + a.step_log2)) < a.range + 1) ++a.step_log2;
  return a;
}

}  // namespace tessera::functional

#include "arch/functional/adc.hpp"

#include <algorithm>
#include <cmath>

namespace tessera::functional {

Adc Adc::for_array(int used_rows, int dac_bits, int cell_bits, int adc_bits) {
  Adc a;
  a.bits = adc_bits;
  a.full_scale = int64_t(used_rows) * ((int64_t(1) << dac_bits) - 1) * ((int64_t(1) << cell_bits) - 1);
  // Smallest k >= 0 with 2^adc_bits * 2^k >= FS + 1, in integers.
  while ((int64_t(1) << (adc_bits + a.step_log2)) < a.full_scale + 1) ++a.step_log2;
  return a;
}

int64_t Adc::convert(double s) const {
  const double code = std::floor(s / double(step()) + 0.5);  // round half up
  return int64_t(std::clamp(code, 0.0, double(max_code()))) * step();
}

}  // namespace tessera::functional

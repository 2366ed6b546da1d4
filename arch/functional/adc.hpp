// The column ADC of an array (docs/functional-model.md): full scale
// FS = used_rows * (2^dac_bits - 1) * (2^b - 1), the largest sum the column can
// carry; step 2^k with k = max(0, ceil(log2((FS + 1) / 2^adc_bits))), the
// smallest power of two for which the ADC's codes cover 0..FS;
// code = clamp(round(S / step), 0, 2^adc_bits - 1); value = code * step.
// With k = 0 an integer sum is converted exactly.
#pragma once

#include <cstdint>

namespace tessera::functional {

struct Adc {
  int bits = 8;
  int64_t full_scale = 0;
  int step_log2 = 0;  // k

  static Adc for_array(int used_rows, int dac_bits, int cell_bits, int adc_bits);
  int64_t step() const { return int64_t(1) << step_log2; }
  int64_t max_code() const { return (int64_t(1) << bits) - 1; }
  // The digital value of an analog column sum S (in digit x input units).
  int64_t convert(double s) const;
};

}  // namespace tessera::functional

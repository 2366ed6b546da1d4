// The ADC's transfer function, in one place for the functional datapath, the
// chip evaluation (nas/chip_eval.cpp, through nas/adc_tensor.hpp on the same
// objects) and hardware-aware training (nas/analog_mvm.cpp):
//   code = clamp(floor(s / step + 0.5), min_code, max_code);  value = code * step
// (round half up). Range and cost are elsewhere: arch/components/adc_range.hpp
// says which sums the codes cover, the converter's cost model what a
// conversion costs.
//
// A crossbar column's ADC (docs/functional-model.md): the worst-case sum is
// FS = used_rows * (2^dac_bits - 1) * (2^b - 1); for a range R <= FS (FS
// itself, a clipped or a calibrated range) the step is 2^k with
// k = max(0, ceil(log2((R + 1) / 2^adc_bits))), the smallest power of two for
// which the unsigned codes cover 0..R. With k = 0 an integer sum is
// converted exactly; sums above the range clip at the top code.
#pragma once

#include <cstdint>

namespace tessera::functional {

struct AdcTransfer {
  double step = 1;
  double min_code = 0, max_code = 255;

  double convert(double s) const;
  // A differential output centred on zero (AIHWKit's ADC): codes
  // -(2^(b-1) - 1) .. 2^(b-1) - 1 over [-bound, bound], step 2 bound / (2^b - 2).
  static AdcTransfer symmetric(int bits, double bound);
};

struct Adc {
  int bits = 8;
  int64_t full_scale = 0;  // the worst-case sum of the column
  int64_t range = 0;       // the sums the codes cover (<= full_scale)
  int step_log2 = 0;       // k

  static Adc for_array(int used_rows, int dac_bits, int cell_bits, int adc_bits);
  // The same converter covering 0..range (clamped to [1, full_scale]).
  Adc with_range(int64_t range) const;
  int64_t step() const { return int64_t(1) << step_log2; }
  int64_t max_code() const { return (int64_t(1) << bits) - 1; }
  AdcTransfer transfer() const { return {double(step()), 0.0, double(max_code())}; }
  // The digital value of an analog column sum S (in digit x input units).
  int64_t convert(double s) const { return int64_t(transfer().convert(s)); }
};

}  // namespace tessera::functional

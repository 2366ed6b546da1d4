// Activation codes: how a real value becomes the unsigned integer that a
// weight layer's DACs apply, and back. One definition for the integer
// reference and the hardware datapath.
//
// Unsigned input (after ReLU): code = clamp(round(real / s), 0, 2^A - 1).
// Signed input: the code carries an offset of 2^(A-1) that is removed
// digitally after the MACs: code = clamp(round(real / s) + 2^(A-1), 0, 2^A - 1),
// so zero (and padding) is the code 2^(A-1).
#pragma once

#include <cstdint>
#include <vector>

#include "arch/functional/tensor.hpp"

namespace tessera::functional {

struct ActivationCoding {
  int bits = 8;           // A: the consuming layer's activation_bits
  bool is_signed = false; // the input can be negative: offset by 2^(A-1)
  double scale = 0;       // s: real value of one code step

  int64_t max_code() const { return (int64_t(1) << bits) - 1; }
  int64_t offset() const { return is_signed ? int64_t(1) << (bits - 1) : 0; }
  // The code of a real value, and the code of zero (applied to padding).
  int64_t code(double real) const;
  int64_t zero_code() const { return offset(); }
  // Largest magnitude a code can represent in steps: 2^A - 1 unsigned, 2^(A-1) - 1 signed (at least 1).
  int64_t steps() const;
  // Calibration: the scale that maps `max_abs` (the largest |real| seen) onto
  // the top code; 1 when everything is zero.
  double calibrated_scale(double max_abs) const;
};

// Codes of rows [y0, y1) of `real` (all channels) into `codes` (shaped like `real`).
void quantize_rows(const ActivationCoding& coding, const Tensor& real, int64_t y0, int64_t y1, std::vector<int64_t>& codes);

}  // namespace tessera::functional

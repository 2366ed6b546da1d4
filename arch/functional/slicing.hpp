// How values are cut into what a crossbar holds and what its DACs apply.
//
// Weights: a signed code q of B bits is stored unsigned, per
// mapping.signed_weights:
//   offset        u = q + 2^(B-1) in one set of columns; the array's reference
//                 column (every cell at the top level) gives the input sum,
//                 and 2^(B-1) * sum(x) is subtracted digitally;
//   differential  q+ = max(q, 0) and q- = max(-q, 0) in a column pair per
//                 slice; the two are subtracted after the ADC.
// The stored value is cut into ceil(B / b) digits of b = bits_per_cell bits,
// LSB first; digit s of logical weight w sits in column
//   offset:       w * slices + s
//   differential: w * 2 * slices + 2 s (q+) and + 1 (q-)
// and the reference column follows the last weight.
//
// Inputs: a code x of A bits is applied in ceil(A / dac_bits) input cycles of
// dac_bits bits, LSB first.
#pragma once

#include <cstdint>
#include <string>

namespace tessera::functional {

enum class SignedEncoding { Offset, Differential };
SignedEncoding signed_encoding(const std::string& mapping_signed_weights);

struct WeightSlicing {
  int weight_bits = 8;   // B
  int cell_bits = 2;     // b
  SignedEncoding encoding = SignedEncoding::Offset;

  int slices() const { return (weight_bits + cell_bits - 1) / cell_bits; }
  int cols_per_weight() const { return slices() * (encoding == SignedEncoding::Differential ? 2 : 1); }
  int64_t top_digit() const { return (int64_t(1) << cell_bits) - 1; }
  // The offset added to every weight (offset encoding), else 0.
  int64_t offset() const { return encoding == SignedEncoding::Offset ? int64_t(1) << (weight_bits - 1) : 0; }
  // Stored unsigned value of a weight code: u (offset), q+ or q- (differential).
  int64_t stored(int64_t q, bool negative_column) const;
  int64_t digit(int64_t stored_value, int slice) const { return (stored_value >> (slice * cell_bits)) & top_digit(); }
  int column(int64_t weight, int slice, bool negative_column) const;
  // Bit position of a slice's digit in the weight.
  int shift(int slice) const { return slice * cell_bits; }
};

struct InputSlicing {
  int activation_bits = 8;  // A
  int dac_bits = 1;

  int cycles() const { return (activation_bits + dac_bits - 1) / dac_bits; }
  int64_t top() const { return (int64_t(1) << dac_bits) - 1; }
  int64_t digit(int64_t code, int cycle) const { return (code >> (cycle * dac_bits)) & top(); }
  int shift(int cycle) const { return cycle * dac_bits; }
};

}  // namespace tessera::functional

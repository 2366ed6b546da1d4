// Ternary weight quantisation (TWN, Li and Liu 2016) and uniform unsigned
// activation quantisation: the number formats of the associative-processor
// path (the AP compiler folds ternary weights into add/subtract lists) and,
// later, of quantisation-aware training.
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/io/toml_reader.hpp"

namespace tessera::quant {

// Dimensions of a weight tensor laid out [Cout][Cin/groups][Kh][Kw]
// (a linear layer is [out][in][1][1]).
struct WeightDims {
  int64_t cout = 0, cin = 0, kh = 1, kw = 1;  // cin: input channels per group
  int64_t per_output() const { return cin * kh * kw; }
  int64_t size() const { return cout * per_output(); }
};

struct TernaryParams {
  double threshold_factor = 0;  // D = factor * mean|w|
  bool per_channel = false;     // one D and alpha per output channel

  // Keys: threshold_factor, per_channel. Unknown keys are rejected.
  static TernaryParams read(const io::Section& s);
  static TernaryParams defaults();
};

struct TernaryWeights {
  WeightDims dims;
  bool per_channel = false;
  std::vector<int8_t> values;    // in {-1, 0, +1}, same layout as the float tensor
  std::vector<float> threshold;  // D: one entry, or one per output channel
  std::vector<float> alpha;      // scale: one entry, or one per output channel

  int8_t at(int64_t o, int64_t c, int64_t y, int64_t x) const {
    return values[((o * dims.cin + c) * dims.kh + y) * dims.kw + x];
  }
  float alpha_of(int64_t o) const { return alpha.size() == 1 ? alpha[0] : alpha[o]; }
  float threshold_of(int64_t o) const { return threshold.size() == 1 ? threshold[0] : threshold[o]; }
  int64_t count(int8_t v) const;  // how many weights equal v
};

// w_t = +1 if w > D, -1 if w < -D, else 0; alpha = mean |w| over |w| > D
// (0 when no weight exceeds D). A tensor whose size disagrees with dims is an
// InputError.
TernaryWeights ternarize(const std::vector<float>& w, const WeightDims& dims,
                         const TernaryParams& p);

struct ActivationQuantParams {
  int bits = 0;         // k: codes 0 .. 2^k - 1
  double clip_max = 0;  // upper end of the range; 0 = the largest value seen (fit)

  // Keys: bits, clip_max.
  static ActivationQuantParams read(const io::Section& s);
  static ActivationQuantParams defaults();
};

// Uniform unsigned quantiser on [0, max]: code = round(x / step), clamped to
// [0, 2^k - 1], step = max / (2^k - 1). Negative inputs give code 0 (the
// activations follow a ReLU).
class UniformQuantizer {
 public:
  UniformQuantizer(int bits, double max);
  // max from the data when p.clip_max is 0 (a data set of zeros gets max 1).
  static UniformQuantizer fit(const std::vector<float>& x, const ActivationQuantParams& p);

  int bits() const { return bits_; }
  int32_t levels() const { return levels_; }  // 2^k - 1, the largest code
  double step() const { return step_; }
  int32_t code(double x) const;
  double value(int32_t code) const { return code * step_; }
  std::vector<int32_t> codes(const std::vector<float>& x) const;

 private:
  int bits_;
  int32_t levels_;
  double step_;
};

}  // namespace tessera::quant

#include "workloads/quant/ternary.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace tessera::quant {

TernaryParams TernaryParams::read(const io::Section& s) {
  TernaryParams p;
  // Li and Liu 2016 (TWN): D = 0.7 * mean|w| over the whole layer; their
  // released code uses 0.75 per output channel.
  p.threshold_factor = s.number("threshold_factor", "ternary threshold D as a multiple of mean|w|",
                                0.7, 0.0, 100.0);
  p.per_channel = s.boolean("per_channel", "one threshold and scale per output channel", false);
  s.finish();
  return p;
}

TernaryParams TernaryParams::defaults() {
  return read(io::Document::from_string("", "<ternary defaults>").root());
}

int64_t TernaryWeights::count(int8_t v) const {
  return std::count(values.begin(), values.end(), v);
}

TernaryWeights ternarize(const std::vector<float>& w, const WeightDims& dims,
                         const TernaryParams& p) {
  if (dims.cout <= 0 || dims.cin <= 0 || dims.kh <= 0 || dims.kw <= 0)
    throw InputError({}, "weights", "weight dimensions must be positive");
  if (int64_t(w.size()) != dims.size())
    throw InputError({}, "weights",
                     "tensor has " + std::to_string(w.size()) + " values; [Cout][Cin][Kh][Kw] = " +
                         std::to_string(dims.size()));
  TernaryWeights t;
  t.dims = dims;
  t.per_channel = p.per_channel;
  t.values.assign(w.size(), 0);
  const int64_t n = dims.per_output();
  const int64_t blocks = p.per_channel ? dims.cout : 1;
  const int64_t len = p.per_channel ? n : dims.size();
  for (int64_t b = 0; b < blocks; ++b) {
    const float* wb = w.data() + b * len;
    double sum = 0;  // double: a ResNet layer has millions of weights
    for (int64_t i = 0; i < len; ++i) {
      if (!std::isfinite(wb[i])) throw InputError({}, "weights", "non-finite weight at index " + std::to_string(b * len + i));
      sum += std::fabs(wb[i]);
    }
    const double d = p.threshold_factor * sum / double(len);
    double kept = 0;
    int64_t nkept = 0;
    int8_t* vb = t.values.data() + b * len;
    for (int64_t i = 0; i < len; ++i) {
      if (wb[i] > d) vb[i] = 1;
      else if (wb[i] < -d) vb[i] = -1;
      if (vb[i] != 0) kept += std::fabs(wb[i]), ++nkept;
    }
    t.threshold.push_back(float(d));
    t.alpha.push_back(nkept ? float(kept / double(nkept)) : 0.0f);
  }
  return t;
}

ActivationQuantParams ActivationQuantParams::read(const io::Section& s) {
  ActivationQuantParams p;
  // de Lima et al. 2024 (CAM-only inference) pair ternary weights with 4-bit activations.
  p.bits = int(s.integer("bits", "activation precision in bits (unsigned codes)", 4, 1, 16));
  p.clip_max = s.number("clip_max", "upper end of the activation range; 0 = largest value seen", 0.0,
                        0.0, 1e30);
  s.finish();
  return p;
}

ActivationQuantParams ActivationQuantParams::defaults() {
  return read(io::Document::from_string("", "<activation defaults>").root());
}

UniformQuantizer::UniformQuantizer(int bits, double max) : bits_(bits) {
  if (bits < 1 || bits > 30) throw InputError({}, "bits", "activation bits must lie in 1..30");
  if (!(max > 0) || !std::isfinite(max)) throw InputError({}, "clip_max", "range must be positive and finite");
  levels_ = (int32_t(1) << bits) - 1;
  step_ = max / levels_;
}

UniformQuantizer UniformQuantizer::fit(const std::vector<float>& x, const ActivationQuantParams& p) {
  double m = p.clip_max;
  if (m == 0) {
    for (float v : x) m = std::max(m, double(v));
    if (m == 0) m = 1;  // all zeros (or negative): any range gives codes 0
  }
  return UniformQuantizer(p.bits, m);
}

int32_t UniformQuantizer::code(double x) const {
  if (!(x > 0)) return 0;  // also NaN
  // floor(x + 0.5): ties round up, the same on every platform.
  double q = std::floor(x / step_ + 0.5);
  return q >= levels_ ? levels_ : int32_t(q);
}

std::vector<int32_t> UniformQuantizer::codes(const std::vector<float>& x) const {
  std::vector<int32_t> out(x.size());
  for (size_t i = 0; i < x.size(); ++i) out[i] = code(x[i]);
  return out;
}

}  // namespace tessera::quant

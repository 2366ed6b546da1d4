#include "workloads/quant/fold.hpp"

#include <algorithm>
#include <cmath>

namespace tessera::quant {

void fold_batchnorm(std::vector<double>& w, std::vector<double>& bias, int64_t out, const BatchNormStats& bn) {
  const int64_t per = int64_t(w.size()) / out;
  bias.resize(size_t(out), 0.0);
  for (int64_t oc = 0; oc < out; ++oc) {
    const size_t c = size_t(oc);
    const double k = bn.gamma[c] / std::sqrt(bn.var[c] + bn.eps);
    for (int64_t r = 0; r < per; ++r) w[size_t(oc * per + r)] *= k;
    bias[c] = k * (bias[c] - bn.mean[c]) + bn.beta[c];
  }
}

ChannelQuant quantize_per_channel(const std::vector<double>& w, int64_t out, int bits) {
  ChannelQuant cq;
  const int64_t per = int64_t(w.size()) / out;
  const double top = double((int64_t(1) << (bits - 1)) - 1);
  cq.q.resize(w.size());
  cq.scale.resize(size_t(out));
  for (int64_t oc = 0; oc < out; ++oc) {
    double m = 0;
    for (int64_t r = 0; r < per; ++r) m = std::max(m, std::fabs(w[size_t(oc * per + r)]));
    const double s = m > 0 ? m / top : 1.0;
    cq.scale[size_t(oc)] = s;
    for (int64_t r = 0; r < per; ++r)
      cq.q[size_t(oc * per + r)] = int32_t(std::clamp(std::round(w[size_t(oc * per + r)] / s), -top, top));
  }
  return cq;
}

}  // namespace tessera::quant

// Arithmetic of weight exports and imports (ONNX), tested by hand:
//   - batch norm folded into the preceding weight layer:
//       k = gamma / sqrt(var + eps);  w'[oc] = k[oc] w[oc];  b' = k (b - mean) + beta;
//   - the input normalisation (x - mean_c) / std_c folded into a weight layer
//     that reads the image:  w'[oc, c, .] = w / std_c;  b' = b - sum_{c,.} w mean_c / std_c
//     (exact except where the layer pads: a padded zero in normalised space
//     becomes a zero pixel);
//   - uniform symmetric quantisation per output channel:
//       s[oc] = max|w[oc]| / (2^(B-1) - 1) (1 for an all-zero channel), q = round(w / s).
// Weights are [out][per_output] in PyTorch order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tessera::quant {

struct BatchNormStats {
  std::vector<double> gamma, beta, mean, var;
  double eps = 1e-5;
};

// In place; `bias` is resized to out channels (zeros when there was none).
void fold_batchnorm(std::vector<double>& w, std::vector<double>& bias, int64_t out, const BatchNormStats& bn);

// `channel_of_row(r)` gives the input channel of row r within an output's weights.
template <class ChannelOf>
void fold_normalization(std::vector<double>& w, std::vector<double>& bias, int64_t out, const std::vector<double>& mean,
                        const std::vector<double>& stdev, ChannelOf channel_of_row) {
  const int64_t per = int64_t(w.size()) / out;
  bias.resize(size_t(out), 0.0);
  for (int64_t oc = 0; oc < out; ++oc)
    for (int64_t r = 0; r < per; ++r) {
      double& x = w[size_t(oc * per + r)];
      const size_t c = size_t(channel_of_row(r));
      bias[size_t(oc)] -= x * mean[c] / stdev[c];
      x /= stdev[c];
    }
}

struct ChannelQuant {
  std::vector<int32_t> q;
  std::vector<double> scale;  // one per output channel
};
ChannelQuant quantize_per_channel(const std::vector<double>& w, int64_t out, int bits);

}  // namespace tessera::quant

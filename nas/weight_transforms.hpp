// Weight transforms applied in the forward pass during training:
//   - TWN ternarisation with a straight-through gradient (layers the mapper
//     puts on associative-processor units, or every layer on request), the
//     same rule as workloads/quant/ternary.hpp: D = factor * mean|w|,
//     w_t = alpha * sign(w) [|w| > D], alpha = mean |w| over |w| > D (per
//     layer or per output channel); the gradient passes to w unchanged;
//   - weight-noise injection per array: w + sigma * max|W_array| * N, N drawn
//     per call (per mini-batch), max over the array each weight sits in
//     (analog_params.hpp: array_index_map); the noise carries no gradient;
//   - device weight noise: the weights programmed into differential pairs of
//     a device model (arch/device), max|W| of each array at g_max, read back
//     as (G+ - G-) / s; the difference to w is the noise (no gradient).
//
// Includes <torch/torch.h>: for nas/ translation units only.
#pragma once

#include <torch/torch.h>

#include "workloads/quant/ternary.hpp"

namespace tessera::device {
class Device;
}

namespace tessera::nas {

// w: [out, ...] in PyTorch order. Returns the ternary weights alpha * t with
// the straight-through estimator (values of w_t, gradient of w).
torch::Tensor ternarize_ste(const torch::Tensor& w, const quant::TernaryParams& p);
// The TWN values without gradient: codes t in {-1, 0, 1} (same shape as w)
// and alpha (one value, or one per output channel).
void ternary_codes(const torch::Tensor& w, const quant::TernaryParams& p, torch::Tensor& codes, torch::Tensor& alpha);

// Which array every weight sits in, prepared for per-array maxima: `index`
// (one entry per weight) and `gather` (arrays x largest array size: the
// weights of each array, padded with the index one past the last weight).
struct ArrayIndex {
  torch::Tensor index, gather;
  int64_t arrays = 0;
};
ArrayIndex make_array_index(const std::vector<int64_t>& map, int64_t arrays);

// The noise sigma * max|W_array| * N for every weight (no gradient).
torch::Tensor array_weight_noise(const torch::Tensor& w, const ArrayIndex& a, double sigma);
// What programming `dev` adds to w: each array's (or column's) weights mapped
// to conductance pairs with s = g_max / max|W|, programmed with the device's
// noise, levels and faults from the stream `seed`, read back minus w.
torch::Tensor device_weight_noise(const torch::Tensor& w, const ArrayIndex& a, const device::Device& dev, uint64_t seed);

}  // namespace tessera::nas

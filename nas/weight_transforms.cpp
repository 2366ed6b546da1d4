#include "nas/weight_transforms.hpp"

namespace tessera::nas {

void ternary_codes(const torch::Tensor& w, const quant::TernaryParams& p, torch::Tensor& codes, torch::Tensor& alpha) {
  torch::NoGradGuard no_grad;
  const torch::Tensor a = p.per_channel ? w.detach().abs().reshape({w.size(0), -1}) : w.detach().abs().reshape({1, -1});
  // Sums and the threshold in double, as quant::ternarize does.
  const torch::Tensor ad = a.to(torch::kFloat64);
  const torch::Tensor d = ad.mean(1, /*keepdim=*/true) * p.threshold_factor;
  const torch::Tensor keep = ad.gt(d);
  const torch::Tensor kept = keep.sum(1, true).clamp_min(1).to(torch::kFloat64);
  alpha = ((ad * keep).sum(1, true) / kept).to(w.scalar_type()).reshape({-1});
  codes = (w.detach().sign().reshape(a.sizes()) * keep.to(w.scalar_type())).reshape(w.sizes());
}

torch::Tensor ternarize_ste(const torch::Tensor& w, const quant::TernaryParams& p) {
  torch::Tensor codes, alpha;
  ternary_codes(w, p, codes, alpha);
  std::vector<int64_t> shape(size_t(w.dim()), 1);
  if (p.per_channel) shape[0] = w.size(0);
  const torch::Tensor wt = codes * alpha.reshape(shape);
  return w + (wt - w).detach();
}

torch::Tensor array_weight_noise(const torch::Tensor& w, const torch::Tensor& index, int64_t arrays, double sigma) {
  torch::NoGradGuard no_grad;
  const torch::Tensor flat = w.detach().abs().reshape({-1});
  const torch::Tensor max = torch::zeros({arrays}, flat.options()).scatter_reduce(0, index, flat, "amax", false);
  return (torch::randn_like(w) * (sigma * max.index_select(0, index)).reshape(w.sizes()));
}

}  // namespace tessera::nas

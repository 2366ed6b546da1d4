#include "nas/weight_transforms.hpp"

#include <cmath>

#include "arch/device/device.hpp"
#include "arch/device/rng.hpp"

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

ArrayIndex make_array_index(const std::vector<int64_t>& map, int64_t arrays) {
  std::vector<std::vector<int64_t>> members(static_cast<size_t>(arrays));
  for (size_t i = 0; i < map.size(); ++i) members[size_t(map[i])].push_back(int64_t(i));
  size_t widest = 1;
  for (const auto& m : members) widest = std::max(widest, m.size());
  std::vector<int64_t> gather(size_t(arrays) * widest, int64_t(map.size()));
  for (size_t a = 0; a < members.size(); ++a) std::copy(members[a].begin(), members[a].end(), gather.begin() + long(a * widest));
  ArrayIndex r;
  r.index = torch::tensor(map, torch::kInt64);
  r.gather = torch::tensor(gather, torch::kInt64).reshape({arrays, int64_t(widest)});
  r.arrays = arrays;
  return r;
}

namespace {
// max|W| of the array each weight sits in, one value per weight (flat).
torch::Tensor array_max(const torch::Tensor& w, const ArrayIndex& a) {
  // |w| with one zero appended for the padding of the gather matrix; the max of each array's row.
  const torch::Tensor flat = torch::cat({w.detach().abs().reshape({-1}), torch::zeros({1}, w.options())});
  const torch::Tensor max = flat.index_select(0, a.gather.reshape({-1})).reshape(a.gather.sizes()).amax(1);
  return max.index_select(0, a.index);
}
}  // namespace

torch::Tensor array_weight_noise(const torch::Tensor& w, const ArrayIndex& a, double sigma) {
  torch::NoGradGuard no_grad;
  return torch::randn_like(w) * (sigma * array_max(w, a)).reshape(w.sizes());
}

torch::Tensor device_weight_noise(const torch::Tensor& w, const ArrayIndex& a, const device::Device& dev, uint64_t seed) {
  torch::NoGradGuard no_grad;
  const torch::Tensor wf = w.detach().reshape({-1}).to(torch::kFloat32).contiguous();
  const torch::Tensor mf = array_max(w, a).to(torch::kFloat32).contiguous();
  const int64_t n = wf.numel();
  const float* wp = wf.data_ptr<float>();
  const float* mp = mf.data_ptr<float>();
  const double g_max = dev.g_max();
  std::vector<float> g_plus(size_t(n), 0.f), g_minus(size_t(n), 0.f);
  for (int64_t i = 0; i < n; ++i) {
    if (mp[i] <= 0) continue;
    const double g = double(wp[i]) / double(mp[i]) * g_max;
    (g >= 0 ? g_plus : g_minus)[size_t(i)] = float(std::fabs(g));
  }
  // One stream per polarity, so the draws do not depend on the weights' signs.
  device::Rng rng_plus = device::Rng::stream(seed, 0), rng_minus = device::Rng::stream(seed, 1);
  const device::ProgrammedCells plus = dev.program(g_plus, 1, int(n), rng_plus);
  const device::ProgrammedCells minus = dev.program(g_minus, 1, int(n), rng_minus);
  torch::Tensor noise = torch::empty({n}, torch::kFloat32);
  float* np = noise.data_ptr<float>();
  for (int64_t i = 0; i < n; ++i) {
    const double held = mp[i] > 0 ? double(plus.g_prog[size_t(i)] - minus.g_prog[size_t(i)]) / g_max * double(mp[i]) : 0.0;
    np[i] = float(held - double(wp[i]));
  }
  return noise.reshape(w.sizes()).to(w.dtype());
}

}  // namespace tessera::nas

// lhs: Latin-hypercube sampling. Each axis is cut into `samples` equal strata
// and every stratum is used exactly once (a seeded permutation per axis), so
// a few points cover every axis's whole range evenly.
#include <numeric>

#include "sim/sweep/sampler.hpp"

namespace tessera::sweep {
namespace {

class LhsSampler : public Sampler {
 public:
  explicit LhsSampler(const io::Section& s)
      : n_(s, "Latin-hypercube") {}
  bool enumerates() const override { return false; }
  int64_t count(const std::vector<Axis>&) const override { return n_.samples; }
  std::vector<std::vector<AxisValue>> sample(const std::vector<Axis>& axes) const override {
    Uniform u(n_.seed);
    auto n = size_t(n_.samples);
    std::vector<std::vector<AxisValue>> rows(n);
    std::vector<size_t> perm(n);
    for (const auto& a : axes) {
      std::iota(perm.begin(), perm.end(), size_t(0));
      for (size_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[u.below(i)]);  // Fisher-Yates
      for (size_t i = 0; i < n; ++i) {
        double x = (double(perm[i]) + u()) / double(n);
        rows[i].push_back(a.is_range() ? draw_in_range(a, x) : a.values[std::min(a.values.size() - 1, size_t(x * double(a.values.size())))]);
      }
    }
    return rows;
  }

 private:
  DrawCount n_;
};

}  // namespace

TESSERA_REGISTER(Sampler, LhsSampler, "lhs", "samples points of a Latin hypercube: every axis's strata each used once")

}  // namespace tessera::sweep


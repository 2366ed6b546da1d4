// random: `samples` points, each axis drawn independently and uniformly
// (a value from its list, or a number from its range) from one seeded stream.
#include "sim/sweep/sampler.hpp"

namespace tessera::sweep {
namespace {

class RandomSampler : public Sampler {
 public:
  explicit RandomSampler(const io::Section& s)
      : n_(s, "random") {}
  bool enumerates() const override { return false; }
  int64_t count(const std::vector<Axis>&) const override { return n_.samples; }
  std::vector<std::vector<AxisValue>> sample(const std::vector<Axis>& axes) const override {
    Uniform u(n_.seed);
    std::vector<std::vector<AxisValue>> rows(static_cast<size_t>(n_.samples));
    for (auto& r : rows)
      for (const auto& a : axes) r.push_back(a.is_range() ? draw_in_range(a, u()) : a.values[u.below(a.values.size())]);
    return rows;
  }

 private:
  DrawCount n_;
};

}  // namespace

TESSERA_REGISTER(Sampler, RandomSampler, "random", "samples points drawn uniformly and independently per axis")

}  // namespace tessera::sweep


// grid: every combination of the axes' values, the first axis slowest.
#include "sim/sweep/sampler.hpp"

namespace tessera::sweep {
namespace {

class GridSampler : public Sampler {
 public:
  explicit GridSampler(const io::Section& s) { s.finish(); }
  bool enumerates() const override { return true; }
  int64_t count(const std::vector<Axis>& axes) const override {
    int64_t n = 1;
    for (const auto& a : axes) {
      const int64_t k = a.grid_size();
      if (k == 0) return 0;
      n = n > INT64_MAX / k ? INT64_MAX : n * k;
    }
    return n;
  }
  std::vector<std::vector<AxisValue>> sample(const std::vector<Axis>& axes) const override {
    std::vector<std::vector<AxisValue>> values;
    for (const auto& a : axes) values.push_back(a.grid_values());
    std::vector<std::vector<AxisValue>> rows{{}};
    for (const auto& vs : values) {
      std::vector<std::vector<AxisValue>> next;
      next.reserve(rows.size() * vs.size());
      for (const auto& r : rows)
        for (const auto& v : vs) {
          next.push_back(r);
          next.back().push_back(v);
        }
      rows = std::move(next);
    }
    return rows;
  }
};

}  // namespace

TESSERA_REGISTER(Sampler, GridSampler, "grid", "every combination of the axes' values, the first axis slowest")

}  // namespace tessera::sweep


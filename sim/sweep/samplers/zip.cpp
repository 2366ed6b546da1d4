// zip: the i-th point takes the i-th value of every axis (axes of equal length).
#include "sim/sweep/sampler.hpp"

namespace tessera::sweep {
namespace {

class ZipSampler : public Sampler {
 public:
  explicit ZipSampler(const io::Section& s) { s.finish(); }
  bool enumerates() const override { return true; }
  int64_t count(const std::vector<Axis>& axes) const override { return axes.empty() ? 0 : axes.front().grid_size(); }
  std::vector<std::vector<AxisValue>> sample(const std::vector<Axis>& axes) const override {
    std::vector<std::vector<AxisValue>> values;
    for (const auto& a : axes) values.push_back(a.grid_values());
    std::vector<std::vector<AxisValue>> rows(values.front().size());
    for (size_t i = 0; i < rows.size(); ++i)
      for (const auto& vs : values) rows[i].push_back(vs.at(i));
    return rows;
  }
};

}  // namespace

TESSERA_REGISTER(Sampler, ZipSampler, "zip", "the i-th value of every axis together (axes of equal length)")

}  // namespace tessera::sweep


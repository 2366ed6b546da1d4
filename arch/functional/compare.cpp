#include "arch/functional/compare.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tessera::functional {

int64_t argmax(const std::vector<double>& v) {
  int64_t best = v.empty() ? -1 : 0;
  for (size_t i = 1; i < v.size(); ++i)
    if (v[i] > v[size_t(best)]) best = int64_t(i);
  return best;
}

LogitComparison compare_logits(const std::vector<double>& hw, const std::vector<double>& ref) {
  if (hw.size() != ref.size()) throw std::logic_error("compare_logits: different lengths");
  LogitComparison c;
  c.exact = true;
  double sq = 0;
  for (size_t i = 0; i < hw.size(); ++i) {
    const double d = hw[i] - ref[i];
    c.exact = c.exact && hw[i] == ref[i];
    c.max_abs_error = std::max(c.max_abs_error, std::fabs(d));
    sq += d * d;
  }
  c.rms_error = hw.empty() ? 0 : std::sqrt(sq / double(hw.size()));
  c.argmax = argmax(hw);
  c.reference_argmax = argmax(ref);
  c.top1_agrees = c.argmax == c.reference_argmax;
  return c;
}

}  // namespace tessera::functional

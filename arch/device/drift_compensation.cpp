#include "arch/device/drift_compensation.hpp"

#include <cmath>

namespace tessera::device {

double mean_abs(const float* y, size_t n) {
  if (n == 0) return 0;
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += std::fabs(double(y[i]));
  return s / double(n);
}

void GlobalDriftCompensation::calibrate(const float* y, size_t n) { reference_ = mean_abs(y, n); }

double GlobalDriftCompensation::factor(const float* y, size_t n) const {
  const double now = mean_abs(y, n);
  return now > 0 ? reference_ / now : 1.0;
}

}  // namespace tessera::device

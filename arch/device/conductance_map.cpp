#include "arch/device/conductance_map.hpp"

#include <algorithm>
#include <cmath>

namespace tessera::device {

ConductancePair weights_to_conductances(const float* w, size_t n, double g_max) {
  ConductancePair p;
  double max_abs = 0;
  for (size_t i = 0; i < n; ++i) max_abs = std::max(max_abs, std::fabs(double(w[i])));
  p.g_plus.assign(n, 0.0f);
  p.g_minus.assign(n, 0.0f);
  if (max_abs == 0) return p;
  p.scale = g_max / max_abs;
  for (size_t i = 0; i < n; ++i) {
    const double g = p.scale * double(w[i]);
    p.g_plus[i] = float(std::clamp(g, 0.0, g_max));
    p.g_minus[i] = float(std::clamp(-g, 0.0, g_max));
  }
  return p;
}

void conductances_to_weights(const float* gp, const float* gm, size_t n, double scale, float* w) {
  for (size_t i = 0; i < n; ++i) w[i] = scale == 0 ? 0.0f : float((double(gp[i]) - double(gm[i])) / scale);
}

}  // namespace tessera::device

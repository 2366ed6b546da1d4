// Weights to conductances for one crossbar tile (imc-facts section 3, as in
// AIHWKit): s = g_max / max|W| over the tile, G+ = clamp(s W, 0, g_max),
// G- = clamp(-s W, 0, g_max); a weight is read back as (G+ - G-) / s.
#pragma once

#include <cstddef>
#include <vector>

namespace tessera::device {

struct ConductancePair {
  double scale = 0;  // s in uS per weight unit; 0 for an all-zero tile
  std::vector<float> g_plus, g_minus;
};

ConductancePair weights_to_conductances(const float* w, size_t n, double g_max_us);
inline ConductancePair weights_to_conductances(const std::vector<float>& w, double g_max_us) {
  return weights_to_conductances(w.data(), w.size(), g_max_us);
}
// (G+ - G-) / s into w (n values); zeros when the scale is 0.
void conductances_to_weights(const float* g_plus, const float* g_minus, size_t n, double scale, float* w);

}  // namespace tessera::device

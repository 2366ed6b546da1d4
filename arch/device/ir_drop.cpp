#include "arch/device/ir_drop.hpp"

#include <cstddef>

namespace tessera::device {

double ir_drop_factor(double g_us, int row, int col, int rows, double r_ohm) {
  const double series_ohm = r_ohm * double(col + 1 + rows - row);
  return 1.0 / (1.0 + g_us * 1e-6 * series_ohm);  // uS -> S
}

void apply_ir_drop(float* g, int rows, int cols, double r_ohm) {
  if (r_ohm <= 0) return;
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      float& x = g[size_t(i) * size_t(cols) + size_t(j)];
      x = float(double(x) * ir_drop_factor(x, i, j, rows, r_ohm));
    }
}

}  // namespace tessera::device

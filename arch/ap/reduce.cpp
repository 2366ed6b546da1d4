#include "arch/ap/reduce.hpp"

#include <stdexcept>

#include "arch/ap/arith.hpp"

namespace tessera::ap {

void reduce_rows(Cam& cam, Field f, Field tmp, int carry) {
  if (tmp.width != f.width) throw std::invalid_argument("reduce_rows: scratch width differs");
  for (int h = 1; h < cam.rows(); h *= 2) {
    for (int j = 0; j < f.width; ++j) cam.move_up(f.col(j), tmp.col(j), h);
    add(cam, tmp, f, carry);
  }
}

ReduceCost reduce_cost(int rows, int width) {
  ReduceCost c;
  for (int h = 1; h < rows; h *= 2) ++c.levels;
  c.moves = int64_t(c.levels) * width;
  c.compares = c.writes = c.levels * addsub_passes(width, width, Extend::Sign);
  return c;
}

}  // namespace tessera::ap

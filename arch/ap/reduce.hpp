// Reduction across rows: the sum of a field over all rows lands in row 0.
//
// Binary tree: at level h = 1, 2, 4, ... every bit column of the field moves up
// by h rows into a scratch field (one move cycle per column), then one in-place
// add (all rows at once) folds it in; after ceil(log2 rows) levels row 0 holds
// the total, modulo 2^width. Rows other than 0 end with partial sums.
#pragma once

#include <cstdint>

#include "arch/ap/cam.hpp"

namespace tessera::ap {

struct ReduceCost {
  int levels = 0;
  int64_t moves = 0;
  int64_t compares = 0;
  int64_t writes = 0;
};

// f and tmp have the same width; carry is a scratch column.
void reduce_rows(Cam& cam, Field f, Field tmp, int carry);
ReduceCost reduce_cost(int rows, int width);

}  // namespace tessera::ap

// Parameters of the associative processor's compare/write logic.
#pragma once

#include "workloads/io/toml_reader.hpp"

namespace tessera::ap {

struct ApParams {
  int rows = 0;              // CAM rows: output positions processed in parallel
  double compare_ns = 0;     // one compare cycle
  double write_ns = 0;       // one write cycle (into the tagged rows' latched columns)
  double compare_pj = 0;     // energy of one compare over all rows
  double write_pj = 0;       // energy of one write over all rows

  // Keys: rows, compare_ns, write_ns, compare_pj, write_pj.
  static ApParams read(const io::Section& s);
  static ApParams defaults();
};

}  // namespace tessera::ap

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
  // Pricing from the node when compare_pj / write_pj are absent (arch/cost/pricing.cpp):
  // a NOR-type CAM, key_bits search lines and one match line per row per compare,
  // write_bits bit lines per write.
  double key_bits = 3;       // bits compared per pass (an add pass: A, B, carry)
  double write_bits = 1.5;   // bits written per pass (B always, the carry every other pass)
  double cam_cell_f2 = 292;  // NOR CAM cell (10 transistors, about two 6T SRAM cells)
  bool compare_pinned = false, write_pinned = false;

  // Keys: rows, compare_ns, write_ns, compare_pj, write_pj.
  static ApParams read(const io::Section& s);
  static ApParams defaults();
};

}  // namespace tessera::ap

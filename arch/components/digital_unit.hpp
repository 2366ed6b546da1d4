// A digital functional unit (shift-and-add, activation, pooling, reduction
// adder): `count` units, each completing `ops_per_cycle` operations per cycle.
#pragma once

namespace tessera {
namespace io { class Section; }

struct DigitalUnitParams {
  int count = 1;
  int ops_per_cycle = 1;
  int latency_cycles = 1;
  double energy_pj = 0;  // per operation
  double area_mm2 = 0;   // per unit
  double leakage_mw = 0; // per unit

  void load(const io::Section& s);
  double throughput() const { return double(count) * ops_per_cycle; }  // ops per cycle
};

}  // namespace tessera

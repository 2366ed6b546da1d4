// A digital functional unit (shift-and-add, activation, pooling, reduction
// adder): `count` units, each completing `ops_per_cycle` operations per cycle.
// Energy, area, static power and latency are pinned when the config gives
// them, and otherwise priced from `width_bits`, the technology node and the
// clock (arch/cost/pricing).
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
  int width_bits = 16;   // datapath width, for pricing from the node
  bool energy_pinned = false, area_pinned = false, leakage_pinned = false, latency_pinned = false;

  void load(const io::Section& s);
  double throughput() const { return double(count) * ops_per_cycle; }  // ops per cycle
};

}  // namespace tessera

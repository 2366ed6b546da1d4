#include "arch/components/digital_unit.hpp"

#include "workloads/io/toml_reader.hpp"

namespace tessera {

void DigitalUnitParams::load(const io::Section& s) {
  count = int(s.integer("count", "number of units", count, 1, 1 << 20));
  ops_per_cycle = int(s.integer("ops_per_cycle", "operations per cycle per unit", ops_per_cycle, 1, 1 << 16));
  latency_pinned = s.has("latency_cycles");
  latency_cycles = int(s.integer("latency_cycles",
                                 "pipeline latency (cycles); absent: the unit's stage delay at the node over the clock period "
                                 "(docs/cost-model.md)",
                                 latency_cycles, 0, 1 << 16));
  width_bits = int(s.integer("width_bits", "datapath width (bits); prices the unit from the node when energy_pj/area_mm2 are absent", width_bits, 1, 1024));
  energy_pinned = s.has("energy_pj");
  area_pinned = s.has("area_mm2");
  leakage_pinned = s.has("leakage_mw");
  energy_pj = s.number("energy_pj", "energy per operation (pJ); absent: a width_bits adder at the node", energy_pj, 0, 1e6);
  area_mm2 = s.number("area_mm2", "area per unit (mm^2); absent: a width_bits adder at the node", area_mm2, 0, 1e4);
  leakage_mw = s.number("leakage_mw", "static power per unit (mW); absent: from its area at the node", leakage_mw, 0, 1e6);
  s.finish();
}

}  // namespace tessera

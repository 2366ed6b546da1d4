#include "arch/components/storage.hpp"

#include "workloads/io/toml_reader.hpp"

namespace tessera {

void StorageParams::load(const io::Section& s) {
  bytes = s.number("bytes", "capacity (bytes)", bytes, 0, 1e12);
  ports = int(s.integer("ports", "access ports (each width_bits per cycle)", ports, 1, 64));
  width_bits = int(s.integer("width_bits", "bits per port per cycle", width_bits, 1, 1 << 16));
  latency_cycles = int(s.integer("latency_cycles", "access latency (cycles)", latency_cycles, 0, 1 << 20));
  kind = s.string("kind", "memory type, for pricing from the node: register (flip-flops), sram or edram", kind, {"register", "sram", "edram"});
  cell_area_f2 = s.number("cell_area_f2", "bit-cell area (F^2); 0: the kind's default (docs/cost-model.md)", cell_area_f2, 0, 1e5);
  read_pinned = s.has("read_energy_pj_per_bit");
  write_pinned = s.has("write_energy_pj_per_bit");
  area_pinned = s.has("area_mm2");
  leakage_pinned = s.has("leakage_mw");
  read_energy_pj_per_bit = s.number("read_energy_pj_per_bit", "read energy per bit (pJ); absent: capacity-and-node fit", read_energy_pj_per_bit, 0, 1e6);
  write_energy_pj_per_bit = s.number("write_energy_pj_per_bit", "write energy per bit (pJ); absent: capacity-and-node fit", write_energy_pj_per_bit, 0, 1e6);
  area_mm2 = s.number("area_mm2", "area (mm^2); absent: cells x cell_area_f2 / array efficiency", area_mm2, 0, 1e4);
  leakage_mw = s.number("leakage_mw", "static power (mW); absent: from its area at the node", leakage_mw, 0, 1e6);
  s.finish();
}

}  // namespace tessera

// Registers, SRAM/eDRAM buffers: capacity, ports of width_bits each, energy per
// bit accessed. The peak access rate is ports * width_bits per cycle.
#pragma once

#include <string>

namespace tessera {
namespace io { class Section; }

struct StorageParams {
  double bytes = 0;
  int ports = 1;
  int width_bits = 64;          // bits per port per cycle
  int latency_cycles = 1;       // access latency
  double read_energy_pj_per_bit = 0;
  double write_energy_pj_per_bit = 0;
  double area_mm2 = 0;
  double leakage_mw = 0;
  // Pricing from the node where the figures are absent (arch/cost/pricing).
  std::string kind = "sram";    // register, sram or edram: cell area
  double cell_area_f2 = 0;      // 0: the kind's default
  bool read_pinned = false, write_pinned = false, area_pinned = false, leakage_pinned = false;

  void load(const io::Section& s);
};

}  // namespace tessera

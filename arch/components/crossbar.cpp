#include "arch/components/crossbar.hpp"

#include "workloads/io/toml_reader.hpp"

namespace tessera {

void CrossbarParams::load(const io::Section& s) {
  rows = int(s.integer("rows", "word lines (inputs) per array", rows, 1, 4096));
  cols = int(s.integer("cols", "bit lines (outputs) per array", cols, 1, 4096));
  bits_per_cell = int(s.integer("bits_per_cell", "bits stored per cell", bits_per_cell, 1, 8));
  device = s.string("device", "name of a [device.NAME] section giving the cell technology", device);
  read_ns = s.number("read_ns", "one read of the array: DAC drive and bit-line integration (ns)", read_ns, 1e-3, 1e6);
  read_energy_fj_per_cell = s.number("read_energy_fj_per_cell", "read energy per cell per array read (fJ)", read_energy_fj_per_cell, 0, 1e6);
  write_ns_per_row = s.number("write_ns_per_row", "programming time of one row (ns), for weight reload", write_ns_per_row, 0, 1e9);
  write_energy_pj_per_cell = s.number("write_energy_pj_per_cell", "programming energy per cell (pJ), for weight reload", write_energy_pj_per_cell, 0, 1e6);
  area_um2_per_cell = s.number("area_um2_per_cell", "array area per cell (um^2)", area_um2_per_cell, 0, 1e6);
  leakage_mw = s.number("leakage_mw", "static power per array (mW)", leakage_mw, 0, 1e6);
  s.finish();
}

}  // namespace tessera

namespace tessera {

void SampleHoldParams::load(const io::Section& s) {
  energy_pj = s.number("energy_pj", "energy per sample (pJ)", energy_pj, 0, 1e6);
  area_mm2 = s.number("area_mm2", "area per column's sample-and-hold (mm^2)", area_mm2, 0, 1e3);
  leakage_mw = s.number("leakage_mw", "static power per sample-and-hold (mW)", leakage_mw, 0, 1e6);
  s.finish();
}

void BusParams::load(const io::Section& s) {
  width_bits = int(s.integer("width_bits", "wires: bits moved per cycle", width_bits, 1, 1 << 16));
  latency_cycles = int(s.integer("latency_cycles", "transfer latency (cycles)", latency_cycles, 0, 1 << 16));
  energy_pj_per_bit = s.number("energy_pj_per_bit", "energy per bit moved (pJ)", energy_pj_per_bit, 0, 1e6);
  area_mm2 = s.number("area_mm2", "area (mm^2)", area_mm2, 0, 1e4);
  leakage_mw = s.number("leakage_mw", "static power (mW)", leakage_mw, 0, 1e6);
  s.finish();
}

}  // namespace tessera

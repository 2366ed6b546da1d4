#include "arch/components/crossbar.hpp"

#include "workloads/io/toml_reader.hpp"

namespace tessera {

void CrossbarParams::load(const io::Section& s) {
  rows = int(s.integer("rows", "word lines (inputs) per array", rows, 1, 4096));
  cols = int(s.integer("cols", "bit lines (outputs) per array", cols, 1, 4096));
  bits_per_cell = int(s.integer("bits_per_cell", "bits stored per cell", bits_per_cell, 1, 8));
  device = s.string("device", "name of a [device.NAME] section giving the cell technology", device);
  read_time_pinned = s.has("read_ns");
  read_ns = s.number("read_ns", "one read phase of the array (ns); absent: its bit lines settle to half an ADC LSB through the driven cells", read_ns, 1e-3, 1e6);
  parallel_rows = int(s.integer("parallel_rows", "rows driven at once; a row block is read in ceil(rows / parallel_rows) phases, each converted (0: all rows)",
                                parallel_rows, 0, 4096));
  s.check(parallel_rows <= rows, "parallel_rows",
          std::to_string(parallel_rows) + " rows read in parallel exceed the array's " + std::to_string(rows) + " rows; allowed: 1.." + std::to_string(rows));
  if (parallel_rows == 0) parallel_rows = rows;
  cell = s.string("cell", "cell structure, for pricing from the node: 1t1r, crosspoint, 1fefet, sram6t, sram8t (absent: the device's usual cell)",
                  cell, {"", "1t1r", "crosspoint", "1fefet", "sram6t", "sram8t"});
  cell_area_f2 = s.number("cell_area_f2", "cell area (F^2, at least 4); absent: the structure's default (docs/cost-model.md)", cell_area_f2, 4, 1e5);
  read_voltage_v = s.number("read_voltage_v", "read bias across a cell (V)", read_voltage_v, 0.01, 5);
  pulse_pinned = s.has("read_pulse_ns");
  read_pulse_ns = s.number("read_pulse_ns", "time a read cell conducts per phase (ns), for V^2 G t; absent: its column's sensing window (settling and one conversion)",
                           read_pulse_ns, 1e-3, 1e6);
  write_voltage_v = s.number("write_voltage_v", "programming bias (V); above the supply, rows and columns get level shifters and I/O write drivers (0: at the supply)",
                             write_voltage_v, 0, 10);
  input_activity = s.number("input_activity", "fraction of driven rows whose input bit is 1 (cells and word lines switched)", input_activity, 0, 1);
  read_pinned = s.has("read_energy_fj_per_cell");
  area_pinned = s.has("area_um2_per_cell");
  leakage_pinned = s.has("leakage_mw");
  read_energy_fj_per_cell = s.number("read_energy_fj_per_cell", "read energy per cell per array read (fJ); absent: V^2 G t at the device's mean conductance",
                                     read_energy_fj_per_cell, 0, 1e6);
  write_ns_per_row = s.number("write_ns_per_row", "programming time of one row (ns), for weight reload", write_ns_per_row, 0, 1e9);
  write_energy_pj_per_cell = s.number("write_energy_pj_per_cell", "programming energy per cell (pJ), for weight reload", write_energy_pj_per_cell, 0, 1e6);
  area_um2_per_cell = s.number("area_um2_per_cell", "array area per cell (um^2); absent: cell_area_f2 at the node", area_um2_per_cell, 0, 1e6);
  leakage_mw = s.number("leakage_mw", "static power per array (mW); absent: the cells' transistors at the node", leakage_mw, 0, 1e6);
  s.finish();
}

}  // namespace tessera

namespace tessera {

void SampleHoldParams::load(const io::Section& s) {
  energy_pinned = s.has("energy_pj");
  area_pinned = s.has("area_mm2");
  energy_pj = s.number("energy_pj", "energy per sample (pJ); absent: bit line and hold capacitor switched", energy_pj, 0, 1e6);
  area_mm2 = s.number("area_mm2", "area per column's sample-and-hold (mm^2); absent: the hold capacitor", area_mm2, 0, 1e3);
  leakage_mw = s.number("leakage_mw", "static power per sample-and-hold (mW)", leakage_mw, 0, 1e6);
  s.finish();
}

void BusParams::load(const io::Section& s) {
  width_bits = int(s.integer("width_bits", "wires: bits moved per cycle", width_bits, 1, 1 << 16));
  latency_cycles = int(s.integer("latency_cycles", "transfer latency (cycles)", latency_cycles, 0, 1 << 16));
  energy_pinned = s.has("energy_pj_per_bit");
  area_pinned = s.has("area_mm2");
  energy_pj_per_bit = s.number("energy_pj_per_bit", "energy per bit moved (pJ); absent: a wire across the tile (pitch from tile area) at the node", energy_pj_per_bit, 0, 1e6);
  area_mm2 = s.number("area_mm2", "area (mm^2); absent: width_bits wires across the tile", area_mm2, 0, 1e4);
  leakage_mw = s.number("leakage_mw", "static power (mW)", leakage_mw, 0, 1e6);
  s.finish();
}

}  // namespace tessera

// A memristive crossbar array: rows x columns of multi-level cells.
#pragma once

#include <string>

namespace tessera {
namespace io { class Section; }

struct CrossbarParams {
  int rows = 128;
  int cols = 128;
  int bits_per_cell = 2;
  std::string device = "rram";       // a [device.NAME] section of the arch config
  double read_ns = 100;              // one analog read of a phase: the bit lines settle (priced when absent)
  double read_energy_fj_per_cell = 0;  // per read, every cell of the array
  double write_ns_per_row = 0;       // programming one row (weight reload)
  double write_energy_pj_per_cell = 0;
  double area_um2_per_cell = 0;
  double leakage_mw = 0;             // per array
  // Rows driven at once: a row block is read in ceil(rows used / parallel_rows)
  // phases, each sampled and converted on its own.
  int parallel_rows = 0;             // 0 in the file: all rows (resolved to `rows` on load)
  // The cell, for pricing from the node (arch/cost/pricing): structure, area,
  // read bias and pulse. Conductances come from the device (g_min, g_max).
  std::string cell = "";             // 1t1r, crosspoint, 1fefet, sram6t, sram8t ("": the device's usual cell)
  double cell_area_f2 = 0;           // 0: the structure's default
  double read_voltage_v = 0.5;
  double read_pulse_ns = 10;
  double input_activity = 0.5;       // fraction of driven rows whose input bit is 1
  double write_voltage_v = 0;        // programming bias; above the supply it needs level shifters and I/O write drivers (0: writes at the supply)
  double phase_energy_pj = 0;        // per read phase of one array: its bit lines charged (priced; 0 when the cell figure is pinned)
  double mux_energy_pj = 0;          // per column converted: its column-mux switch and the ADC input node (priced; 0 when pinned)
  double periphery_um2 = 0;          // per array: write drivers and the empty corner of the macro's rectangle (priced; 0 when area pinned)
  // The conductance a priced resistive cell read assumes (the device's mean,
  // uS); 0 when the cell figure is pinned or the cell is not resistive. Known
  // weights rescale the cell reads by their programmed mean over it
  // (arch/compile/programmed_conductance.hpp).
  double priced_cell_g_us = 0;
  bool read_pinned = false, area_pinned = false, leakage_pinned = false;
  bool read_time_pinned = false, pulse_pinned = false;

  void load(const io::Section& s);
  // A phase reads at most parallel_rows rows of `used_rows`.
  int phases(int used_rows) const { return (used_rows + parallel_rows - 1) / parallel_rows; }
  double read_energy_pj() const { return read_energy_fj_per_cell * rows * cols * 1e-3; }
  double area_mm2() const { return (area_um2_per_cell * rows * cols + periphery_um2) * 1e-6; }
};

}  // namespace tessera

namespace tessera {

// One sample-and-hold per bit line: holds the column current's result while
// the shared ADC converts, so the array can start its next read.
struct SampleHoldParams {
  double energy_pj = 0;   // per sample
  double area_mm2 = 0;    // per column
  double leakage_mw = 0;  // per column
  bool energy_pinned = false, area_pinned = false;

  void load(const io::Section& s);
};

// The on-tile bus from the tile buffer to the IMAs' input registers.
struct BusParams {
  int width_bits = 256;
  int latency_cycles = 1;
  double energy_pj_per_bit = 0;
  double area_mm2 = 0;
  double leakage_mw = 0;
  bool energy_pinned = false, area_pinned = false;

  void load(const io::Section& s);
};

}  // namespace tessera

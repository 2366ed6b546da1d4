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
  double read_ns = 100;              // one analog read (DAC drive, integration) of all rows
  double read_energy_fj_per_cell = 0;  // per read, every cell of the array
  double write_ns_per_row = 0;       // programming one row (weight reload)
  double write_energy_pj_per_cell = 0;
  double area_um2_per_cell = 0;
  double leakage_mw = 0;             // per array

  void load(const io::Section& s);
  double read_energy_pj() const { return read_energy_fj_per_cell * rows * cols * 1e-3; }
  double area_mm2() const { return area_um2_per_cell * rows * cols * 1e-6; }
};

}  // namespace tessera

namespace tessera {

// One sample-and-hold per bit line: holds the column current's result while
// the shared ADC converts, so the array can start its next read.
struct SampleHoldParams {
  double energy_pj = 0;   // per sample
  double area_mm2 = 0;    // per column
  double leakage_mw = 0;  // per column

  void load(const io::Section& s);
};

// The on-tile bus from the tile buffer to the IMAs' input registers.
struct BusParams {
  int width_bits = 256;
  int latency_cycles = 1;
  double energy_pj_per_bit = 0;
  double area_mm2 = 0;
  double leakage_mw = 0;

  void load(const io::Section& s);
};

}  // namespace tessera

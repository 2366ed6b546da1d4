// First-order IR drop on a crossbar's wires.
//
// Inputs drive each row from its left end, outputs are sensed at the bottom
// of each column; every wire segment between neighbouring cells has
// resistance r (ohm). Device (i, j) of an R-row array reaches the driver
// through j + 1 row segments and the sense amplifier through R - i column
// segments, so it sees the series resistance R_ij = r (j + 1 + R - i) and its
// effective conductance is
//     g_eff = g / (1 + g R_ij).
// The model ignores the currents of the other devices sharing the wires
// (which add to the drop), so it underestimates IR drop on large, dense
// arrays; it captures the position dependence: cells far from both driver and
// sense amplifier lose most.
#pragma once

namespace tessera::device {

// Attenuation factor g_eff / g for a device of conductance g_us (microsiemens).
double ir_drop_factor(double g_us, int row, int col, int rows, double wire_resistance_ohm);
// Applies the attenuation to a rows x cols row-major array in place.
void apply_ir_drop(float* g_us, int rows, int cols, double wire_resistance_ohm);

}  // namespace tessera::device

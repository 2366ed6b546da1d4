// Prices every component figure a preset leaves out from circuit models at the
// chip's technology node; figures the preset gives stay pinned. Run once on
// load (read_arch), so the cost table, the analytical model and the simulator
// all see one set of resolved figures. Equations: docs/cost-model.md.
#pragma once

namespace tessera {

struct ArchConfig;
struct StorageParams;
struct DigitalUnitParams;
struct Technology;

void price_components(ArchConfig& arch);

// The building blocks, exposed for tests and for the AP pricing.
void price_storage(StorageParams& s, const Technology& t);
// A digital unit: energy and area of a width_bits adder, static power from
// its area, and its latency in cycles of `clock_ghz` (its stage delay at the node).
void price_digital(DigitalUnitParams& u, const Technology& t, double clock_ghz);
// Static power of `area_mm2` of CMOS at the node (mW).
double area_leakage_mw(double area_mm2, const Technology& t);

// A crossbar cell structure and what it implies.
struct CellStructure {
  const char* name;
  double area_f2;     // default layout area
  int transistors;    // off transistors that leak (0: passive crosspoint)
  bool resistive;     // read current V G (resistive) or bit-line discharge (SRAM)
};
const CellStructure& cell_structure(const char* name);

}  // namespace tessera

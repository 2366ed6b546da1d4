// Analytical count of an AP program: passes from the descriptors' expansion,
// racetrack accesses and shifts by replaying the access trace through one Dbc
// shift state per column group (no data needed). Every row tile runs the same
// steps; the shift state carries over from tile to tile, and once a tile ends
// in the state it started from, the remaining tiles repeat it exactly (with
// lazy ports that is after the second tile: every group ends where its last
// access left it). Static port choice replays through precomputed target
// offsets per field bit (the same counts as Dbc, an order of magnitude faster);
// nearest choice replays through Dbc.
#pragma once

#include <cstdint>
#include <vector>

#include "arch/ap/ap_params.hpp"
#include "arch/ap/compiler/layout.hpp"
#include "arch/ap/compiler/program.hpp"
#include "arch/ap/dbc.hpp"

namespace tessera::ap::compiler {

struct ProgramCost {
  int64_t tiles = 0;
  int64_t passes = 0;        // all tiles; each pass is one compare and one write
  RtmCounts rtm;             // all tiles: column reads, writes, one-position shifts
  int64_t shifts_by_role[3] = {0, 0, 0};  // rtm.shifts split by the role of the accessed field
  int64_t dbcs_per_group = 0;
  double latency_ns = 0;
  double energy_pj = 0;
  double rtm_energy_pj = 0;
  double cam_energy_pj = 0;

  int64_t compares() const { return passes; }
  int64_t cam_writes() const { return passes; }
  int64_t cycles() const { return 2 * passes; }  // compare and write cycles
};

// Replays one tile's accesses on `groups` (one Dbc per column group, carrying
// its shift state in and out); returns each step's shifts.
// by_role, when given, accumulates the shifts per role of the accessed field.
std::vector<int64_t> trace_shifts(const Program& p, const Layout& l, std::vector<Dbc>& groups,
                                  int64_t* by_role = nullptr);

ProgramCost analyse(const Program& p, const Layout& l, const RtmParams& rtm, const ApParams& ap);

}  // namespace tessera::ap::compiler

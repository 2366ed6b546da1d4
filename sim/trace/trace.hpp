// Activity traces of a simulation: Chrome trace-event JSON (opens in Perfetto
// or chrome://tracing; one process per tile with one track per stage and per
// stall cause, one span per busy stretch) and VCD (busy signal per tile and
// stage; opens in GTKWave) in real time units.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "arch/compile/program.hpp"
#include "arch/sc/tile.hpp"

namespace tessera {

using sc::TileActivity;

// One process per tile, one track per stage (busy spans) and per stall cause
// (stall spans); the spans of a track never overlap.
std::string chrome_trace(const std::vector<TileActivity>& tiles, double clock_ghz);

// The VCD time unit and the length of one chip cycle in it (1 GHz: "1 ns", 1;
// 1.28 GHz: "1 fs", 781250).
struct VcdTimescale {
  std::string unit;
  double units_per_cycle = 1;
};
VcdTimescale vcd_timescale(double clock_ghz);
// Per tile: a busy signal per stage and a stall signal per cause.
std::string vcd(const std::vector<TileActivity>& tiles, int64_t end_cycle, double clock_ghz);

}  // namespace tessera

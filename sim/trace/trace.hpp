// Activity traces of a simulation: Chrome trace-event JSON (opens in Perfetto
// or chrome://tracing; one track per tile, one span per busy stretch of a
// stage) and VCD (busy signal per tile and stage; opens in GTKWave).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "arch/compile/program.hpp"
#include "arch/sc/tile.hpp"

namespace tessera {

using sc::TileActivity;

// One track per tile: busy spans per stage and stall spans per cause.
std::string chrome_trace(const std::vector<TileActivity>& tiles, double clock_ghz);
// Per tile: a busy signal per stage and a stall signal per cause.
std::string vcd(const std::vector<TileActivity>& tiles, int64_t end_cycle, double clock_ghz);

}  // namespace tessera

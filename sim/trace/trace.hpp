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

struct TileActivity {
  std::string name;  // "layer/tileN"
  std::array<std::vector<sc::Interval>, kStages> busy;
};

std::string chrome_trace(const std::vector<TileActivity>& tiles, double clock_ghz);
std::string vcd(const std::vector<TileActivity>& tiles, int64_t end_cycle, double clock_ghz);

}  // namespace tessera

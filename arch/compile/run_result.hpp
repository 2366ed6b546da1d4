// What a timing model (analytical or simulated) produces for one inference:
// per host layer its start and end cycle and event counts, plus chip-level
// events. One report builder turns it into the report of either command.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "arch/compile/program.hpp"
#include "arch/cost/events.hpp"

namespace tessera {

// Why a unit waited (simulation; the analytical model reports the ADC share only).
enum class StallCause {
  Input,        // input rows not yet delivered
  Adc,          // crossbar waiting for the shared ADCs to drain
  BufferPort,   // tile buffer port busy
  Network,      // link or router busy, or partial sums in flight
  OutputSpace,  // consumer buffer full
  Dependency,   // residual/other operands not yet delivered
  kCount
};
constexpr int kStallCauses = static_cast<int>(StallCause::kCount);
const char* to_string(StallCause c);

struct HostResult {
  int64_t start = 0;  // cycle the first fetch began
  int64_t end = 0;    // cycle the last row completed
  EventCounts events;
  std::array<int64_t, kStages> busy{};          // busy cycles, summed over tiles
  std::array<int64_t, kStallCauses> stall{};    // stall cycles, summed over tiles
  int64_t layer_latency = 0;  // standalone: sum of stage latencies + (positions - 1) * bottleneck
  int64_t incoming_wait = 0;  // simulation: cycles its incoming rows waited for links and write ports (sum over tiles)
};

struct LinkStat {
  std::string name;
  int64_t busy = 0;       // cycles carrying flits
  int64_t contention = 0; // cycles packets waited for it
};

struct RunResult {
  std::string model;        // "analytical", "simulation", "simulation (clocked)"
  std::string schedule;     // "pipelined" or "layer"
  int64_t cycles = 0;       // the inference, first input bit to last output bit
  std::vector<HostResult> hosts;
  EventCounts io_events;    // off-chip input/output and input-stream digital layers
  EventCounts reload_events;
  int64_t reload_cycles = 0;
  double wall_seconds = 0;  // time the model took
  // simulation only
  uint64_t sim_events = 0;       // model events handled: stage starts and completions, arrivals, grants
  uint64_t sim_activations = 0;  // SystemC process evaluations
  std::vector<LinkStat> links;
  // A stream of images (simulation with more than one): cycles is image 0's
  // latency, events and busy/stall cycles are means per image.
  int images = 1;
  std::vector<int64_t> image_end;  // per image: its last output bit (first input bit of image 0 at cycle 0)
  // Measured steady-state interval between consecutive images' outputs
  // (sc::steady_interval: the middle of the stream, without the first and
  // the last image); 0 when fewer than two images ran.
  double interval_cycles = 0;
};

}  // namespace tessera

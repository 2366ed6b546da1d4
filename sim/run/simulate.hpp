// One simulation run: elaborate the chip for a compiled program, run it, and
// return the result with its statistics and (optionally) activity. SystemC
// allows one elaboration per process: call this once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "arch/compile/run_result.hpp"
#include "arch/sc/chip.hpp"
#include "workloads/base/stats.hpp"
#include "sim/trace/trace.hpp"

namespace tessera {

struct SimRun {
  RunResult result;
  stats::Group stats{"stats"};
  std::vector<sc::TileActivity> activity;  // when recorded
};

// `hooks`: the functional datapath to drive (null: timing only). `images`: a
// stream of that many images (more than one measures the steady-state interval).
SimRun run_simulation(const Network& net, const ArchConfig& arch, const Program& prog, sc::Mode mode,
                      bool record_activity, sc::FunctionalHooks* hooks = nullptr, int images = 1);

}  // namespace tessera

#include "sim/run/simulate.hpp"

#include <cstdlib>

namespace tessera {

SimRun run_simulation(const Network& net, const ArchConfig& arch, const Program& prog, sc::Mode mode,
                      bool record_activity, sc::FunctionalHooks* hooks, int images) {
  // Keep SystemC's banner out of machine-readable output.
  setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 0);
  sc::SimOptions opt;
  opt.mode = mode;
  opt.record_intervals = record_activity;
  opt.hooks = hooks;
  opt.images = images;
  SimRun run;
  run.result = sc::simulate_chip(net, arch, prog, opt, &run.stats, record_activity ? &run.activity : nullptr);
  return run;
}

}  // namespace tessera

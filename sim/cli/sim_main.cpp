// tessera-sim: `tessera simulate` and `tessera compare`, the commands that run
// the SystemC model. SystemC lives in this executable only: its static
// initialisation would cost every other command's start-up.
#include "sim/cli/dispatch.hpp"

using namespace tessera;

// libsystemc's own main() refers to sc_main; tessera-sim brings its own main
// and runs the kernel from the commands.
extern "C" int sc_main(int, char**) { return 1; }

int main(int argc, char** argv) {
  static const std::vector<cli::Command> table = {
      {"simulate", "cycle-accurate SystemC simulation: the same report plus stalls, utilisation, traces", cli::cmd_simulate},
      {"compare", "analytical model against simulation, per layer, with the cause of each difference", cli::cmd_compare},
  };
  return cli::dispatch(table, argc, argv);
}

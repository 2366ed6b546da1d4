// tessera-search: `tessera search` (network and hardware search). pagmo and
// XGBoost live in this executable only, so that no other command pays their
// start-up; the candidates themselves run the main tessera binary.
#include "sim/cli/dispatch.hpp"

using namespace tessera;

int main(int argc, char** argv) {
  static const std::vector<cli::Command> table = {
      {"search", "search networks and hardware together (strategies, Pareto front); 'search export' writes the chosen",
       cli::cmd_search},
  };
  return cli::dispatch(table, argc, argv);
}

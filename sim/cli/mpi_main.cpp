// tessera-mpi: `tessera sweep --mpi` under mpirun. Rank 0 resolves the
// points, owns the results store and hands points to the other ranks, which
// run each in a child process. MPI lives in this executable only, so its
// start-up stays out of every other tessera command.
#include <boost/mpi/environment.hpp>
#include <boost/mpi/communicator.hpp>
#include <iostream>

#include "sim/cli/dispatch.hpp"
#include "sim/sweep/mpi_executor.hpp"
#include "sim/sweep/run.hpp"

using namespace tessera;

// libsystemc's own main() refers to sc_main; this executable brings its own
// main (the simulating commands are not among its commands).
extern "C" int sc_main(int, char**) { return 1; }

int main(int argc, char** argv) {
  boost::mpi::environment env(argc, argv);
  boost::mpi::communicator world;
  if (world.size() < 2) {
    std::cerr << "tessera sweep --mpi: error: needs at least 2 MPI ranks (rank 0 coordinates, the others run points); "
                 "run it under mpirun -np N with N >= 2\n";
    return kExitInputError;
  }
  if (world.rank() != 0) {
    sweep::mpi_worker(world);
    return 0;
  }
  // Rank 0 runs the ordinary sweep command with the MPI executor; the
  // executor's destructor releases the workers however the command ends.
  sweep::MpiExecutor ex(world);
  sweep::executor_override() = &ex;
  static const std::vector<cli::Command> table = {
      {"sweep", "design-space sweep over MPI ranks", cli::cmd_sweep},
  };
  return cli::dispatch(table, argc, argv);
}

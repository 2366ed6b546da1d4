// tessera-mpi: `tessera sweep --mpi` and `tessera search --mpi` under mpirun.
// Rank 0 resolves the points (or runs the search loop), owns the results store
// and hands points (or a candidate's stages) to the other ranks, which run each
// in a child process. MPI lives in this executable only, so its start-up stays
// out of every other tessera command.
#include <boost/mpi/environment.hpp>
#include <boost/mpi/communicator.hpp>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "nas/search/child_evaluator.hpp"
#include "sim/cli/commands.hpp"

#include "sim/cli/dispatch.hpp"
#include "sim/sweep/mpi_executor.hpp"
#include "sim/sweep/run.hpp"

using namespace tessera;

int main(int argc, char** argv) {
  // The search's evaluator calls from several threads, one at a time (below).
  boost::mpi::environment env(argc, argv, boost::mpi::threading::serialized);
  boost::mpi::communicator world;
  if (world.size() < 2) {
    std::cerr << "tessera --mpi: error: needs at least 2 MPI ranks (rank 0 coordinates, the others run points); "
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
  // A search's stages come from its evaluator's threads: each submits its
  // command and polls for its outcome while holding the lock, so MPI is
  // called by one thread at a time.
  std::mutex mpi;
  int64_t next_id = 0;
  std::map<int64_t, base::ChildResult> finished;
  auto poll = [&](std::unique_lock<std::mutex>& lock) {
    for (auto& [id, o] : ex.wait_any(0.01)) finished[id] = o.child;
    lock.unlock();
    std::this_thread::yield();
    lock.lock();
  };
  search::stage_runner_override() = {[&](const base::ChildSpec& spec) {
                                       std::unique_lock<std::mutex> lock(mpi);
                                       while (ex.running() >= ex.slots()) poll(lock);
                                       const int64_t id = next_id++;
                                       ex.submit(id, sweep::Job{spec.exe, spec.args, spec.timeout_s, spec.memory_mb});
                                       while (!finished.count(id)) poll(lock);
                                       base::ChildResult r = finished[id];
                                       finished.erase(id);
                                       return r;
                                     },
                                     world.size() - 1};
  static const std::vector<cli::Command> table = {
      {"sweep", "design-space sweep over MPI ranks", cli::cmd_sweep},
      {"search", "network and hardware search with its stages on MPI ranks", cli::cmd_search},
  };
  return cli::dispatch(table, argc, argv);
}

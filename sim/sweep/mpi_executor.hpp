// MPI distribution of points (Boost.MPI), built into tessera-mpi only. Rank 0
// is the master: it owns the results store and hands out points; every other
// rank is a worker that runs each point it is given in a child process (so a
// crashing point cannot abort the MPI job) and sends back the outcome and the
// report's text (workers need no shared file system).
#pragma once

#include <boost/mpi/communicator.hpp>

#include "sim/sweep/executor.hpp"

namespace tessera::sweep {

class MpiExecutor : public Executor {
 public:
  explicit MpiExecutor(boost::mpi::communicator& world);
  ~MpiExecutor() override;  // tells the workers to stop
  size_t slots() const override { return size_t(world_.size() - 1); }
  size_t running() const override { return busy_.size(); }
  void submit(int64_t id, const Job& job) override;
  std::vector<std::pair<int64_t, Outcome>> wait_any(double max_wait_s) override;

 private:
  boost::mpi::communicator& world_;
  std::vector<int> idle_;
  std::vector<std::pair<int, int64_t>> busy_;  // worker rank, point id
};

// The worker loop of ranks > 0: runs jobs until the master says stop.
void mpi_worker(boost::mpi::communicator& world);

}  // namespace tessera::sweep

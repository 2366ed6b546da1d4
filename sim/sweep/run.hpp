// Runs a sweep: resolves and checks every point, skips those the results
// store already holds, runs the rest on an executor (each point in its own
// process) and records each as it ends. Killed at any moment and run again,
// it loses no recorded point and repeats none.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/sweep/executor.hpp"
#include "sim/sweep/point.hpp"
#include "sim/sweep/spec.hpp"

namespace tessera::sweep {

struct RunOptions {
  std::string out_dir;          // the run directory: results.sqlite lives here
  std::string binary;           // the tessera executable the points run
  // The executable simulate and compare points run (tessera-sim, which
  // `tessera simulate` would exec anyway); empty: `binary`.
  std::string sim_binary;
  bool retry_failed = false;    // rerun points recorded as failed
  int64_t shard_index = 0;      // this process runs the points with index % count == index
  int64_t shard_count = 1;
  bool progress = true;
};

struct RunSummary {
  int64_t points = 0;     // in this shard
  int64_t recorded = 0;   // already in the store before this run
  int64_t ran = 0;        // run now
  int64_t done = 0, failed = 0, skipped = 0;  // outcomes of this run
  double seconds = 0;
};

// Fails with an InputError before anything runs when the directory cannot
// be used (not creatable, or in use by another run).
RunSummary run_sweep(const SweepSpec& spec, const std::vector<Point>& points, const RunOptions& opt, Executor& ex);

// Set by tessera-mpi on rank 0: the executor every sweep of this process
// uses instead of a local pool.
Executor*& executor_override();

// The directory lock: one run at a time per directory. Held while alive.
class DirLock {
 public:
  explicit DirLock(const std::string& dir);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace tessera::sweep

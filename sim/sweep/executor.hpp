// Where a sweep's or search's points run: a pool of local child processes, or
// MPI worker ranks that each run their point in a local child process. The
// driver submits commands and collects outcomes; it never waits on one point.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "workloads/base/child_process.hpp"

namespace tessera::sweep {

// In a submitted command, this argument is replaced by the path of the file
// the point writes its report to (a private temporary file of the executor).
inline const char* kReportPlaceholder = "{report}";

struct Job {
  std::string exe;                 // the tessera binary
  std::vector<std::string> args;   // with kReportPlaceholder where the report goes
  double timeout_s = 0;
  int64_t memory_mb = 0;
};

struct Outcome {
  base::ChildResult child;
  std::string report;  // the report file's contents; empty when none was written
};

class Executor {
 public:
  virtual ~Executor() = default;
  virtual size_t slots() const = 0;  // points that can run at once
  virtual size_t running() const = 0;
  virtual void submit(int64_t id, const Job& job) = 0;
  // Waits at most `max_wait_s` for points to end; returns those that did.
  virtual std::vector<std::pair<int64_t, Outcome>> wait_any(double max_wait_s) = 0;
};

// Runs jobs as child processes of this one, `jobs` at a time, with temporary
// files in `tmp_dir`.
class LocalExecutor : public Executor {
 public:
  LocalExecutor(size_t jobs, std::string tmp_dir);
  size_t slots() const override { return jobs_; }
  size_t running() const override { return pool_.running(); }
  void submit(int64_t id, const Job& job) override;
  std::vector<std::pair<int64_t, Outcome>> wait_any(double max_wait_s) override;

 private:
  size_t jobs_;
  std::string tmp_dir_;
  base::ChildPool pool_;
};

// One job run to completion here (MPI workers use it).
Outcome run_job(const Job& job, const std::string& tmp_dir, int64_t id);

}  // namespace tessera::sweep

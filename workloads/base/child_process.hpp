// Runs commands in child processes, several at once, each with a time and a
// memory limit: a crash, a hang or an exhausted memory limit of one child is
// recorded as its result and never reaches the parent. Sweeps and searches
// run every design point this way (SystemC elaborates once per process).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tessera::base {

struct ChildSpec {
  std::string exe;                 // path of the executable
  std::vector<std::string> args;   // argv[1..]
  std::string stdout_path;         // where the child's stdout goes ("" = /dev/null)
  std::string stderr_path;         // where its stderr goes ("" = /dev/null)
  double timeout_s = 0;            // wall-clock limit; 0 = none
  int64_t memory_mb = 0;           // address-space limit (RLIMIT_AS); 0 = none
};

struct ChildResult {
  int exit_code = -1;      // exit status, or -1 when killed by a signal
  int signal = 0;          // the signal that ended it (SIGKILL on timeout)
  bool timed_out = false;
  double seconds = 0;      // wall-clock run time
  std::string stderr_tail; // the last lines of its stderr (at most ~2 KB)

  bool ok() const { return exit_code == 0; }
  std::string describe() const;  // "exit 2", "killed by signal 11 (Segmentation fault)", "timed out after 5 s"
};

class ChildPool {
 public:
  ChildPool() = default;
  ChildPool(const ChildPool&) = delete;
  ChildPool& operator=(const ChildPool&) = delete;
  ~ChildPool();  // kills the children still running

  // Starts a child; `id` is the caller's name for it. Throws std::runtime_error
  // when the process cannot be created.
  void start(int64_t id, const ChildSpec& spec);
  size_t running() const { return children_.size(); }
  // Waits until at least one child ends (or `max_wait_s` passes) and returns
  // the ended ones, enforcing the time limits meanwhile.
  std::vector<std::pair<int64_t, ChildResult>> wait_any(double max_wait_s);

 private:
  struct Child {
    int64_t id;
    double started;
    double deadline;  // 0 = none
    bool killed_for_time = false;
    std::string stderr_path;
  };
  std::map<pid_t, Child> children_;
};

// Runs one child to completion.
ChildResult run_child(const ChildSpec& spec);

// Whether ChildSpec::memory_mb is applied: not in AddressSanitizer builds,
// whose children reserve terabytes of address space for shadow memory.
bool address_space_limit_applies();

// The last `max_bytes` of a file, cut at a line start.
std::string file_tail(const std::string& path, size_t max_bytes = 2048);

}  // namespace tessera::base

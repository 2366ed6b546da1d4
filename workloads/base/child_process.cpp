#include "workloads/base/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace tessera::base {

namespace {
double now_s() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

// AddressSanitizer reserves about 15 TB of address space for its shadow memory:
// under an address-space limit every child of a sanitizer build dies at
// start-up, so those builds run children without it.
#if defined(__SANITIZE_ADDRESS__)
#define TESSERA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TESSERA_ASAN 1
#endif
#endif
#ifdef TESSERA_ASAN
constexpr bool kLimitAddressSpace = false;
#else
constexpr bool kLimitAddressSpace = true;
#endif

// In the child after fork(): only async-signal-safe calls until exec.
[[noreturn]] void exec_child(const ChildSpec& spec, char* const* argv) {
  setpgid(0, 0);  // its own process group: a timeout kills the child's children too
  // A point dies with the run that started it: a killed sweep leaves no
  // orphans working on points it will not record.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (kLimitAddressSpace && spec.memory_mb > 0) {
    rlimit lim{};
    lim.rlim_cur = lim.rlim_max = rlim_t(spec.memory_mb) << 20;
    setrlimit(RLIMIT_AS, &lim);
  }
  int in = open("/dev/null", O_RDONLY);
  if (in >= 0) dup2(in, 0);
  const char* out = spec.stdout_path.empty() ? "/dev/null" : spec.stdout_path.c_str();
  const char* err = spec.stderr_path.empty() ? "/dev/null" : spec.stderr_path.c_str();
  int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fo >= 0) dup2(fo, 1);
  if (fe >= 0) dup2(fe, 2);
  execv(spec.exe.c_str(), argv);
  const char msg[] = "cannot execute the point's command\n";
  [[maybe_unused]] auto n = write(2, msg, sizeof msg - 1);
  _exit(127);
}
}  // namespace

std::string ChildResult::describe() const {
  if (timed_out) return "timed out after " + std::to_string(int(seconds + 0.5)) + " s";
  if (signal) return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
  return "exit " + std::to_string(exit_code);
}

std::string file_tail(const std::string& path, size_t max_bytes) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) return "";
  auto size = size_t(f.tellg());
  size_t from = size > max_bytes ? size - max_bytes : 0;
  f.seekg(std::streamoff(from));
  std::string s(size - from, '\0');
  f.read(s.data(), std::streamsize(s.size()));
  if (from > 0) {
    auto nl = s.find('\n');
    if (nl != std::string::npos) s.erase(0, nl + 1);
  }
  return s;
}

ChildPool::~ChildPool() {
  for (auto& [pid, c] : children_) {
    kill(-pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
}

void ChildPool::start(int64_t id, const ChildSpec& spec) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(spec.exe.c_str()));
  for (const auto& a : spec.args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) exec_child(spec, argv.data());
  setpgid(pid, pid);  // also from the parent, so kill(-pid) works whoever runs first
  double t = now_s();
  children_[pid] = Child{id, t, spec.timeout_s > 0 ? t + spec.timeout_s : 0, false, spec.stderr_path};
}

std::vector<std::pair<int64_t, ChildResult>> ChildPool::wait_any(double max_wait_s) {
  std::vector<std::pair<int64_t, ChildResult>> done;
  double until = now_s() + max_wait_s;
  // Polls with a short sleep: a point takes milliseconds at the least, and a
  // sleep of 0.5 ms keeps the latency of noticing its end below that.
  while (true) {
    for (auto it = children_.begin(); it != children_.end();) {
      int status = 0;
      pid_t r = waitpid(it->first, &status, WNOHANG);
      if (r == it->first) {
        ChildResult res;
        res.seconds = now_s() - it->second.started;
        if (WIFEXITED(status)) res.exit_code = WEXITSTATUS(status);
        if (WIFSIGNALED(status)) res.signal = WTERMSIG(status);
        res.timed_out = it->second.killed_for_time;
        if (!it->second.stderr_path.empty()) res.stderr_tail = file_tail(it->second.stderr_path);
        kill(-it->first, SIGKILL);  // any grandchild left behind
        done.emplace_back(it->second.id, std::move(res));
        it = children_.erase(it);
        continue;
      }
      Child& c = it->second;
      if (c.deadline > 0 && !c.killed_for_time && now_s() > c.deadline) {
        c.killed_for_time = true;
        kill(-it->first, SIGKILL);
      }
      ++it;
    }
    if (!done.empty() || children_.empty() || now_s() >= until) return done;
    timespec ts{0, 500000};
    nanosleep(&ts, nullptr);
  }
}

ChildResult run_child(const ChildSpec& spec) {
  ChildPool pool;
  pool.start(0, spec);
  while (true) {
    auto done = pool.wait_any(3600);
    if (!done.empty()) return done.front().second;
  }
}

bool address_space_limit_applies() { return kLimitAddressSpace; }

}  // namespace tessera::base

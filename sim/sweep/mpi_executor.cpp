#include "sim/sweep/mpi_executor.hpp"

#include <unistd.h>

#include <boost/mpi/collectives.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

namespace tessera::sweep {

namespace {
enum Tag { kWork = 1, kResult = 2, kStop = 3 };

struct WireJob {
  int64_t id = 0;
  std::string exe;
  std::vector<std::string> args;
  double timeout_s = 0;
  int64_t memory_mb = 0;
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & id & exe & args & timeout_s & memory_mb;
  }
};

struct WireOutcome {
  int64_t id = 0;
  int exit_code = -1, signal = 0;
  bool timed_out = false;
  double seconds = 0;
  std::string stderr_tail, report;
  template <class A>
  void serialize(A& ar, unsigned) {
    ar & id & exit_code & signal & timed_out & seconds & stderr_tail & report;
  }
};

double now_s() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}
}  // namespace

MpiExecutor::MpiExecutor(boost::mpi::communicator& world) : world_(world) {
  for (int r = world.size() - 1; r >= 1; --r) idle_.push_back(r);
}

MpiExecutor::~MpiExecutor() {
  for (int r = 1; r < world_.size(); ++r) world_.send(r, kStop);
}

void MpiExecutor::submit(int64_t id, const Job& job) {
  int rank = idle_.back();
  idle_.pop_back();
  WireJob w{id, job.exe, job.args, job.timeout_s, job.memory_mb};
  world_.send(rank, kWork, w);
  busy_.emplace_back(rank, id);
}

std::vector<std::pair<int64_t, Outcome>> MpiExecutor::wait_any(double max_wait_s) {
  std::vector<std::pair<int64_t, Outcome>> out;
  double until = now_s() + max_wait_s;
  while (true) {
    while (auto st = world_.iprobe(boost::mpi::any_source, kResult)) {
      WireOutcome w;
      world_.recv(st->source(), kResult, w);
      Outcome o;
      o.child.exit_code = w.exit_code;
      o.child.signal = w.signal;
      o.child.timed_out = w.timed_out;
      o.child.seconds = w.seconds;
      o.child.stderr_tail = std::move(w.stderr_tail);
      o.report = std::move(w.report);
      out.emplace_back(w.id, std::move(o));
      idle_.push_back(st->source());
      for (auto it = busy_.begin(); it != busy_.end(); ++it)
        if (it->first == st->source()) {
          busy_.erase(it);
          break;
        }
    }
    if (!out.empty() || busy_.empty() || now_s() >= until) return out;
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
}

void mpi_worker(boost::mpi::communicator& world) {
  std::string tmp = (std::filesystem::temp_directory_path() /
                     ("tessera-mpi-" + std::to_string(world.rank()) + "-" + std::to_string(getpid()))).string();
  while (true) {
    auto st = world.probe(0, boost::mpi::any_tag);
    if (st.tag() == kStop) {
      world.recv(0, kStop);
      break;
    }
    WireJob w;
    world.recv(0, kWork, w);
    Job job{w.exe, w.args, w.timeout_s, w.memory_mb};
    Outcome o = run_job(job, tmp, w.id);
    WireOutcome r{w.id, o.child.exit_code, o.child.signal, o.child.timed_out, o.child.seconds,
                  o.child.stderr_tail, o.report};
    world.send(0, kResult, r);
  }
  std::error_code ec;
  std::filesystem::remove_all(tmp, ec);
}

}  // namespace tessera::sweep

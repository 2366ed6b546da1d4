#include "sim/sweep/run.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <map>

#include "sim/sweep/metrics.hpp"
#include "sim/sweep/progress.hpp"
#include "workloads/base/results_store.hpp"
#include "workloads/base/error.hpp"

namespace tessera::sweep {

namespace {
double now_s() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// A parameter's column value: numbers as numbers, TOML strings without quotes.
base::Value param_value(const AxisValue& v) {
  if (v.number) return v.integer ? base::Value(int64_t(*v.number)) : base::Value(*v.number);
  const std::string& t = v.text;
  if (t.size() >= 2 && t.front() == '"' && t.back() == '"') return t.substr(1, t.size() - 2);
  return t;
}

base::Record base_record(const Point& p) {
  base::Record r{p.hash, {}};
  auto& f = r.fields;
  f.emplace_back("kind", std::string("sweep"));
  f.emplace_back("point", p.index);
  f.emplace_back("version", std::string(TESSERA_VERSION));
  f.emplace_back("mode", std::string(mode_name(p.mode)));
  f.emplace_back("net", p.net);
  f.emplace_back("arch", std::filesystem::path(p.arch).stem().string());
  for (const auto& [k, v] : p.params)
    if (k != "net" && k != "arch" && k != "mode") f.emplace_back(k, param_value(v));
  return r;
}

std::string trim_tail(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}
}  // namespace

Executor*& executor_override() {
  static Executor* ex = nullptr;
  return ex;
}

DirLock::DirLock(const std::string& dir) {
  std::string path = (std::filesystem::path(dir) / "lock").string();
  fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0 || flock(fd_, LOCK_EX | LOCK_NB) != 0)
    throw InputError({dir, 0, 0}, "", "the run directory is in use by another tessera process (" + path + " is locked)");
}

DirLock::~DirLock() {
  if (fd_ >= 0) close(fd_);
}

RunSummary run_sweep(const SweepSpec& spec, const std::vector<Point>& points, const RunOptions& opt, Executor& ex) {
  namespace fs = std::filesystem;
  double t0 = now_s();
  std::error_code ec;
  fs::create_directories(opt.out_dir, ec);
  if (ec || !fs::is_directory(opt.out_dir))
    throw InputError({opt.out_dir, 0, 0}, "-o", "cannot create the run directory: " + (ec ? ec.message() : "not a directory"));
  DirLock lock(opt.out_dir);
  base::ResultsStore store(base::ResultsStore::path_in(opt.out_dir));
  if (store.meta("spec").empty()) store.set_meta("spec", spec.text);
  store.set_meta("last_spec", spec.text);

  RunSummary sum;
  auto recorded = store.statuses();
  std::deque<const Point*> todo;
  std::map<std::string, bool> seen;  // a hash drawn twice runs once
  for (const auto& p : points) {
    if (p.index % opt.shard_count != opt.shard_index) continue;
    ++sum.points;
    if (seen.count(p.hash)) continue;
    seen[p.hash] = true;
    auto it = recorded.find(p.hash);
    if (it != recorded.end() && !(opt.retry_failed && it->second == "failed")) {
      ++sum.recorded;
      continue;
    }
    if (!p.skip_reason.empty()) {
      auto r = base_record(p);
      r.fields.emplace_back("status", std::string("skipped"));
      r.fields.emplace_back("error", p.skip_reason);
      store.put(r);
      ++sum.skipped;
      continue;
    }
    todo.push_back(&p);
  }

  Progress progress("sweep", int64_t(todo.size()), opt.progress);
  std::map<int64_t, const Point*> running;
  int64_t finished = 0;
  while (!todo.empty() || ex.running() > 0) {
    while (!todo.empty() && ex.running() < ex.slots()) {
      const Point* p = todo.front();
      todo.pop_front();
      const bool systemc = p->mode == Mode::Simulate || p->mode == Mode::Compare;
      const std::string& exe = systemc && !opt.sim_binary.empty() ? opt.sim_binary : opt.binary;
      Job job{exe, p->command(spec, kReportPlaceholder), spec.timeout_s, spec.memory_mb};
      ex.submit(p->index, job);
      running[p->index] = p;
      ++sum.ran;
    }
    for (auto& [id, out] : ex.wait_any(0.5)) {
      const Point& p = *running.at(id);
      running.erase(id);
      auto r = base_record(p);
      r.fields.emplace_back("seconds", out.child.seconds);
      r.fields.emplace_back("exit_code", int64_t(out.child.exit_code));
      std::string error;
      if (out.child.ok()) {
        try {
          auto m = report_metrics(out.report);
          r.fields.insert(r.fields.end(), m.begin(), m.end());
          r.fields.emplace_back("report", out.report);
        } catch (const std::exception& e) {
          error = e.what();
        }
      } else {
        error = out.child.describe() + (out.child.stderr_tail.empty() ? "" : ": " + trim_tail(out.child.stderr_tail));
      }
      r.fields.emplace_back("status", std::string(error.empty() ? "done" : "failed"));
      if (!error.empty()) r.fields.emplace_back("error", error);
      store.put(r);
      ++finished;
      if (error.empty()) ++sum.done;
      else ++sum.failed;
    }
    progress.update(finished, sum.failed);
  }
  progress.finish();
  sum.seconds = now_s() - t0;
  return sum;
}

}  // namespace tessera::sweep

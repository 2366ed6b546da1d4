#include "nas/search/child_evaluator.hpp"

#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "nas/search/halving.hpp"
#include "nas/search/search_store.hpp"
#include "workloads/base/child_process.hpp"
#include "workloads/io/text_file.hpp"

namespace tessera::search {

namespace {

namespace fs = std::filesystem;

// The marker is written after the report, by rename: present means complete.
void write_marker(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write " + tmp);
  }
  fs::rename(tmp, path);
}

std::string command_text(const StageCommand& st) {
  std::string t;
  for (const auto& a : st.args) t += a + "\n";
  return t;
}

// Runs `work(i)` for every index on up to `jobs` threads; `finished(i)` runs on
// the calling thread as each completes. The first exception stops the rest and
// is rethrown.
void parallel_each(size_t n, int jobs, const std::function<void(size_t)>& work,
                   const std::function<void(size_t)>& finished) {
  std::mutex m;
  std::condition_variable cv;
  std::deque<size_t> done;
  size_t next = 0;
  std::exception_ptr error;
  auto worker = [&]() {
    for (;;) {
      size_t i;
      {
        std::lock_guard<std::mutex> lock(m);
        if (next >= n || error) return;
        i = next++;
      }
      try {
        work(i);
        std::lock_guard<std::mutex> lock(m);
        done.push_back(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(m);
        if (!error) error = std::current_exception();
      }
      cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (size_t k = 0; k < std::min(n, size_t(std::max(jobs, 1))); ++k) pool.emplace_back(worker);
  for (size_t reported = 0; reported < n;) {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return !done.empty() || error; });
    if (error && done.empty()) break;
    const size_t i = done.front();
    done.pop_front();
    lock.unlock();
    try {
      finished(i);
    } catch (...) {
      std::lock_guard<std::mutex> g(m);
      if (!error) error = std::current_exception();
      break;
    }
    ++reported;
  }
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

// What a rung knows of a candidate's objectives: the estimate's costs as they
// are; the accuracies only the chip evaluation measures (at drift times, AVM)
// stood in for by the rung's test accuracy.
Metrics rung_metrics(Metrics m) {
  for (const auto& info : metric_infos())
    if (info.maximise && !m.count(info.name)) m[info.name] = m.at("accuracy");
  return m;
}

}  // namespace

StageRunner& stage_runner_override() {
  static StageRunner r;
  return r;
}

std::string ChildEvaluator::candidate_dir(const Candidate& c) const { return dir_ + "/candidates/" + candidate_hash(c); }

bool ChildEvaluator::run_stage(const StageCommand& st, const std::string& dir, Outcome& out) const {
  const std::string marker = dir + "/" + st.name + ".done";
  const std::string cmd = command_text(st);
  std::error_code ec;
  if (!(fs::exists(marker) && io::read_file(marker) == cmd && fs::exists(st.report))) {
    // Leftovers of an interrupted run (a partly trained directory) go first.
    fs::remove(marker, ec);
    fs::remove_all(st.output, ec);
    base::ChildSpec spec;
    spec.exe = tessera_;
    spec.args = st.args;
    spec.stdout_path = dir + "/" + st.name + ".log";
    spec.stderr_path = dir + "/" + st.name + ".err";
    const StageRunner& remote = stage_runner_override();
    const base::ChildResult rc = remote.run ? remote.run(spec) : base::run_child(spec);
    if (!rc.ok()) {
      out.status = Status::failed;
      std::string tail = rc.stderr_tail;
      while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
      if (tail.rfind('\n') != std::string::npos) tail = tail.substr(tail.rfind('\n') + 1);
      out.message = fmt::format("{}: {}: {}", st.name, rc.describe(), tail);
      return false;
    }
    write_marker(marker, cmd);
  }
  try {
    read_stage_metrics(st.name.rfind("train", 0) == 0 ? "train" : st.name, io::read_file(st.report), out.metrics);
  } catch (const std::exception& e) {
    out.status = Status::failed;
    out.message = e.what();
    return false;
  }
  return true;
}

bool ChildEvaluator::run_round(const Candidate& c, size_t rung, Outcome& out) const {
  const std::string dir = candidate_dir(c);
  const auto rungs = plan_.rungs();
  auto stage = [&](const StageCommand& st) {
    if (!run_stage(st, dir, out)) return false;
    if (goals_.broken_by_known(out.metrics)) {
      out.status = Status::filtered;
      out.message = "after " + st.name + ": a constraint is broken";
      return false;
    }
    return true;
  };
  if (rung == 0) {
    out.metrics["parameters"] = double(c.parameters);
    if (goals_.broken_by_known(out.metrics)) {
      out.status = Status::filtered;
      out.message = "parameters break a constraint";
      return true;
    }
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create " + dir + ": " + ec.message());
    if (!stage(estimate_command(plan_, arch_, c, dir))) return true;
    if (rungs.empty()) return true;
    if (plan_.proxy_epochs > 0 && !stage(proxy_command(plan_, arch_, c, dir))) return true;
  }
  out.metrics["epochs"] = rungs[rung];
  if (!stage(train_command(plan_, arch_, c, dir, rungs[rung]))) return true;
  if (rung + 1 < rungs.size()) return false;
  if (plan_.device_runs > 0) stage(evaluate_command(plan_, arch_, c, dir));
  return true;
}

void ChildEvaluator::evaluate(const std::vector<Candidate>& batch,
                              const std::function<void(size_t, const Outcome&)>& done) {
  const size_t rounds = std::max<size_t>(plan_.rungs().size(), 1);
  std::vector<Outcome> outs(batch.size());
  std::vector<size_t> alive(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) alive[i] = i;
  for (size_t rung = 0; rung < rounds && !alive.empty(); ++rung) {
    std::vector<char> finished(alive.size(), 0);
    parallel_each(
        alive.size(), jobs_, [&](size_t k) { finished[k] = run_round(batch[alive[k]], rung, outs[alive[k]]); },
        [&](size_t k) {
          if (finished[k]) done(alive[k], outs[alive[k]]);
        });
    // The rung's survivors: the best 1/eta of those still training.
    std::vector<size_t> going;
    std::vector<std::vector<double>> points;
    std::vector<std::string> keys;
    for (size_t k = 0; k < alive.size(); ++k)
      if (!finished[k]) {
        going.push_back(alive[k]);
        points.push_back(goals_.minimised(rung_metrics(outs[alive[k]].metrics)));
        keys.push_back(batch[alive[k]].key());
      }
    if (going.empty()) break;
    const auto keep = promoted(points, keys, plan_.eta);
    std::vector<char> kept(going.size(), 0);
    for (size_t k : keep) kept[k] = 1;
    alive.clear();
    for (size_t k = 0; k < going.size(); ++k) {
      if (kept[k]) {
        alive.push_back(going[k]);
        continue;
      }
      Outcome& o = outs[going[k]];
      o.status = Status::filtered;
      o.message = fmt::format("successive halving: stopped after {} epochs (not in the best {} of {})",
                              plan_.rungs()[rung], keep.size(), going.size());
      done(going[k], o);
    }
  }
}

std::vector<Outcome> ChildEvaluator::simulate(const std::vector<Candidate>& cands) const {
  std::vector<Outcome> outs(cands.size());
  parallel_each(
      cands.size(), jobs_,
      [&](size_t i) {
        const std::string dir = candidate_dir(cands[i]);
        std::error_code ec;
        fs::create_directories(dir, ec);
        run_stage(simulate_command(arch_, cands[i], dir), dir, outs[i]);
      },
      [](size_t) {});
  return outs;
}

}  // namespace tessera::search

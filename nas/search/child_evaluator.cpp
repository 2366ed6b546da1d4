#include "nas/search/child_evaluator.hpp"

#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "nas/search/search_store.hpp"
#include "workloads/base/child_process.hpp"

namespace tessera::search {

std::string ChildEvaluator::candidate_dir(const Candidate& c) const { return dir_ + "/candidates/" + candidate_hash(c); }

Outcome ChildEvaluator::evaluate_one(const Candidate& c) const {
  namespace fs = std::filesystem;
  const std::string dir = candidate_dir(c);
  Outcome out;
  out.metrics["parameters"] = double(c.parameters);
  if (goals_.broken_by_known(out.metrics)) {
    out.status = Status::filtered;
    out.message = "parameters break a constraint";
    return out;
  }
  std::error_code ec;
  fs::remove_all(dir, ec);  // leftovers of an interrupted run
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create " + dir + ": " + ec.message());
  for (const auto& st : stage_commands(plan_, arch_, c, dir)) {
    base::ChildSpec spec;
    spec.exe = tessera_;
    spec.args = st.args;
    spec.stdout_path = dir + "/" + st.name + ".log";
    spec.stderr_path = dir + "/" + st.name + ".err";
    const base::ChildResult rc = base::run_child(spec);
    if (!rc.ok()) {
      out.status = Status::failed;
      std::string tail = rc.stderr_tail;
      while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
      if (tail.rfind('\n') != std::string::npos) tail = tail.substr(tail.rfind('\n') + 1);
      out.message = fmt::format("{}: {}: {}", st.name, rc.describe(), tail);
      return out;
    }
    std::ifstream in(st.report);
    std::stringstream ss;
    ss << in.rdbuf();
    try {
      read_stage_metrics(st.name, ss.str(), out.metrics);
    } catch (const std::exception& e) {
      out.status = Status::failed;
      out.message = e.what();
      return out;
    }
    if (goals_.broken_by_known(out.metrics)) {
      out.status = Status::filtered;
      out.message = "after " + st.name + ": a constraint is broken";
      return out;
    }
  }
  return out;
}

void ChildEvaluator::evaluate(const std::vector<Candidate>& batch,
                              const std::function<void(size_t, const Outcome&)>& done) {
  std::mutex m;
  std::condition_variable cv;
  std::deque<std::pair<size_t, Outcome>> finished;
  size_t next = 0;
  std::exception_ptr error;
  auto worker = [&]() {
    for (;;) {
      size_t i;
      {
        std::lock_guard<std::mutex> lock(m);
        if (next >= batch.size() || error) return;
        i = next++;
      }
      try {
        Outcome o = evaluate_one(batch[i]);
        std::lock_guard<std::mutex> lock(m);
        finished.emplace_back(i, std::move(o));
      } catch (...) {
        std::lock_guard<std::mutex> lock(m);
        if (!error) error = std::current_exception();
      }
      cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  const size_t n = std::min(batch.size(), size_t(std::max(jobs_, 1)));
  for (size_t k = 0; k < n; ++k) pool.emplace_back(worker);
  // Results are recorded on this thread, as they arrive.
  size_t reported = 0;
  while (reported < batch.size()) {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return !finished.empty() || error; });
    if (error && finished.empty()) break;
    auto [i, o] = std::move(finished.front());
    finished.pop_front();
    lock.unlock();
    try {
      done(i, o);
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

}  // namespace tessera::search

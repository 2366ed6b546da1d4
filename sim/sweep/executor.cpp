#include "sim/sweep/executor.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace tessera::sweep {

namespace {
std::string tmp_file(const std::string& dir, int64_t id, const char* ext) {
  return (std::filesystem::path(dir) / ("point-" + std::to_string(id) + ext)).string();
}

base::ChildSpec child_spec(const Job& job, const std::string& dir, int64_t id) {
  base::ChildSpec c;
  c.exe = job.exe;
  for (const auto& a : job.args) c.args.push_back(a == kReportPlaceholder ? tmp_file(dir, id, ".json") : a);
  c.stdout_path = tmp_file(dir, id, ".out");
  c.stderr_path = tmp_file(dir, id, ".err");
  c.timeout_s = job.timeout_s;
  c.memory_mb = job.memory_mb;
  return c;
}

// Collects what a finished point left and removes its files.
Outcome collect(base::ChildResult r, const std::string& dir, int64_t id) {
  Outcome o{std::move(r), ""};
  std::string report = tmp_file(dir, id, ".json");
  if (o.child.ok()) {
    std::ifstream f(report);
    std::stringstream ss;
    ss << f.rdbuf();
    o.report = ss.str();
  }
  std::error_code ec;
  for (const char* ext : {".json", ".out", ".err"}) std::filesystem::remove(tmp_file(dir, id, ext), ec);
  return o;
}
}  // namespace

LocalExecutor::LocalExecutor(size_t jobs, std::string tmp_dir) : jobs_(jobs), tmp_dir_(std::move(tmp_dir)) {
  std::filesystem::create_directories(tmp_dir_);
}

void LocalExecutor::submit(int64_t id, const Job& job) { pool_.start(id, child_spec(job, tmp_dir_, id)); }

std::vector<std::pair<int64_t, Outcome>> LocalExecutor::wait_any(double max_wait_s) {
  std::vector<std::pair<int64_t, Outcome>> out;
  for (auto& [id, r] : pool_.wait_any(max_wait_s)) out.emplace_back(id, collect(std::move(r), tmp_dir_, id));
  return out;
}

Outcome run_job(const Job& job, const std::string& tmp_dir, int64_t id) {
  std::filesystem::create_directories(tmp_dir);
  return collect(base::run_child(child_spec(job, tmp_dir, id)), tmp_dir, id);
}

}  // namespace tessera::sweep

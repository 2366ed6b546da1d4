// tessera sweep: design-space sweeps (sim/sweep/). Runs a spec into a run
// directory, and reads, exports and merges run directories.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "sim/cli/common.hpp"
#include "sim/cli/dispatch.hpp"
#include "sim/cli/options.hpp"
#include "sim/report/report.hpp"
#include "sim/sweep/point.hpp"
#include "sim/sweep/run.hpp"
#include "sim/sweep/spec.hpp"
#include "workloads/base/results_store.hpp"

namespace tessera::cli {

namespace {
namespace fs = std::filesystem;

// The store of an existing run directory (never creates one).
base::ResultsStore open_store(const std::string& dir) {
  std::string path = base::ResultsStore::path_in(dir);
  if (!fs::exists(path)) throw InputError({dir, 0, 0}, "", "no results store here (" + path + " does not exist)");
  return base::ResultsStore(path, false);
}

void parse_shard(const std::string& s, int64_t& index, int64_t& count) {
  auto slash = s.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument("");
    size_t a = 0, b = 0;
    index = std::stoll(s.substr(0, slash), &a);
    count = std::stoll(s.substr(slash + 1), &b);
    if (a != slash || b != s.size() - slash - 1) throw std::invalid_argument("");
  } catch (const std::exception&) {
    throw InputError({"command line", 0, 0}, "--shard", "expected I/N (e.g. 0/4), got '" + s + "'");
  }
  if (count < 1 || index < 0 || index >= count)
    throw InputError({"command line", 0, 0}, "--shard", "I/N needs 0 <= I < N, got '" + s + "'");
}

int sweep_status(const Args& args) {
  po::options_description desc("sweep status options");
  std::string dir;
  desc.add_options()("help,h", "this help")("dir", po::value(&dir)->required(), "run directory");
  po::positional_options_description pos;
  pos.add("dir", 1);
  po::variables_map vm;
  if (!parse(args, desc, vm, "tessera sweep status DIR", &pos)) return 0;
  auto store = open_store(dir);
  auto counts = store.count_by_status();
  int64_t total = 0;
  for (const auto& [k, v] : counts) total += v;
  std::cout << fmt::format("{}: {} points recorded: {} done, {} failed, {} skipped\n", dir, total, counts["done"],
                           counts["failed"], counts["skipped"]);
  for (const auto& row : store.rows({"failed"})) {
    std::string err = row.count("error") ? base::value_text(row.at("error")) : "";
    if (err.size() > 300) err = err.substr(0, 300) + "...";
    std::cout << fmt::format("  failed point {}: {}\n", base::value_text(row.at("point")), err);
  }
  return 0;
}

int sweep_export(const Args& args) {
  po::options_description desc("sweep export options");
  std::string dir, csv, jsonl;
  desc.add_options()("help,h", "this help")("dir", po::value(&dir)->required(), "run directory")
      ("csv", po::value(&csv), "write every recorded point as CSV (without the JSON reports)")
      ("jsonl", po::value(&jsonl), "write every recorded point as JSON lines (with the reports)");
  po::positional_options_description pos;
  pos.add("dir", 1);
  po::variables_map vm;
  if (!parse(args, desc, vm, "tessera sweep export DIR (--csv FILE | --jsonl FILE)", &pos)) return 0;
  if (csv.empty() && jsonl.empty()) throw InputError({"command line", 0, 0}, "--csv", "give --csv FILE or --jsonl FILE");
  check_output_paths({csv, jsonl});
  auto store = open_store(dir);
  std::ostringstream c, j;
  if (!csv.empty()) store.export_csv(c);
  if (!jsonl.empty()) store.export_jsonl(j);
  write_files_atomic({{csv, c.str()}, {jsonl, j.str()}});
  return 0;
}

int sweep_merge(const Args& args) {
  po::options_description desc("sweep merge options");
  std::string out;
  std::vector<std::string> dirs;
  desc.add_options()("help,h", "this help")("output,o", po::value(&out)->required(), "the merged run directory (created or added to)")
      ("dirs", po::value(&dirs)->composing(), "run directories to merge (shards)");
  po::positional_options_description pos;
  pos.add("dirs", -1);
  po::variables_map vm;
  if (!parse(args, desc, vm, "tessera sweep merge -o OUT DIR...", &pos)) return 0;
  if (dirs.empty()) throw InputError({"command line", 0, 0}, "DIR", "name at least one run directory to merge");
  for (const auto& d : dirs) open_store(d);  // all exist before anything is written
  fs::create_directories(out);
  sweep::DirLock lock(out);
  base::ResultsStore merged(base::ResultsStore::path_in(out));
  int64_t added = 0;
  for (const auto& d : dirs) {
    int64_t n = merged.merge_from(base::ResultsStore::path_in(d));
    std::string spec = base::ResultsStore(base::ResultsStore::path_in(d), false).meta("spec");
    if (merged.meta("spec").empty() && !spec.empty()) merged.set_meta("spec", spec);
    std::cout << fmt::format("{}: {} points merged\n", d, n);
    added += n;
  }
  std::cout << fmt::format("{}: {} points added\n", out, added);
  return 0;
}

int sweep_describe(const Args& args) {
  po::options_description desc("sweep describe options");
  desc.add_options()("help,h", "this help")("markdown", "a Markdown table (docs/sweeps.md)");
  po::variables_map vm;
  if (!parse(args, desc, vm, "tessera sweep describe [--markdown]")) return 0;
  print_params(sweep::describe_sweep_spec(), vm.count("markdown") > 0, std::cout);
  return 0;
}

int sweep_run(const Args& args) {
  po::options_description desc("sweep options");
  std::string spec_path, out, shard = "0/1", binary;
  int jobs = 1;
  desc.add_options()("help,h", "this help")("spec", po::value(&spec_path)->required(), "sweep spec (TOML; docs/sweeps.md)")
      ("output,o", po::value(&out)->required(), "run directory: results.sqlite and temporary files")
      ("jobs,j", po::value(&jobs)->default_value(1), "points run at once, each in its own process")
      ("retry-failed", "rerun the points recorded as failed")
      ("shard", po::value(&shard)->default_value("0/1"), "I/N: run only the points whose index is I modulo N (Slurm job arrays)")
      ("mpi", "distribute the points over MPI ranks (run under mpirun; rank 0 owns the store)")
      ("dry-run", "resolve and check every point, print them, run nothing")
      ("binary", po::value(&binary), "the tessera executable each point runs (default: this one)")
      ("quiet,q", "no progress display");
  po::positional_options_description pos;
  pos.add("spec", 1);
  po::variables_map vm;
  if (!parse(args, desc, vm, "tessera sweep SPEC.toml -o DIR [-j N] [--retry-failed] [--shard I/N] [--mpi]", &pos)) return 0;
  if (jobs < 1 || jobs > 4096) throw InputError({"command line", 0, 0}, "--jobs", "must be between 1 and 4096");
  sweep::RunOptions opt;
  parse_shard(shard, opt.shard_index, opt.shard_count);
  if (vm.count("mpi") && !sweep::executor_override()) {
    // MPI lives in its own executable, like libtorch: its start-up stays out
    // of every other command. The MPI environment survives the exec.
    exec_command("tessera-mpi", "sweep", args);
  }
  if (!binary.empty() && !fs::exists(binary)) throw InputError({"command line", 0, 0}, "--binary", "no such file: " + binary);
  opt.binary = binary.empty() ? sibling_path("tessera") : binary;
  if (binary.empty()) opt.sim_binary = sibling_path("tessera-sim");
  opt.out_dir = out;
  opt.retry_failed = vm.count("retry-failed") > 0;
  opt.progress = !vm.count("quiet");

  auto spec = sweep::load_sweep_spec(spec_path);
  auto points = sweep::resolve_points(spec);
  if (vm.count("dry-run")) {
    for (const auto& p : points) {
      std::string params;
      for (const auto& [k, v] : p.params) params += (params.empty() ? "" : " ") + k + "=" + v.text;
      std::cout << fmt::format("{:>5} {} {}{}\n", p.index, p.hash.substr(0, 12), params,
                               p.skip_reason.empty() ? "" : "  [skipped: " + p.skip_reason + "]");
    }
    std::cout << points.size() << " points\n";
    return 0;
  }
  std::unique_ptr<sweep::LocalExecutor> local;
  sweep::Executor* ex = sweep::executor_override();  // MPI ranks under tessera-mpi
  if (!ex) {
    local = std::make_unique<sweep::LocalExecutor>(size_t(jobs), (fs::path(out) / "tmp").string());
    ex = local.get();
  }
  auto s = sweep::run_sweep(spec, points, opt, *ex);
  std::cout << fmt::format("sweep: {} points: {} recorded before, {} run ({} done, {} failed), {} skipped; {:.2f} s; {}\n",
                           s.points, s.recorded, s.ran, s.done, s.failed, s.skipped, s.seconds,
                           base::ResultsStore::path_in(out));
  return 0;
}
}  // namespace

int cmd_sweep(const Args& args) {
  if (!args.empty()) {
    const std::string& sub = args[0];
    Args rest(args.begin() + 1, args.end());
    if (sub == "status") return sweep_status(rest);
    if (sub == "export") return sweep_export(rest);
    if (sub == "merge") return sweep_merge(rest);
    if (sub == "describe") return sweep_describe(rest);
  }
  return sweep_run(args);
}

}  // namespace tessera::cli

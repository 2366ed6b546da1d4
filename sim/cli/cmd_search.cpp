// tessera search: neural architecture and hardware search (nas/search/).
//   tessera search SPACE.toml -o DIR [-j N] [--evaluations N] [--mpi]
// runs or resumes the search described by SPACE.toml; DIR keeps the record
// (results.sqlite, the store shared with sweeps), the current front (pareto.csv), the leaderboard, the
// progress per generation and each candidate's files.
//   tessera search export DIR [--top K] -o OUT
// writes the front's (or the K best) candidates as files tessera runs as they are.
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "nas/search/child_evaluator.hpp"
#include "nas/search/search_store.hpp"
#include "nas/search/ranking.hpp"
#include "nas/search/run.hpp"
#include "sim/cli/common.hpp"
#include "sim/cli/dispatch.hpp"
#include "workloads/base/results_store.hpp"
#include <nlohmann/json.hpp>
#include "sim/cli/options.hpp"
#include "sim/report/report.hpp"
#include "workloads/importers/network_toml.hpp"
#include "workloads/io/toml_reader.hpp"
#include "workloads/io/text_file.hpp"
#include "workloads/load.hpp"

namespace tessera::cli {

namespace {

namespace fs = std::filesystem;
using namespace tessera::search;

// Everything a search file holds, read and checked before anything runs.
struct SearchFile {
  SearchSpace space;
  Goals goals;
  EvaluationPlan plan;
  std::unique_ptr<Strategy> strategy;
  std::string strategy_name;
  RunOptions run;
};

SearchFile read_search_file(const std::string& path) {
  io::Document doc = io::Document::from_file(path);
  io::Section root = doc.root();
  SearchFile f;
  io::Section s = root.table("search", "the run: budget, batch, seed");
  f.run.evaluations = size_t(s.integer("evaluations", "candidates evaluated in all", 100, 1, 1000000));
  f.run.batch = size_t(s.integer("batch", "candidates per generation (evaluated in parallel up to -j)", 8, 1, 10000));
  f.run.seed = uint64_t(s.integer("seed", "seed of the strategy", 1, 0, INT64_MAX));
  s.finish();
  f.space = SearchSpace::load(root, resolve_arch);
  f.goals = Goals::load(root);
  f.plan = EvaluationPlan::load(root.table("evaluation", "how candidates are measured"));
  io::Section st = root.table("strategy", "the search strategy: impl and its parameters");
  f.strategy = make_strategy(st);
  f.strategy_name = st.string("impl", "strategy", "evolution");
  st.check(f.strategy_name != "nsga2" || f.goals.objectives.size() >= 2, "impl",
           "nsga2 needs two or more [[objective]]s; with one, use evolution, surrogate or random");
  root.finish();
  return f;
}

std::string progress_line(const Progress& p, const Goals& g) {
  return fmt::format("generation {:3d}: {:4d} evaluated, {:4d} feasible, best {} {}, hypervolume {:.6g}", p.generation,
                     p.evaluated, p.feasible, g.objectives.front().metric,
                     std::isnan(p.best) ? std::string("-") : fmt::format("{:.6g}", p.best), p.hypervolume);
}

// progress.csv from the record: per generation, the state after it.
std::string progress_csv(const std::vector<Evaluation>& all, const Goals& g) {
  int last = -1;
  for (const auto& e : all) last = std::max(last, e.generation);
  std::string out = "generation,evaluated,feasible,best,hypervolume\n";
  for (int gen = 0; gen <= last; ++gen) {
    std::vector<Evaluation> upto;
    for (const auto& e : all)
      if (e.generation <= gen) upto.push_back(e);
    const Progress p = progress_of(upto, g, gen);
    out += fmt::format("{},{},{},{},{:.10g}\n", gen, p.evaluated, p.feasible,
                       std::isnan(p.best) ? std::string() : fmt::format("{:.10g}", p.best), p.hypervolume);
  }
  return out;
}

std::string leaderboard(const std::vector<Evaluation>& all, const Goals& g, bool front_only) {
  std::ostringstream os;
  write_leaderboard_csv(all, g, front_only, os);
  return os.str();
}

// The chosen candidates of a search as files: OUT/NN-HASH/ holds network.toml,
// arch.toml (the arch config with the candidate's overrides applied), weights/ (the weight export of its training, when it was trained),
// candidate.json (metrics, arch, overrides) and commands.sh, the estimate,
// simulate and evaluate command lines that run it as it is.
int search_export(const Args& args) {
  po::options_description desc("search export options");
  std::string dir, out;
  int top = 0;
  desc.add_options()("help,h", "this help")
      ("dir", po::value(&dir)->required(), "the search's directory")
      ("top", po::value(&top)->default_value(0), "the K best by constrained scalar rank (0: the Pareto front)")
      ("output,o", po::value(&out)->required(), "directory to write the candidates to");
  po::positional_options_description pos;
  pos.add("dir", 1);
  po::variables_map vm;
  if (!parse(args, desc, vm, "tessera search export DIR [--top K] -o OUT", &pos)) return 0;
  if (top < 0) throw InputError({"command line", 0, 0}, "--top", "must not be negative");
  if (!fs::exists(dir + "/space.toml"))
    throw InputError({"command line", 0, 0}, "--dir", "'" + dir + "' holds no search (no space.toml)");
  SearchFile f = read_search_file(dir + "/space.toml");
  if (!fs::exists(base::ResultsStore::path_in(dir)))
    throw InputError({"command line", 0, 0}, "--dir", "'" + dir + "' holds no search record (results.sqlite)");
  SearchStore store(dir);
  const auto all = store.load();
  std::vector<size_t> chosen;
  if (top == 0) {
    chosen = pareto_front(all, f.goals);
    // Best first, as the leaderboard.
    const auto order = scalar_rank(all, f.goals);
    std::vector<size_t> sorted;
    for (size_t i : order)
      if (std::find(chosen.begin(), chosen.end(), i) != chosen.end()) sorted.push_back(i);
    chosen = sorted;
  } else {
    const auto order = scalar_rank(all, f.goals);
    for (size_t k = 0; k < order.size() && k < size_t(top); ++k)
      if (all[order[k]].outcome.status != Status::failed) chosen.push_back(order[k]);
  }
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw InputError({"command line", 0, 0}, "--output", "cannot create directory '" + out + "'");
  const std::string arch = resolve_arch(f.space.arch);
  const std::string self = sibling_path("tessera");  // the candidates' commands run the main binary
  ChildEvaluator layout(self, arch, f.plan, f.goals, dir, 1);
  int n = 0;
  for (size_t i : chosen) {
    const Evaluation& e = all[i];
    const std::string cdir = fmt::format("{}/{:02d}-{}", out, ++n, candidate_hash(e.candidate));
    fs::create_directories(cdir, ec);
    write_file_atomic(cdir + "/network.toml", network_to_toml(load_network(e.candidate.net)));
    const std::string weights = layout.candidate_dir(e.candidate) + "/train/export";
    const bool trained = fs::exists(weights + "/manifest.json");
    if (trained) fs::copy(weights, cdir + "/weights", fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    // The chip as one file: the arch config with the candidate's overrides applied.
    io::Document chip_doc = io::Document::from_file(arch);
    for (const auto& s : e.candidate.sets) chip_doc.apply_override(s);
    write_file_atomic(cdir + "/arch.toml", "# " + f.space.arch + " with the overrides of candidate #" +
                                              std::to_string(e.id) + " of " + dir + "\n" + chip_doc.canonical_text());
    std::string cmds = "#!/bin/sh\n# Candidate #" + std::to_string(e.id) + " of " + dir + "; run from this directory.\n";
    const std::string chip = "--net network.toml --arch arch.toml";
    cmds += fmt::format("tessera estimate {}\n", chip);
    if (trained) {
      cmds += fmt::format("tessera simulate {} --functional --weights weights --dataset {}\n", chip, f.plan.dataset);
      cmds += fmt::format("tessera evaluate {} --weights weights --dataset {} --device-runs 5\n", chip, f.plan.dataset);
    }
    write_file_atomic(cdir + "/commands.sh", cmds);
    nlohmann::ordered_json j;
    j["id"] = e.id;
    j["generation"] = e.generation;
    j["network"] = e.candidate.net;
    j["arch"] = arch;
    j["set"] = e.candidate.sets;
    j["status"] = status_name(e.outcome.status);
    j["metrics"] = e.outcome.metrics;
    // The cycle-level simulation of a front candidate, when the search ran it.
    const std::string sim = layout.candidate_dir(e.candidate) + "/simulate.json";
    if (fs::exists(sim)) {
      Metrics sm;
      read_stage_metrics("simulate", io::read_file(sim), sm);
      for (const auto& [k, v] : sm) j["metrics"][k] = v;
    }
    write_file_atomic(cdir + "/candidate.json", j.dump(2) + "\n");
    std::cout << fmt::format("{}: #{} {}\n", cdir, e.id, e.candidate.key());
  }
  std::cout << fmt::format("{} candidates exported to {}\n", chosen.size(), out);
  return 0;
}

// The last fidelity: the cycle-level simulation of the Pareto set, against
// the analytical figures the search ranked it by (DIR/front-simulated.csv).
void simulate_front(const ChildEvaluator& evaluator, const std::vector<Evaluation>& all, const Goals& goals,
                    const std::string& dir) {
  const auto front = pareto_front(all, goals);
  std::vector<Candidate> cands;
  for (size_t i : front) cands.push_back(all[i].candidate);
  const auto sims = evaluator.simulate(cands);
  std::string csv = "id,network,set,latency_ms,sim_latency_ms,latency_error_pct,energy_uj,sim_energy_uj,energy_error_pct,status\n";
  auto pct = [](double est, double sim) { return sim != 0 ? 100.0 * (est - sim) / sim : 0.0; };
  double worst = 0;
  for (size_t k = 0; k < front.size(); ++k) {
    const Evaluation& e = all[front[k]];
    const Metrics& m = e.outcome.metrics;
    const Outcome& o = sims[k];
    std::string sets;
    for (const auto& x : e.candidate.sets) sets += (sets.empty() ? "" : " ") + x;
    if (o.status != Status::ok) {
      csv += fmt::format("{},\"{}\",\"{}\",,,,,,,\"failed: {}\"\n", e.id, e.candidate.net, sets, o.message);
      continue;
    }
    const double lat = m.at("latency_ms"), slat = o.metrics.at("sim_latency_ms");
    const double en = m.at("energy_uj"), sen = o.metrics.at("sim_energy_uj");
    worst = std::max(worst, std::abs(pct(lat, slat)));
    csv += fmt::format("{},\"{}\",\"{}\",{:.10g},{:.10g},{:.4f},{:.10g},{:.10g},{:.4f},ok\n", e.id, e.candidate.net, sets,
                       lat, slat, pct(lat, slat), en, sen, pct(en, sen));
  }
  write_file_atomic(dir + "/front-simulated.csv", csv);
  std::cout << fmt::format("front simulated cycle by cycle: {} candidates, largest latency difference {:.3f}% ({}/front-simulated.csv)\n",
                           front.size(), worst, dir);
}

int run_search_command(const Args& args) {
  po::options_description desc("search options");
  std::string space_file, dir;
  int jobs = 1;
  int64_t evaluations = 0;
  desc.add_options()("help,h", "this help")
      ("space", po::value(&space_file)->required(), "search space file (configs/nas/*.toml)")
      ("output,o", po::value(&dir)->required(), "directory of the search: a rerun with the same directory resumes")
      ("jobs,j", po::value(&jobs)->default_value(1), "candidates evaluated at once (child processes)")
      ("evaluations", po::value(&evaluations), "override [search] evaluations (extend a finished search)")
      ("mpi", "run the candidates' stages on MPI ranks (under mpirun; rank 0 searches, the others run stages; DIR on a shared file system)");
  po::positional_options_description pos;
  pos.add("space", 1);
  po::variables_map vm;
  if (!parse(args, desc, vm, "tessera search SPACE.toml -o DIR [-j N] [--evaluations N] [--mpi]", &pos)) return 0;
  if (vm.count("mpi") && !stage_runner_override().run) {
    // MPI lives in tessera-mpi, as for sweeps; the MPI environment survives the exec.
    exec_command("tessera-mpi", "search", args);
  }
  // On MPI ranks, as many candidates at once as there are workers unless -j says otherwise.
  if (stage_runner_override().run && vm["jobs"].defaulted()) jobs = stage_runner_override().slots;
  auto need = [](bool ok, const char* opt, const std::string& what) {
    if (!ok) throw InputError({"command line", 0, 0}, opt, what);
  };
  need(jobs >= 1 && jobs <= 1024, "--jobs", fmt::format("{} is out of range; allowed: 1 to 1024", jobs));
  need(!vm.count("evaluations") || evaluations >= 1, "--evaluations", "must be at least 1");
  SearchFile f = read_search_file(space_file);
  if (vm.count("evaluations")) f.run.evaluations = size_t(evaluations);

  // A directory holds one search: its space file is kept and must match on a rerun.
  const std::string text = io::read_file(space_file);
  const std::string kept = dir + "/space.toml";
  if (fs::exists(kept)) {
    need(io::read_file(kept) == text, "--output",
         "'" + dir + "' holds a different search (its space.toml differs from " + space_file + ")");
  } else {
    std::error_code ec;
    fs::create_directories(dir, ec);
    need(!ec && fs::is_directory(dir), "--output", "cannot create directory '" + dir + "'");
    write_file_atomic(kept, text);
  }

  SearchStore store(dir);
  const std::string self = sibling_path("tessera");  // the candidates' commands run the main binary
  ChildEvaluator evaluator(self, resolve_arch(f.space.arch), f.plan, f.goals, dir, jobs);
  auto write_views = [&](const std::vector<Evaluation>& all) {
    write_file_atomic(dir + "/pareto.csv", leaderboard(all, f.goals, true));
    write_file_atomic(dir + "/leaderboard.csv", leaderboard(all, f.goals, false));
  };
  const auto before = store.load();
  write_views(before);
  if (!before.empty()) std::cout << fmt::format("resuming: {} candidates recorded in {}\n", before.size(), dir);
  std::cout << fmt::format("search: {} genes, strategy {}, {} evaluations in generations of {}, seed {}, {} job(s)\n",
                           f.space.genes().size(), f.strategy_name, f.run.evaluations, f.run.batch, f.run.seed, jobs)
            << std::flush;
  search::RunResult r = run_search(
      f.space, f.goals, *f.strategy, evaluator, store, f.run,
      [&](const std::vector<Evaluation>& all) {
        const Evaluation& e = all.back();
        std::cout << fmt::format("  #{} {} {}{}\n", e.id, status_name(e.outcome.status), e.candidate.key(),
                                 e.outcome.message.empty() ? "" : " (" + e.outcome.message + ")")
                  << std::flush;
        write_views(all);
      },
      [&](const Progress& p) { std::cout << progress_line(p, f.goals) << "\n" << std::flush; });
  write_file_atomic(dir + "/progress.csv", progress_csv(r.evaluations, f.goals));
  write_views(r.evaluations);
  if (f.plan.simulate_front) simulate_front(evaluator, r.evaluations, f.goals, dir);
  std::cout << fmt::format("done: {} candidates ({} now){}; front of {} in {}/pareto.csv\n", r.evaluations.size(),
                           r.evaluated_now, r.exhausted ? ", the space is exhausted" : "",
                           pareto_front(r.evaluations, f.goals).size(), dir);
  return 0;
}

}  // namespace

int cmd_search(const Args& args) {
  if (!args.empty() && args.front() == "export") return search_export(Args(args.begin() + 1, args.end()));
  return run_search_command(args);
}

}  // namespace tessera::cli

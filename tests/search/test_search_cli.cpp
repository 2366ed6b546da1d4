// tessera search end to end through the binary: bad search files (exit 2,
// nothing written), determinism, resume after kill -9, export.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "../support/run_tessera.hpp"
#include "nas/search/search_store.hpp"

namespace fs = std::filesystem;
using namespace tessera;
using tessera::testing::run_tessera;
using tessera::testing::slurp;
using tessera::testing::temp_path;

namespace {

// A cost-only search (no training): milliseconds per candidate.
const char* kCostOnly = R"([search]
evaluations = 10
batch = 4
seed = 3

[strategy]
impl = "nsga2"
population = 4

[network]
family = "cnn"
depth = [2, 3]
kernels = [3, 5, 7]
widths = [8, 16]

[hardware]
arch = "pcm-nax"

[[hardware.axis]]
key = "mapping.layers.{layer}"
values = ["pcm64", "pcm128", "pcm256"]
layer_genes = 4

[evaluation]
epochs = 0
device_runs = 0

[[objective]]
metric = "edap"
reference = 1.0

[[objective]]
metric = "latency_ms"
reference = 10.0
)";

std::string write(const std::string& name, const std::string& text) {
  const std::string p = temp_path(name);
  std::ofstream(p) << text;
  return p;
}

std::vector<search::Evaluation> record(const std::string& dir) {
  if (!fs::exists(dir + "/results.sqlite")) return {};
  return search::SearchStore(dir).load();
}

}  // namespace

TEST(SearchCli, MalformedSpaceIsAnInputErrorAndWritesNothing) {
  std::string text = kCostOnly;
  text.replace(text.find("kernels = [3, 5, 7]"), 19, "kernels = [3, 4, 7]");
  const std::string space = write("bad.toml", text);
  const std::string dir = temp_path("bad-search");
  auto r = run_tessera("search " + space + " -o " + dir);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("bad.toml:13"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("network.kernels"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir));
  r = run_tessera("search " + write("bad2.toml", std::string(kCostOnly) + "[constraints.speed]\nmax = 1\n") + " -o " + dir);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("constraints.speed"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir));
  // NSGA-II with a single objective.
  const std::string one = std::string(kCostOnly).substr(0, std::string(kCostOnly).find("[[objective]]")) +
                          "[[objective]]\nmetric = \"edap\"\nreference = 1.0\n";
  r = run_tessera("search " + write("bad3.toml", one) + " -o " + dir);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("bad3.toml:7:8: strategy.impl: nsga2 needs two or more"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir));
}

TEST(SearchCli, CostOnlySearchIsDeterministicResumesAndExports) {
  const std::string space = write("cost.toml", kCostOnly);
  const std::string a = temp_path("cost-a"), b = temp_path("cost-b");
  auto r = run_tessera("search " + space + " -o " + a + " -j 2");
  ASSERT_EQ(r.code, 0) << r.out;
  r = run_tessera("search " + space + " -o " + b);
  ASSERT_EQ(r.code, 0) << r.out;
  // Same seed: the same candidates in the same generations with the same metrics.
  auto ea = record(a), eb = record(b);
  ASSERT_EQ(ea.size(), 10u);
  ASSERT_EQ(eb.size(), 10u);
  std::set<std::string> ka, kb;
  for (size_t i = 0; i < ea.size(); ++i) {
    ka.insert(std::to_string(ea[i].generation) + " " + ea[i].candidate.key());
    kb.insert(std::to_string(eb[i].generation) + " " + eb[i].candidate.key());
    EXPECT_EQ(ea[i].outcome.status, search::Status::ok) << ea[i].outcome.message;
  }
  EXPECT_EQ(ka, kb);
  // The fronts hold the same candidates (ids follow completion order, which -j 2 varies).
  auto front_rows = [](const std::string& csv) {
    std::multiset<std::string> rows;
    std::istringstream is(csv);
    for (std::string line; std::getline(is, line);) {
      size_t c2 = line.find(',', line.find(',') + 1), c3 = line.find(',', c2 + 1);
      rows.insert(line.substr(0, c2) + line.substr(c3));
    }
    return rows;
  };
  EXPECT_EQ(front_rows(slurp(a + "/pareto.csv")), front_rows(slurp(b + "/pareto.csv")));
  EXPECT_NE(slurp(a + "/pareto.csv").find("rank,pareto,id"), std::string::npos);
  // A finished search resumes to nothing; a larger budget extends it.
  r = run_tessera("search " + space + " -o " + a);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("resuming: 10 candidates"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(0 now)"), std::string::npos) << r.out;
  r = run_tessera("search " + space + " -o " + a + " --evaluations 14");
  EXPECT_NE(r.out.find("(4 now)"), std::string::npos) << r.out;
  // A different search file cannot reuse the directory.
  r = run_tessera("search " + write("other.toml", std::string(kCostOnly) + "\n") + " -o " + a);
  EXPECT_EQ(r.code, 2) << r.out;
  // Export: each front member's network file and commands run as they are.
  const std::string out = temp_path("cost-export");
  r = run_tessera("search export " + b + " -o " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  int exported = 0;
  for (const auto& e : fs::directory_iterator(out)) {
    ++exported;
    ASSERT_TRUE(fs::exists(e.path() / "network.toml"));
    const std::string cmds = slurp((e.path() / "commands.sh").string());
    const auto est = cmds.substr(cmds.find("tessera estimate") + 8, cmds.find('\n', cmds.find("tessera estimate")) - cmds.find("tessera estimate") - 8);
    const std::string cwd = fs::current_path();
    fs::current_path(e.path());
    auto run = run_tessera(est + " -q -o est.json");
    fs::current_path(cwd);
    ASSERT_EQ(run.code, 0) << est << "\n" << run.out;
    EXPECT_NE(est.find("--arch arch.toml"), std::string::npos) << est;
    // The exported files are the candidate: the same energy as the search measured.
    const auto cand = nlohmann::json::parse(slurp((e.path() / "candidate.json").string()));
    const auto rep = nlohmann::json::parse(slurp((e.path() / "est.json").string()));
    EXPECT_DOUBLE_EQ(rep.at("totals").at("energy_pj").get<double>() * 1e-6, cand.at("metrics").at("energy_uj").get<double>());
  }
  EXPECT_GE(exported, 1);
  // The search simulated its final front cycle by cycle; export carries the figures.
  const std::string sim = slurp(b + "/front-simulated.csv");
  EXPECT_EQ(sim.rfind("id,network,set,latency_ms,sim_latency_ms", 0), 0u) << sim;
  EXPECT_EQ(std::count(sim.begin(), sim.end(), '\n'), exported + 1) << sim;
  EXPECT_EQ(sim.find("failed"), std::string::npos) << sim;
  for (const auto& e : fs::directory_iterator(out))
    EXPECT_NE(slurp((e.path() / "candidate.json").string()).find("sim_latency_ms"), std::string::npos);
}

TEST(SearchCli, SuccessiveHalvingTrainsTheBestFurtherAndRereadsFinishedStages) {
  std::string text = kCostOnly;
  text.replace(text.find("epochs = 0\ndevice_runs = 0"), 26,
               "epochs = 2\nmin_epochs = 1\neta = 2\ntrain_images = 200\ntest_images = 200\nhwa_periphery = false\n"
               "device_runs = 1\ntimes_s = [1]\neval_images = 50\nsimulate_front = false");
  text.replace(text.find("evaluations = 10"), 16, "evaluations = 4");
  // One objective, the accuracy on the chip: a rung promotes by its test accuracy.
  text = text.substr(0, text.find("[[objective]]")) + "[[objective]]\nmetric = \"drift_accuracy\"\nreference = 0.0\n";
  text.replace(text.find("impl = \"nsga2\""), 14, "impl = \"evolution\"");
  const std::string space = write("halving.toml", text);
  const std::string dir = temp_path("halving");
  auto r = run_tessera("search " + space + " -o " + dir + " -j 2");
  ASSERT_EQ(r.code, 0) << r.out;
  auto evals = record(dir);
  ASSERT_EQ(evals.size(), 4u);
  // Rung 1 (1 epoch) for all four; the better half by its accuracy trains 2 epochs and is evaluated.
  std::vector<std::pair<double, std::string>> rung1;
  std::map<std::string, search::Evaluation> by_key;
  for (const auto& e : evals) {
    const std::string cdir = dir + "/candidates/" + search::candidate_hash(e.candidate);
    const auto j = nlohmann::json::parse(slurp(cdir + "/train-1ep/train.json"));
    rung1.emplace_back(j.at("test_accuracy").get<double>(), e.candidate.key());
    by_key[e.candidate.key()] = e;
  }
  std::sort(rung1.begin(), rung1.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (size_t k = 0; k < rung1.size(); ++k) {
    const auto& e = by_key.at(rung1[k].second);
    const std::string cdir = dir + "/candidates/" + search::candidate_hash(e.candidate);
    if (k < 2) {
      EXPECT_EQ(e.outcome.status, search::Status::ok) << e.outcome.message;
      EXPECT_EQ(e.outcome.metrics.at("epochs"), 2);
      EXPECT_TRUE(fs::exists(cdir + "/train/export/manifest.json"));
      EXPECT_GT(e.outcome.metrics.count("drift_accuracy"), 0u);
    } else {
      EXPECT_EQ(e.outcome.status, search::Status::filtered);
      EXPECT_NE(e.outcome.message.find("successive halving: stopped after 1 epochs"), std::string::npos) << e.outcome.message;
      EXPECT_EQ(e.outcome.metrics.at("epochs"), 1);
      EXPECT_EQ(e.outcome.metrics.at("accuracy"), rung1[k].first);
      EXPECT_FALSE(fs::exists(cdir + "/train"));
      EXPECT_FALSE(fs::exists(cdir + "/train-1ep/export"));  // only the full budget exports
    }
  }
  // Lose the record but keep the candidates' files (as a kill between a
  // stage's end and the row's commit would): the rerun reads every finished
  // stage back from its report and records the same outcomes.
  std::map<std::string, fs::file_time_type> logs;
  for (const auto& f : fs::recursive_directory_iterator(dir + "/candidates"))
    if (f.path().extension() == ".log") logs[f.path().string()] = fs::last_write_time(f.path());
  ASSERT_GE(logs.size(), 4u * 2 + 2 * 2);  // estimate and rung 1 of four, rung 2 and evaluate of two
  for (const char* f : {"/results.sqlite", "/results.sqlite-wal", "/results.sqlite-shm"}) fs::remove(dir + f);
  r = run_tessera("search " + space + " -o " + dir + " -j 2");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto again = record(dir);
  ASSERT_EQ(again.size(), 4u);
  for (const auto& e : again) {
    const auto& before = by_key.at(e.candidate.key());
    EXPECT_EQ(e.outcome.status, before.outcome.status);
    EXPECT_EQ(e.outcome.metrics, before.outcome.metrics);
  }
  for (const auto& [path, t] : logs) EXPECT_EQ(fs::last_write_time(path), t) << path << " was run again";
}

// Stages on MPI ranks (3 ranks: the search and two workers): the same record as a local run.
TEST(SearchCli, MpiRanksRunTheStagesAndRecordTheSameSearch) {
  const std::string space = write("mpi.toml", kCostOnly);
  const std::string local = temp_path("mpi-local"), ranks = temp_path("mpi-ranks");
  ASSERT_EQ(run_tessera("search " + space + " -o " + local + " -j 2").code, 0);
  auto r = tessera::testing::run_shell(
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 mpirun -np 3 " +
      std::string(TESSERA_BINARY_DIR) + "/tessera search " + space + " -o " + ranks + " --mpi");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("2 job(s)"), std::string::npos) << r.out;  // one candidate per worker rank
  auto a = record(local), b = record(ranks);
  ASSERT_EQ(a.size(), 10u);
  ASSERT_EQ(b.size(), 10u);
  std::map<std::string, search::Metrics> ma;
  for (const auto& e : a) ma[std::to_string(e.generation) + " " + e.candidate.key()] = e.outcome.metrics;
  for (const auto& e : b) {
    const std::string k = std::to_string(e.generation) + " " + e.candidate.key();
    ASSERT_TRUE(ma.count(k)) << k;
    EXPECT_EQ(e.outcome.metrics, ma[k]) << k;
  }
  // The same front simulated (ids follow completion order, which the ranks vary).
  auto without_ids = [](const std::string& csv) {
    std::multiset<std::string> rows;
    std::istringstream is(csv);
    for (std::string line; std::getline(is, line);) rows.insert(line.substr(line.find(',')));
    return rows;
  };
  EXPECT_EQ(without_ids(slurp(ranks + "/front-simulated.csv")), without_ids(slurp(local + "/front-simulated.csv")));
}

TEST(SearchCli, KillNineLosesNoCandidateAndRepeatsNone) {
  // Training candidates (a few seconds each) so the kill lands mid-search.
  std::string text = kCostOnly;
  text.replace(text.find("epochs = 0\ndevice_runs = 0"), 26,
               "epochs = 1\ntrain_images = 200\ntest_images = 100\nhwa_periphery = false\ndevice_runs = 1\ntimes_s = [1]\neval_images = 100");
  text.replace(text.find("evaluations = 10"), 16, "evaluations = 6");
  const std::string space = write("train.toml", text);
  const std::string dir = temp_path("killed");
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string bin = std::string(TESSERA_BINARY_DIR) + "/tessera";
    execl(bin.c_str(), bin.c_str(), "search", space.c_str(), "-o", dir.c_str(), "-j", "2", (char*)nullptr);
    _exit(127);
  }
  // Kill once two candidates are recorded.
  // (The store may be busy while the search creates or writes it: try again.)
  auto recorded = [&]() -> size_t {
    try {
      return record(dir).size();
    } catch (const std::exception&) {
      return 0;
    }
  };
  for (int i = 0; i < 1200 && recorded() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  const auto before = record(dir);
  ASSERT_GE(before.size(), 2u);
  ASSERT_LT(before.size(), 6u) << "the search finished before the kill";
  auto r = run_tessera("search " + space + " -o " + dir + " -j 2");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto after = record(dir);
  ASSERT_EQ(after.size(), 6u);
  std::set<std::string> keys;
  for (size_t i = 0; i < after.size(); ++i) {
    keys.insert(after[i].candidate.key());
    EXPECT_EQ(after[i].outcome.status, search::Status::ok) << after[i].outcome.message;
    EXPECT_GT(after[i].outcome.metrics.count("drift_accuracy"), 0u);
  }
  EXPECT_EQ(keys.size(), 6u);  // none repeated
  for (size_t i = 0; i < before.size(); ++i) EXPECT_EQ(after[i].candidate.key(), before[i].candidate.key());  // none lost
}

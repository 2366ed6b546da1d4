// `tessera sweep` end to end: results, resume after kill -9, crashing and
// hanging points, malformed specs, shards and merge, MPI, export and plots.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "../support/run_tessera.hpp"
#include "../support/weight_export.hpp"
#include "workloads/base/results_store.hpp"

namespace fs = std::filesystem;
using tessera::testing::Result;
using tessera::testing::slurp;
using namespace tessera;

namespace {
Result run(const std::string& args) { return tessera::testing::run_tessera(args); }
std::string tmp(const std::string& name) { return tessera::testing::temp_path(name); }
const std::string kIsaac = std::string(TESSERA_SOURCE_DIR) + "/configs/arch/isaac.toml";

std::string write_spec(const std::string& name, const std::string& text) {
  std::string p = tmp(name);
  std::ofstream(p) << text;
  return p;
}

// An estimate sweep over ADC bits and crossbar rows of ISAAC on the MLP.
std::string small_spec(const std::string& name, const std::string& mode = "estimate", const std::string& extra = "") {
  return write_spec(name, "[sweep]\nmode = \"" + mode + "\"\nnet = \"mlp\"\narch = \"" + kIsaac + "\"\n" + extra +
                              "\n[[axis]]\nkey = \"tile_class.0.adc.bits\"\nvalues = [4, 7, 8]\n"
                              "[[axis]]\nkey = \"tile_class.0.crossbar.rows\"\nvalues = [64, 128]\n");
}

std::map<std::string, std::string> statuses(const std::string& dir) {
  return base::ResultsStore(base::ResultsStore::path_in(dir), false).statuses();
}
}  // namespace

TEST(SweepCli, RunsEveryPointAndRecordsMetrics) {
  std::string dir = tmp("run1");
  fs::remove_all(dir);
  Result r = run("sweep " + small_spec("s1.toml") + " -o " + dir + " -j 2 -q");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("6 points: 0 recorded before, 6 run (6 done, 0 failed), 0 skipped"), std::string::npos) << r.out;
  base::ResultsStore s(base::ResultsStore::path_in(dir), false);
  auto rows = s.rows({"done"});
  ASSERT_EQ(rows.size(), 6u);
  // Each row matches a standalone estimate of the same point.
  for (const auto& row : rows) {
    int64_t bits = std::get<int64_t>(row.at("tile_class.0.adc.bits"));
    int64_t xrows = std::get<int64_t>(row.at("tile_class.0.crossbar.rows"));
    if (bits != 7 || xrows != 64) continue;
    std::string json = tmp("single.json");
    Result e = run("estimate --net mlp --arch " + kIsaac + " --set tile_class.0.adc.bits=7 --set tile_class.0.crossbar.rows=64 -q -o " + json);
    ASSERT_EQ(e.code, 0) << e.out;
    auto j = nlohmann::json::parse(slurp(json));
    EXPECT_EQ(std::get<int64_t>(row.at("cycles")), j["totals"]["cycles"].get<int64_t>());
    EXPECT_DOUBLE_EQ(std::get<double>(row.at("energy_j")), j["totals"]["energy_pj"].get<double>() * 1e-12);
    EXPECT_DOUBLE_EQ(std::get<double>(row.at("edap_j_s_mm2")), j["metrics"]["edap_j_s_mm2"].get<double>());
  }
  // A rerun finds everything recorded and runs nothing.
  Result again = run("sweep " + small_spec("s1.toml") + " -o " + dir + " -q");
  ASSERT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("6 recorded before, 0 run"), std::string::npos) << again.out;
  // status and export
  Result st = run("sweep status " + dir);
  EXPECT_NE(st.out.find("6 points recorded: 6 done, 0 failed, 0 skipped"), std::string::npos) << st.out;
  std::string csv = tmp("s1.csv"), jsonl = tmp("s1.jsonl");
  ASSERT_EQ(run("sweep export " + dir + " --csv " + csv + " --jsonl " + jsonl).code, 0);
  std::string c = slurp(csv);
  EXPECT_EQ(std::count(c.begin(), c.end(), '\n'), 7);
  EXPECT_NE(c.find("tile_class.0.adc.bits"), std::string::npos);
  EXPECT_NE(c.find("tops_per_w"), std::string::npos);
  std::ifstream jl(jsonl);
  std::string line;
  int n = 0;
  while (std::getline(jl, line)) {
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["report"]["schema"], "tessera.report/1");
    ++n;
  }
  EXPECT_EQ(n, 6);
}

TEST(SweepCli, KillNineThenResumeLosesNothingAndRepeatsNothing) {
  std::string dir = tmp("killed");
  fs::remove_all(dir);
  // Simulations of 12 points, one at a time, so the kill lands mid-sweep.
  std::string spec = write_spec("kill.toml", "[sweep]\nmode = \"simulate\"\nnet = \"fmnist-cnn\"\narch = \"" + kIsaac +
                                                 "\"\n[[axis]]\nkey = \"tile_class.0.adc.bits\"\nvalues = [4, 5, 6, 7]\n"
                                                 "[[axis]]\nkey = \"tile_class.0.crossbar.rows\"\nvalues = [64, 128, 256]\n");
  const std::string log_path = tmp("killed.log");
  pid_t pid = fork();
  if (pid == 0) {
    std::string exe = std::string(TESSERA_BINARY_DIR) + "/tessera";
    // The sweep's messages go to a file, printed if the test fails.
    int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(log, 1);
    dup2(log, 2);
    execl(exe.c_str(), exe.c_str(), "sweep", spec.c_str(), "-o", dir.c_str(), "-q", nullptr);
    _exit(127);
  }
  // Wait for at least two recorded points, then kill -9.
  size_t before = 0;
  for (int i = 0; i < 600 && before < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (fs::exists(base::ResultsStore::path_in(dir))) before = statuses(dir).size();
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  auto at_kill = statuses(dir);
  ASSERT_GE(at_kill.size(), 2u) << "the sweep said: " << slurp(log_path);
  ASSERT_LT(at_kill.size(), 12u) << "the sweep finished before the kill: the test proves nothing";
  std::map<std::string, double> seconds_at_kill;
  for (auto& row : base::ResultsStore(base::ResultsStore::path_in(dir), false).rows())
    seconds_at_kill[std::get<std::string>(row["hash"])] = std::get<double>(row["seconds"]);

  Result r = run("sweep " + spec + " -o " + dir + " -q");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find(std::to_string(at_kill.size()) + " recorded before, " + std::to_string(12 - at_kill.size()) + " run"),
            std::string::npos)
      << r.out;
  auto rows = base::ResultsStore(base::ResultsStore::path_in(dir), false).rows();
  EXPECT_EQ(rows.size(), 12u);
  for (auto& row : rows) {
    EXPECT_EQ(std::get<std::string>(row["status"]), "done");
    auto it = seconds_at_kill.find(std::get<std::string>(row["hash"]));
    if (it != seconds_at_kill.end()) {
      EXPECT_EQ(std::get<double>(row["seconds"]), it->second) << "a recorded point ran again";
    }
  }
}

TEST(SweepCli, CrashingAndHangingPointsAreRecordedAndTheSweepGoesOn) {
  std::string dir = tmp("failing");
  fs::remove_all(dir);
  std::string spec = write_spec("fail.toml", "[sweep]\nnet = \"mlp\"\narch = \"" + kIsaac + "\"\ntimeout_s = 2\n"
                                             "[[axis]]\nkey = \"tile_class.0.adc.bits\"\nvalues = [4, 5, 6, 7]\n");
  std::string fake = std::string(TESSERA_TEST_DATA) + "/sweep/fake_tessera.sh";
  std::string env = "TESSERA_REAL=" + std::string(TESSERA_BINARY_DIR) + "/tessera ";
  auto t0 = std::chrono::steady_clock::now();
  Result r = tessera::testing::run_shell(env + std::string(TESSERA_BINARY_DIR) + "/tessera sweep " + spec + " -o " + dir +
                                         " -j 2 -q --binary " + fake);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_LT(secs, 30);
  EXPECT_NE(r.out.find("4 run (2 done, 2 failed)"), std::string::npos) << r.out;
  Result st = run("sweep status " + dir);
  EXPECT_NE(st.out.find("killed by signal 11"), std::string::npos) << st.out;
  EXPECT_NE(st.out.find("timed out after 2 s"), std::string::npos) << st.out;
  // --retry-failed runs only the failures again (with the real binary they pass).
  Result retry = run("sweep " + spec + " -o " + dir + " -q --retry-failed");
  EXPECT_NE(retry.out.find("2 recorded before, 2 run (2 done, 0 failed)"), std::string::npos) << retry.out;
}

TEST(SweepCli, MalformedSpecsAreInputErrorsAndRunNothing) {
  const std::string head = "[sweep]\nnet = \"mlp\"\narch = \"" + kIsaac + "\"\n";
  const std::string axis = "[[axis]]\nkey = \"tile_class.0.adc.bits\"\nvalues = [4, 6]\n";
  struct Case {
    std::string name, text, expect;
  } cases[] = {
      {"no_sweep", axis, "sweep: missing required table"},
      {"typo", head + "mdoe = \"simulate\"\n" + axis, "sweep.mdoe: unknown key"},
      {"no_axis", head, "axis: a sweep needs at least one [[axis]]"},
      {"empty_axis", head + "[[axis]]\nkey = \"tile_class.0.adc.bits\"\n", "an axis needs values"},
      {"out_of_range", head + "[[axis]]\nkey = \"tile_class.0.adc.bits\"\nvalues = [4, 99]\n", "axis.tile_class.0.adc.bits: point 1"},
      {"unknown_key", head + "[[axis]]\nkey = \"tile_class.0.crossbar.rowz\"\nvalues = [64]\n", "rowz"},
      {"zip_lengths", head + "[sampler]\nimpl = \"zip\"\n" + axis + "[[axis]]\nkey = \"tile_class.0.crossbar.rows\"\nvalues = [64]\n",
       "zip needs axes of equal length"},
      {"bad_sampler", head + "[sampler]\nimpl = \"sobol\"\n" + axis, "sampler.impl"},
      {"random_no_samples", head + "[sampler]\nimpl = \"random\"\n" + axis, "random sampling needs samples > 0"},
      {"derived_unknown", head + axis + "[[derived]]\nkey = \"tile_class.0.crossbar.cols\"\nfrom = \"rows\"\n", "no axis or derived value 'rows'"},
      {"bad_op", head + axis + "[[constraint]]\nleft = \"tile_class.0.adc.bits\"\nop = \"=>\"\nright = [4]\n", "constraint[0].op"},
      {"grid_no_step", head + "[[axis]]\nkey = \"tile_class.0.adc.bits\"\nmin = 4\nmax = 8\n", "grid over a range needs a step"},
      {"bad_mode", "[sweep]\nmode = \"train\"\n" + axis, "sweep.mode"},
      {"syntax", head + "[[axis]\n", "bad_syntax"},
      {"bad_net", "[sweep]\nnet = \"nonet\"\narch = \"" + kIsaac + "\"\n" + axis, "nonet"},
  };
  for (const auto& c : cases) {
    std::string spec = write_spec(c.name + ".toml", c.text);
    std::string dir = tmp("bad_" + c.name);
    fs::remove_all(dir);
    Result r = run("sweep " + spec + " -o " + dir + " -q");
    EXPECT_EQ(r.code, 2) << c.name << ": " << r.out;
    EXPECT_NE(r.out.find(c.expect == "bad_syntax" ? spec : c.expect), std::string::npos) << c.name << ": " << r.out;
    if (c.name != "bad_net" && c.name != "unknown_key") {
      EXPECT_NE(r.out.find(spec + ":"), std::string::npos) << c.name << " names no file:line: " << r.out;
    }
    EXPECT_FALSE(fs::exists(dir)) << c.name << ": an invalid sweep created its directory";
  }
  // The location of a bad value is the axis in the spec.
  Result r = run("sweep " + tmp("out_of_range.toml") + " -o " + tmp("x") + " -q");
  EXPECT_NE(r.out.find(tmp("out_of_range.toml") + ":5:"), std::string::npos) << r.out;
  // Command-line errors.
  EXPECT_EQ(run("sweep " + tmp("typo.toml") + " -o " + tmp("x") + " --shard 2/2").code, 2);
  EXPECT_EQ(run("sweep " + tmp("typo.toml") + " -o " + tmp("x") + " -j 0").code, 2);
  EXPECT_EQ(run("sweep status " + tmp("nowhere")).code, 2);
}

TEST(SweepCli, OnInvalidSkipRecordsTheReason) {
  std::string dir = tmp("skipinvalid");
  fs::remove_all(dir);
  std::string spec = write_spec("skipinv.toml", "[sweep]\nnet = \"mlp\"\narch = \"" + kIsaac + "\"\non_invalid = \"skip\"\n"
                                                "[[axis]]\nkey = \"tile_class.0.adc.bits\"\nvalues = [4, 99]\n");
  Result r = run("sweep " + spec + " -o " + dir + " -q");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("1 run (1 done, 0 failed), 1 skipped"), std::string::npos) << r.out;
  auto rows = base::ResultsStore(base::ResultsStore::path_in(dir), false).rows({"skipped"});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(std::get<std::string>(rows[0]["error"]).find("out of range"), std::string::npos);
}

TEST(SweepCli, SampledSweepsAreDeterministic) {
  auto spec = [&](const std::string& name, int seed) {
    return write_spec(name, "[sweep]\nnet = \"mlp\"\narch = \"" + kIsaac + "\"\n[sampler]\nimpl = \"lhs\"\nsamples = 8\nseed = " +
                                std::to_string(seed) + "\n[[axis]]\nkey = \"tile_class.0.adc.bits\"\nmin = 3\nmax = 10\n"
                                "[[axis]]\nkey = \"tile_class.0.count\"\nmin = 16\nmax = 200\nlog = true\n");
  };
  Result a = run("sweep " + spec("d1.toml", 4) + " -o " + tmp("d") + " --dry-run");
  Result b = run("sweep " + spec("d2.toml", 4) + " -o " + tmp("d") + " --dry-run");
  Result c = run("sweep " + spec("d3.toml", 5) + " -o " + tmp("d") + " --dry-run");
  ASSERT_EQ(a.code, 0) << a.out;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
  EXPECT_NE(a.out.find("8 points"), std::string::npos);
  EXPECT_FALSE(fs::exists(tmp("d")));  // a dry run writes nothing
}

TEST(SweepCli, ShardsMergeIntoTheWholeSweep) {
  std::string spec = small_spec("shard.toml");
  for (auto d : {"whole", "shard0", "shard1", "merged"}) fs::remove_all(tmp(d));
  ASSERT_EQ(run("sweep " + spec + " -o " + tmp("whole") + " -q").code, 0);
  ASSERT_EQ(run("sweep " + spec + " -o " + tmp("shard0") + " -q --shard 0/2").code, 0);
  Result s1 = run("sweep " + spec + " -o " + tmp("shard1") + " -q --shard 1/2");
  EXPECT_NE(s1.out.find("3 points"), std::string::npos) << s1.out;
  Result m = run("sweep merge -o " + tmp("merged") + " " + tmp("shard0") + " " + tmp("shard1"));
  ASSERT_EQ(m.code, 0) << m.out;
  EXPECT_EQ(statuses(tmp("merged")), statuses(tmp("whole")));
  // Merging again adds nothing.
  Result again = run("sweep merge -o " + tmp("merged") + " " + tmp("shard0"));
  EXPECT_NE(again.out.find("0 points added"), std::string::npos) << again.out;
}

TEST(SweepCli, MpiWithThreeRanksMatchesALocalRun) {
  std::string spec = small_spec("mpi.toml");
  for (auto d : {"mpi_local", "mpi_run"}) fs::remove_all(tmp(d));
  ASSERT_EQ(run("sweep " + spec + " -o " + tmp("mpi_local") + " -q").code, 0);
  Result r = tessera::testing::run_shell(
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 mpirun -np 3 " +
      std::string(TESSERA_BINARY_DIR) + "/tessera sweep " + spec + " -o " + tmp("mpi_run") + " -q --mpi");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("6 run (6 done, 0 failed)"), std::string::npos) << r.out;
  EXPECT_EQ(statuses(tmp("mpi_run")), statuses(tmp("mpi_local")));
  auto a = base::ResultsStore(base::ResultsStore::path_in(tmp("mpi_local")), false).rows();
  auto b = base::ResultsStore(base::ResultsStore::path_in(tmp("mpi_run")), false).rows();
  std::map<std::string, double> ea;
  for (auto& row : a) ea[std::get<std::string>(row["hash"])] = std::get<double>(row["energy_j"]);
  for (auto& row : b) EXPECT_EQ(std::get<double>(row["energy_j"]), ea[std::get<std::string>(row["hash"])]);
}

TEST(SweepCli, PlotsFromAStoreAndAReport) {
  std::string dir = tmp("plots");
  fs::remove_all(dir);
  ASSERT_EQ(run("sweep " + small_spec("plot.toml") + " -o " + dir + " -q").code, 0);
  std::string heat = tmp("heat.png"), front = tmp("front.svg"), bars = tmp("bars.png"), rep = tmp("rep.json");
  Result h = run("plot heatmap " + dir + " --x tile_class.0.crossbar.rows --y tile_class.0.adc.bits --metric edap_j_s_mm2 -o " + heat);
  ASSERT_EQ(h.code, 0) << h.out;
  EXPECT_EQ(slurp(heat).substr(1, 3), "PNG");
  Result p = run("plot pareto " + dir + " --x energy_j --y latency_s --color tile_class.0.adc.bits -o " + front);
  ASSERT_EQ(p.code, 0) << p.out;
  EXPECT_NE(slurp(front).find("<svg"), std::string::npos);
  ASSERT_EQ(run("estimate --net mlp -q -o " + rep).code, 0);
  Result b = run("plot breakdown " + rep + " -o " + bars);
  ASSERT_EQ(b.code, 0) << b.out;
  EXPECT_EQ(slurp(bars).substr(1, 3), "PNG");
  // Bad input: an unknown column, a bad file type, a missing store.
  Result bad = run("plot heatmap " + dir + " --x nope --y tile_class.0.adc.bits --metric edap_j_s_mm2 -o " + tmp("n.png"));
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("'nope' is not a column"), std::string::npos) << bad.out;
  EXPECT_FALSE(fs::exists(tmp("n.png")));
  EXPECT_EQ(run("plot heatmap " + dir + " --x a --y b --metric c -o " + tmp("n.txt")).code, 2);
  EXPECT_EQ(run("plot pareto " + tmp("nowhere") + " --x a --y b -o " + tmp("n.png")).code, 2);
}

// Compare points (quiet) with sweep.stream: each point simulates a stream and
// records the measured interval next to the analytical one.
TEST(SweepCli, ComparePointsWithAStreamRecordTheInterval) {
  std::string dir = tmp("cmp_stream");
  fs::remove_all(dir);
  std::string spec = write_spec("cmp_stream.toml", "[sweep]\nmode = \"compare\"\nnet = \"mlp\"\narch = \"" + kIsaac +
                                                       "\"\nstream = 4\n[[axis]]\nkey = \"tile_class.0.adc.bits\"\nvalues = [6, 8]\n");
  Result r = run("sweep " + spec + " -o " + dir + " -q");
  ASSERT_EQ(r.code, 0) << r.out;
  auto rows = base::ResultsStore(base::ResultsStore::path_in(dir), false).rows({"done"});
  ASSERT_EQ(rows.size(), 2u) << r.out;
  for (const auto& row : rows) {
    EXPECT_GT(std::get<double>(row.at("simulated_interval_cycles")), 0);
    EXPECT_GT(std::get<double>(row.at("analytical_interval_cycles")), 0);
    EXPECT_EQ(std::get<double>(row.at("interval_error")), 0.0);  // mlp: the slowest layer sets the pace
  }
}

TEST(SweepCli, SpecReferenceInDocsIsCurrent) {
  Result r = run("sweep describe --markdown");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("`axis[].key`"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("`sampler{impl=lhs}.samples`"), std::string::npos) << r.out;
  std::string doc = slurp(std::string(TESSERA_SOURCE_DIR) + "/docs/sweeps.md");
  EXPECT_NE(doc.find("<!-- spec-reference:begin -->\n" + r.out + "<!-- spec-reference:end -->"), std::string::npos)
      << "docs/sweeps.md is out of date: run tools/gen-sweep-reference.sh";
}

// Every example spec under configs/sweeps resolves: all its points' networks
// and arch configs load (a dry run), and nothing is written.
TEST(SweepCli, ShippedSpecsResolve) {
  int specs = 0;
  for (const auto& f : fs::directory_iterator(std::string(TESSERA_SOURCE_DIR) + "/configs/sweeps")) {
    if (f.path().extension() != ".toml") continue;
    ++specs;
    Result r = run("sweep " + f.path().string() + " -o " + tmp("shipped") + " --dry-run");
    EXPECT_EQ(r.code, 0) << f.path() << ": " << r.out;
    EXPECT_NE(r.out.find(" points"), std::string::npos) << f.path();
    EXPECT_FALSE(fs::exists(tmp("shipped")));
  }
  EXPECT_GE(specs, 4);
}

// Estimate points with a weight export price the cells from it: the same
// points without weights record other crossbar energies and other keys.
TEST(SweepCli, EstimatePointsWithWeights) {
  const std::string dir = tessera::testing::write_mlp_export(tmp("sweep_export"));
  const std::string body = "net = \"mlp:hidden=8,wbits=4\"\narch = \"neurosim-rram22\"\n"
                           "[[axis]]\nkey = \"tile_class.0.crossbar.parallel_rows\"\nvalues = [32, 128]\n";
  const std::string with = write_spec("with.toml", "[sweep]\nweights = \"" + dir + "\"\n" + body);
  const std::string without = write_spec("without.toml", "[sweep]\n" + body);
  for (const char* d : {"sw_with", "sw_without"}) fs::remove_all(tmp(d));
  ASSERT_EQ(run("sweep " + with + " -o " + tmp("sw_with") + " -q").code, 0);
  ASSERT_EQ(run("sweep " + without + " -o " + tmp("sw_without") + " -q").code, 0);
  auto a = base::ResultsStore(base::ResultsStore::path_in(tmp("sw_with")), false).rows({"done"});
  auto b = base::ResultsStore(base::ResultsStore::path_in(tmp("sw_without")), false).rows({"done"});
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_NE(std::get<std::string>(a[i]["hash"]), std::get<std::string>(b[i]["hash"]));
    EXPECT_NE(std::get<double>(a[i]["energy_crossbar_pj"]), std::get<double>(b[i]["energy_crossbar_pj"]));
    EXPECT_EQ(std::get<double>(a[i]["energy_adc_pj"]), std::get<double>(b[i]["energy_adc_pj"]));
    // The report the point wrote carries the programmed conductance.
    auto rep = nlohmann::json::parse(std::get<std::string>(a[i]["report"]));
    EXPECT_TRUE(rep["layers"][0].contains("cell_conductance_us"));
  }
}

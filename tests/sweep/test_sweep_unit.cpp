// Sweep specs, samplers, point resolution, the results store and child
// processes, in process (nothing here simulates).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "sim/sweep/point.hpp"
#include "sim/sweep/sampler.hpp"
#include "sim/sweep/spec.hpp"
#include "workloads/base/child_process.hpp"
#include "workloads/base/results_store.hpp"

namespace fs = std::filesystem;
using namespace tessera;

namespace {
std::string tmp_dir() {
  fs::path d = fs::path(::testing::TempDir()) / ("tessera_sweep_" + std::to_string(getpid()));
  fs::create_directories(d);
  return d.string();
}

std::string write_spec(const std::string& name, const std::string& text) {
  std::string p = tmp_dir() + "/" + name;
  std::ofstream(p) << text;
  return p;
}

const std::string kHead = "[sweep]\nnet = \"mlp\"\narch = \"" + std::string(TESSERA_SOURCE_DIR) + "/configs/arch/isaac.toml\"\n";
}  // namespace

TEST(SweepSpec, GridIsTheCartesianProductFirstAxisSlowest) {
  auto spec = sweep::load_sweep_spec(write_spec("grid.toml", kHead + R"(
[[axis]]
key = "tile_class.0.crossbar.rows"
values = [64, 128]
[[axis]]
key = "tile_class.0.adc.bits"
min = 4
max = 8
step = 2
)"));
  auto pts = sweep::resolve_points(spec);
  ASSERT_EQ(pts.size(), 6u);
  EXPECT_EQ(pts[0].params[0].second.text, "64");
  EXPECT_EQ(pts[0].params[1].second.text, "4");
  EXPECT_EQ(pts[2].params[1].second.text, "8");
  EXPECT_EQ(pts[3].params[0].second.text, "128");
  EXPECT_EQ(pts[5].sets.back(), "tile_class.0.adc.bits=8");
  std::set<std::string> hashes;
  for (const auto& p : pts) hashes.insert(p.hash);
  EXPECT_EQ(hashes.size(), 6u);  // different inputs, different keys
}

TEST(SweepSpec, SameResolvedInputsSameKey) {
  // An override equal to the preset's own value changes the text of the
  // config but not a single value: the key is of the resolved config, so
  // setting rows=128 explicitly on ISAAC (128 already) gives the same
  // configuration only when written the same way; two specs that resolve to
  // the same config get the same key.
  auto a = sweep::resolve_points(sweep::load_sweep_spec(write_spec("a.toml", kHead + "[[axis]]\nkey = \"tile_class.0.adc.bits\"\nvalues = [6]\n")));
  auto b = sweep::resolve_points(sweep::load_sweep_spec(write_spec("b.toml", kHead + "[sampler]\nimpl = \"zip\"\n[[axis]]\nkey = \"tile_class.isaac.adc.bits\"\nvalues = [6]\n")));
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].hash, b[0].hash);  // element by index or by name: the same config
}

TEST(SweepSpec, DerivedValuesAndConstraints) {
  auto spec = sweep::load_sweep_spec(write_spec("derived.toml", kHead + R"(
[[axis]]
key = "tile_class.0.crossbar.rows"
values = [64, 128, 256]
[[derived]]
key = "tile_class.0.crossbar.cols"
from = "tile_class.0.crossbar.rows"
[[derived]]
key = "tile_class.0.ima.input_register.bytes"
from = "tile_class.0.crossbar.rows"
scale = 16
[[constraint]]
left = "tile_class.0.crossbar.rows"
op = "<="
right = [128]
reason = "too large"
)"));
  auto pts = sweep::resolve_points(spec);
  ASSERT_EQ(pts.size(), 3u);
  EXPECT_EQ(pts[1].params[1].first, "tile_class.0.crossbar.cols");
  EXPECT_EQ(pts[1].params[1].second.text, "128");
  EXPECT_EQ(pts[1].params[2].second.text, "2048");
  EXPECT_TRUE(pts[0].skip_reason.empty());
  EXPECT_TRUE(pts[1].skip_reason.empty());
  EXPECT_NE(pts[2].skip_reason.find("too large"), std::string::npos);
  EXPECT_NE(pts[2].skip_reason.find("256"), std::string::npos);
}

TEST(SweepSampler, RandomAndLhsAreDeterministicForASeed) {
  std::string body = R"(
[[axis]]
key = "tile_class.0.adc.bits"
min = 3
max = 10
[[axis]]
key = "tile_class.0.count"
min = 16
max = 256
log = true
[[axis]]
key = "tile_class.0.crossbar.rows"
values = [64, 128, 256]
)";
  for (std::string impl : {"random", "lhs"}) {
    auto s1 = sweep::load_sweep_spec(write_spec(impl + "1.toml", kHead + "[sampler]\nimpl = \"" + impl + "\"\nsamples = 12\nseed = 5\n" + body));
    auto s2 = sweep::load_sweep_spec(write_spec(impl + "2.toml", kHead + "[sampler]\nimpl = \"" + impl + "\"\nsamples = 12\nseed = 5\n" + body));
    auto s3 = sweep::load_sweep_spec(write_spec(impl + "3.toml", kHead + "[sampler]\nimpl = \"" + impl + "\"\nsamples = 12\nseed = 6\n" + body));
    auto r1 = s1.sampler_impl->sample(s1.axes), r2 = s2.sampler_impl->sample(s2.axes), r3 = s3.sampler_impl->sample(s3.axes);
    ASSERT_EQ(r1.size(), 12u);
    bool differs = false;
    for (size_t i = 0; i < r1.size(); ++i)
      for (size_t k = 0; k < r1[i].size(); ++k) {
        EXPECT_EQ(r1[i][k].text, r2[i][k].text) << impl;
        differs |= r1[i][k].text != r3[i][k].text;
        if (k < 2) {
          EXPECT_TRUE(r1[i][k].integer);
          EXPECT_GE(*r1[i][k].number, *s1.axes[k].min);
          EXPECT_LE(*r1[i][k].number, *s1.axes[k].max);
        }
      }
    EXPECT_TRUE(differs) << impl << ": another seed draws other points";
  }
}

TEST(SweepSampler, LatinHypercubeUsesEveryStratumOnce) {
  sweep::Axis a;
  a.key = "x";
  a.min = 0;
  a.max = 1;
  a.integer = false;
  auto doc = io::Document::from_string("impl = \"lhs\"\nsamples = 10\nseed = 3\n", "lhs");
  auto sampler = sweep::SamplerRegistry::create(doc.root(), "grid");
  auto rows = sampler->sample({a, a});
  ASSERT_EQ(rows.size(), 10u);
  for (size_t k = 0; k < 2; ++k) {
    std::set<int> strata;
    for (const auto& r : rows) strata.insert(int(*r[k].number * 10));
    EXPECT_EQ(strata.size(), 10u) << "axis " << k;
  }
}

TEST(SweepSpec, SizeIsCheckedBeforeAnyPointIsDrawn) {
  // Three axes of a million steps: 10^18 points, which the grid sampler tried to
  // allocate (seen while writing fuzz_sweep_spec); now an input error at load time.
  auto axis = [](const std::string& k) { return "[[axis]]\nkey = \"" + k + "\"\nmin = 0\nmax = 999999\nstep = 1\n"; };
  std::string p = write_spec("huge.toml", kHead + axis("a") + axis("b") + axis("c"));
  try {
    sweep::load_sweep_spec(p);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), p + ":4:1: axis: grid over these axes gives 1000000000000000000 points; a sweep has at most 10000000")
        << e.what();
  }
  // Four: 10^24, beyond int64 (the count saturates).
  p = write_spec("huger.toml", kHead + axis("a") + axis("b") + axis("c") + axis("d"));
  try {
    sweep::load_sweep_spec(p);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("gives more than 2^63 points"), std::string::npos) << e.what();
  }
  // Two of them: 10^12 points, too many; zip of the same two counts one axis.
  EXPECT_THROW(sweep::load_sweep_spec(write_spec("big.toml", kHead + axis("a") + axis("b"))), InputError);
  auto zip = sweep::load_sweep_spec(write_spec("zip.toml", kHead + "[sampler]\nimpl = \"zip\"\n" + axis("a") + axis("b")));
  EXPECT_EQ(zip.sampler_impl->count(zip.axes), 1000000);
  auto grid = sweep::load_sweep_spec(write_spec("g.toml", kHead + "[[axis]]\nkey = \"a\"\nvalues = [1, 2, 3]\n"
                                                               "[[axis]]\nkey = \"b\"\nmin = 1\nmax = 2\nstep = 0.5\n"));
  EXPECT_EQ(grid.sampler_impl->count(grid.axes), 9);
  EXPECT_EQ(grid.sampler_impl->sample(grid.axes).size(), 9u);
}

TEST(SweepSpec, BadValueIsAnInputErrorAtTheAxis) {
  std::string p = write_spec("bad.toml", kHead + "\n[[axis]]\nkey = \"tile_class.0.adc.bits\"\nvalues = [4, 99]\n");
  auto spec = sweep::load_sweep_spec(p);
  try {
    sweep::resolve_points(spec);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.loc().file, p);
    EXPECT_EQ(e.loc().line, 6);
    EXPECT_NE(std::string(e.what()).find("point 1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("out of range"), std::string::npos) << e.what();
  }
}

TEST(ResultsStore, RecordsResumesAndMerges) {
  std::string d = tmp_dir() + "/store";
  fs::remove_all(d);
  fs::create_directories(d);
  {
    base::ResultsStore s(base::ResultsStore::path_in(d));
    s.put({"h1", {{"status", std::string("done")}, {"point", int64_t(0)}, {"energy_j", 1.5}, {"x.y", std::string("a")}}});
    s.put({"h2", {{"status", std::string("failed")}, {"point", int64_t(1)}, {"error", std::string("exit 1")}}});
  }
  base::ResultsStore s(base::ResultsStore::path_in(d), false);  // reopened: nothing lost
  auto st = s.statuses();
  ASSERT_EQ(st.size(), 2u);
  EXPECT_EQ(st["h1"], "done");
  EXPECT_EQ(s.count_by_status()["failed"], 1);
  auto rows = s.rows({"done"});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(std::get<double>(rows[0]["energy_j"]), 1.5);
  EXPECT_EQ(std::get<std::string>(rows[0]["x.y"]), "a");

  std::string d2 = tmp_dir() + "/store2";
  fs::remove_all(d2);
  fs::create_directories(d2);
  base::ResultsStore o(base::ResultsStore::path_in(d2));
  o.put({"h2", {{"status", std::string("done")}, {"point", int64_t(1)}, {"energy_j", 2.5}}});
  o.put({"h3", {{"status", std::string("done")}, {"point", int64_t(2)}}});
  o.put({"h1", {{"status", std::string("done")}, {"point", int64_t(0)}, {"energy_j", 9.0}}});
  EXPECT_EQ(s.merge_from(base::ResultsStore::path_in(d2)), 2);  // h2 replaces a failure, h3 is new; h1 is kept
  st = s.statuses();
  EXPECT_EQ(st.size(), 3u);
  EXPECT_EQ(st["h2"], "done");
  for (auto& r : s.rows()) {
    if (std::get<std::string>(r["hash"]) == "h1") {
      EXPECT_DOUBLE_EQ(std::get<double>(r["energy_j"]), 1.5);
    }
  }
  std::ostringstream csv;
  s.export_csv(csv);
  std::string c = csv.str();
  EXPECT_EQ(std::count(c.begin(), c.end(), '\n'), 4);  // header and three rows
  EXPECT_EQ(c.rfind("hash,kind,point,status", 0), 0u);
  EXPECT_NE(c.find(",x.y"), std::string::npos);
}

// Connections setting up one new store at the same time (a sweep creating
// it while `sweep status` or another shard opens it) all succeed and every
// row is kept: a lock conflict during setup is retried.
TEST(ResultsStore, ConcurrentSetupOfANewStore) {
  for (int round = 0; round < 10; ++round) {
    std::string d = tmp_dir() + "/race" + std::to_string(round);
    fs::remove_all(d);
    fs::create_directories(d);
    const std::string path = base::ResultsStore::path_in(d);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 6; ++t)
      threads.emplace_back([&, t] {
        try {
          base::ResultsStore s(path);
          s.put({"h" + std::to_string(t), {{"status", std::string("done")}, {"point", int64_t(t)}}});
        } catch (const std::exception& e) {
          ++failures;
          ADD_FAILURE() << "thread " << t << ": " << e.what();
        }
      });
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(base::ResultsStore(path, false).statuses().size(), 6u) << "round " << round;
  }
}

TEST(ChildProcess, CrashTimeoutAndExitCodesAreResults) {
  base::ChildPool pool;
  std::string d = tmp_dir();
  pool.start(1, {"/bin/sh", {"-c", "exit 3"}, "", d + "/1.err", 0, 0});
  pool.start(2, {"/bin/sh", {"-c", "echo boom >&2; kill -SEGV $$"}, "", d + "/2.err", 0, 0});
  pool.start(3, {"/bin/sleep", {"30"}, "", "", 0.3, 0});
  pool.start(4, {"/bin/sh", {"-c", "echo ok"}, d + "/4.out", "", 0, 0});
  std::map<int64_t, base::ChildResult> res;
  while (pool.running() > 0)
    for (auto& [id, r] : pool.wait_any(5)) res[id] = r;
  EXPECT_EQ(res[1].exit_code, 3);
  EXPECT_EQ(res[2].signal, SIGSEGV);
  EXPECT_NE(res[2].stderr_tail.find("boom"), std::string::npos);
  EXPECT_TRUE(res[3].timed_out);
  EXPECT_LT(res[3].seconds, 5);
  EXPECT_NE(res[3].describe().find("timed out"), std::string::npos);
  EXPECT_TRUE(res[4].ok());
}

TEST(ChildProcess, MemoryLimitStopsTheChildOnly) {
  if (!base::address_space_limit_applies()) GTEST_SKIP() << "AddressSanitizer build: children run without the limit";
  // 64 MiB of address space cannot hold a 512 MiB allocation.
  auto r = base::run_child({"/usr/bin/python3", {"-c", "x = bytearray(512 << 20)"}, "", "", 0, 64});
  EXPECT_FALSE(r.ok());
}

// sweep.stream: simulate and compare points run a stream of images (a new
// point key); one image adds nothing to the command, so earlier keys hold.
TEST(SweepSpec, StreamIsPassedToSimulatePoints) {
  const std::string axis = "[[axis]]\nkey = \"tile_class.0.adc.bits\"\nvalues = [6]\n";
  auto one = sweep::resolve_points(sweep::load_sweep_spec(write_spec("one.toml", kHead + "mode = \"simulate\"\n" + axis)));
  auto spec4 = sweep::load_sweep_spec(write_spec("four.toml", kHead + "mode = \"simulate\"\nstream = 4\n" + axis));
  auto four = sweep::resolve_points(spec4);
  ASSERT_EQ(one.size(), 1u);
  ASSERT_EQ(four.size(), 1u);
  const auto cmd = four[0].command(spec4, "r.json");
  auto it = std::find(cmd.begin(), cmd.end(), "--stream");
  ASSERT_NE(it, cmd.end());
  EXPECT_EQ(*(it + 1), "4");
  EXPECT_NE(one[0].hash, four[0].hash);
  auto spec1 = sweep::load_sweep_spec(write_spec("one.toml", kHead + "mode = \"simulate\"\n" + axis));
  const auto c1 = one[0].command(spec1, "r.json");
  EXPECT_EQ(std::find(c1.begin(), c1.end(), "--stream"), c1.end());
  // Out of range: an input error naming the key.
  try {
    sweep::load_sweep_spec(write_spec("bad.toml", kHead + "mode = \"simulate\"\nstream = 0\n" + axis));
    ADD_FAILURE() << "stream = 0 accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("stream"), std::string::npos) << e.what();
  }
}

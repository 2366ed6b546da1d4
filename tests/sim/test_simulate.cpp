// Cycle accuracy of the event-driven engine against its clocked reference,
// contention and its causes, traces. Each case runs the tessera binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "../support/run_tessera.hpp"

using namespace tessera::testing;
using nlohmann::json;

namespace {
json simulate(const std::string& args, const std::string& name) {
  std::string out = temp_path(name + ".json");
  Result r = run_tessera("simulate -q " + args + " -o " + out);
  EXPECT_EQ(r.code, 0) << r.out;
  return json::parse(slurp(out));
}

// Every unit evaluated every cycle gives the same cycles and events as the event-driven run.
void clocked_equals_event(const std::string& net, const std::string& extra = "") {
  json c = simulate("--net " + net + " --clocked " + extra, "clocked");
  json e = simulate("--net " + net + " " + extra, "event");
  EXPECT_EQ(c["model"], "simulation (clocked)");
  EXPECT_EQ(c["totals"]["cycles"], e["totals"]["cycles"]) << net;
  EXPECT_EQ(c["events"], e["events"]) << net;
  ASSERT_EQ(c["layers"].size(), e["layers"].size());
  for (size_t i = 0; i < c["layers"].size(); ++i) {
    EXPECT_EQ(c["layers"][i]["start_cycle"], e["layers"][i]["start_cycle"]) << net << " " << i;
    EXPECT_EQ(c["layers"][i]["end_cycle"], e["layers"][i]["end_cycle"]) << net << " " << i;
    EXPECT_EQ(c["layers"][i]["stall_cycles"], e["layers"][i]["stall_cycles"]) << net << " " << i;
  }
  // The same state changes happen in both modes; the clocked reference evaluates far more often.
  EXPECT_EQ(c["run"]["sim_events"], e["run"]["sim_events"]) << net;
  EXPECT_GT(c["run"]["sim_activations"].get<double>(), 10 * e["run"]["sim_activations"].get<double>());
}
}  // namespace

TEST(Clocked, Mlp) { clocked_equals_event("mlp"); }
TEST(Clocked, FashionMnistCnn) { clocked_equals_event("fmnist-cnn"); }
TEST(Clocked, MobilenetTiny) { clocked_equals_event("mobilenet-tiny"); }
TEST(Clocked, ResNet20) { clocked_equals_event("resnet20"); }
// Contention everywhere: a shared bus for the network and narrow buffer ports.
TEST(Clocked, FashionMnistCnnContended) {
  clocked_equals_event("fmnist-cnn", "--set chip.noc.flit_bits=4 --set tile_class.isaac.buffer.width_bits=16");
}
// Line-buffer flow control: a small tile buffer forces senders to wait for space.
TEST(Clocked, FashionMnistCnnSmallBuffers) {
  clocked_equals_event("fmnist-cnn", "--set mapping.replicate=balance --set tile_class.isaac.buffer.bytes=2048");
}
TEST(Clocked, LayerSchedule) { clocked_equals_event("resnet20", "--set mapping.schedule=layer"); }
TEST(Clocked, AssociativeProcessors) { clocked_equals_event("mobilenet-tiny:abits=4", "--arch rtm-ap"); }
TEST(Clocked, HybridChip) {
  clocked_equals_event(std::string(TESSERA_TEST_DATA) + "/networks/hybrid_small.toml", "--arch hybrid");
}

namespace {
// A stream of images: the clocked reference gives every image the same end,
// the same events per inference and the same per-layer figures (image 0's).
json clocked_equals_event_stream(const std::string& net, const std::string& extra, int images = 3) {
  const std::string stream = " --stream " + std::to_string(images) + " ";
  json c = simulate("--net " + net + " --clocked" + stream + extra, "stream_clocked");
  json e = simulate("--net " + net + stream + extra, "stream_event");
  EXPECT_EQ(e["stream"]["images"], images);
  EXPECT_EQ(e["stream"]["interval"], "measured");
  EXPECT_EQ(c["stream"]["end_cycles"], e["stream"]["end_cycles"]) << net << " " << extra;
  EXPECT_EQ(c["stream"]["interval_cycles"], e["stream"]["interval_cycles"]) << net << " " << extra;
  EXPECT_EQ(c["totals"]["cycles"], e["totals"]["cycles"]) << net;
  EXPECT_EQ(c["events"], e["events"]) << net;
  EXPECT_EQ(c["run"]["sim_events"], e["run"]["sim_events"]) << net;
  for (size_t i = 0; i < c["layers"].size(); ++i) {
    EXPECT_EQ(c["layers"][i]["end_cycle"], e["layers"][i]["end_cycle"]) << net << " " << i;
    EXPECT_EQ(c["layers"][i]["stall_cycles"], e["layers"][i]["stall_cycles"]) << net << " " << i;
  }
  return e;
}
}  // namespace

TEST(ClockedStream, FashionMnistCnn) { clocked_equals_event_stream("fmnist-cnn", ""); }
// Line-buffer credits across images: the small buffers hold a few rows.
TEST(ClockedStream, SmallBuffers) {
  json e = clocked_equals_event_stream("fmnist-cnn", "--set mapping.replicate=balance --set tile_class.isaac.buffer.bytes=2048");
  EXPECT_GT(e["stats"]["chip"]["output_space_wait_cycles"].get<double>(), 0);
}
TEST(ClockedStream, AssociativeProcessors) {
  clocked_equals_event_stream(std::string(TESSERA_TEST_DATA) + "/networks/odd_shapes.toml", "--arch rtm-ap");
}
TEST(ClockedStream, HybridChip) {
  clocked_equals_event_stream(std::string(TESSERA_TEST_DATA) + "/networks/hybrid_small.toml", "--arch hybrid");
}
TEST(ClockedStream, PcmContended) {
  clocked_equals_event_stream("resnet20", "--arch pcm-8b --set chip.noc.flit_bits=8");
}
TEST(ClockedStream, LayerSchedule) { clocked_equals_event_stream("fmnist-cnn", "--set mapping.schedule=layer"); }
TEST(ClockedStream, WeightReload) {
  json e = clocked_equals_event_stream("fmnist-cnn", "--set tile_class.isaac.count=2 --set mapping.weight_reload=true");
  EXPECT_EQ(e["arch"]["weight_reload_rounds"], 2);
}

// The measured interval: images overlap in the pipeline, so consecutive
// outputs are at most one single-image latency apart; without weight reload
// the formula (slowest layer or the off-chip interface) bounds it from below,
// and energy per inference is the single image's (same events) but for its
// static share, charged over the interval.
TEST(Stream, IntervalBetweenFormulaAndLatency) {
  for (std::string args : {std::string("--net fmnist-cnn"), std::string("--net resnet20 --arch pcm-8b"),
                           std::string("--net mobilenet-tiny:abits=4 --arch rtm-ap"),
                           std::string("--net vgg8 --arch rram-1b --set mapping.replicate=balance")}) {
    json one = simulate(args, "single");
    json s = simulate(args + " --stream 4", "stream4");
    EXPECT_EQ(one["stream"]["interval"], "formula");
    EXPECT_EQ(one["stream"]["images"], 1);
    const double interval = s["stream"]["interval_cycles"].get<double>();
    EXPECT_EQ(s["metrics"]["interval_cycles"].get<double>(), interval);
    EXPECT_LE(interval, one["totals"]["cycles"].get<double>()) << args;
    EXPECT_GE(interval, s["stream"]["formula_interval_cycles"].get<double>()) << args;
    EXPECT_NEAR(s["metrics"]["throughput_fps"].get<double>(), s["arch"]["clock_ghz"].get<double>() * 1e9 / interval,
                1e-9 * s["metrics"]["throughput_fps"].get<double>());
    for (const auto& [k, v] : one["events"].items())
      EXPECT_NEAR(s["events"][k].get<double>(), v.get<double>(), 1e-9 * std::abs(v.get<double>())) << k << " " << args;
    // Static energy: an image alone holds the chip for its latency, an image
    // of the stream for the interval (mW x cycles / GHz = pJ).
    const double mw = one["totals"]["leakage_power_mw"].get<double>(), ghz = one["arch"]["clock_ghz"].get<double>();
    const auto leak = [](const json& r) {
      return r["totals"]["energy_by_component_pj"].value("leakage", 0.0);
    };
    EXPECT_NEAR(leak(one), mw * one["totals"]["cycles"].get<double>() / ghz, 1e-9 * leak(one)) << args;
    EXPECT_NEAR(leak(s), mw * interval / ghz, 1e-9 * leak(one)) << args;
    // Image 0 in a stream ends no earlier than alone: later images compete for
    // links and ports, and a send into a flow-controlled buffer is injected
    // the cycle after its credit.
    EXPECT_GE(s["totals"]["cycles"].get<double>(), one["totals"]["cycles"].get<double>()) << args;
  }
}

// A slow off-chip interface is the bottleneck: 28 rows of 28 x 8 bits at
// 0.00064 GB/s on a 1.28 GHz chip move 4/1000 bits a cycle, 56,000 cycles a
// row, 1,568,000 cycles an image, more than conv1's 784 x 1024 = 802,816
// cycles of crossbar work. The images leave exactly one image period apart.
TEST(Stream, OffchipInterfaceLimitsTheInterval) {
  json s = simulate("--net fmnist-cnn --set chip.offchip.bandwidth_gbytes_s=0.00064 --stream 3", "slow_io");
  EXPECT_EQ(s["stream"]["interval_cycles"].get<double>(), 1568000.0);
  EXPECT_EQ(s["stream"]["formula_interval_cycles"].get<double>(), 1568000.0);
  json fast = simulate("--net fmnist-cnn --stream 3", "fast_io");
  EXPECT_EQ(fast["stream"]["interval_cycles"].get<double>(), 802816.0);
}

// With weight reload every image runs all rounds and the next one needs round
// 0's weights programmed again: the interval includes that reprogramming. The
// formula (latency + one round's reprogramming) bounds it from above, since
// the next image's input is already in when round 0 restarts.
TEST(Stream, WeightReloadIntervalIncludesReprogramming) {
  const std::string args = "--net resnet20 --set tile_class.isaac.count=4 --set mapping.weight_reload=true";
  json one = simulate(args, "reload1");
  json s = simulate(args + " --stream 3", "reload3");
  ASSERT_GT(s["arch"]["weight_reload_rounds"].get<int>(), 1);
  const double latency = one["totals"]["cycles"].get<double>();
  const double reload = one["stream"]["formula_interval_cycles"].get<double>() - latency;  // one round's reprogramming
  ASSERT_GT(reload, 0);
  const double interval = s["stream"]["interval_cycles"].get<double>();
  EXPECT_GT(interval, latency + 0.9 * reload);
  EXPECT_LE(interval, s["stream"]["formula_interval_cycles"].get<double>());
  EXPECT_LT(s["metrics"]["throughput_fps"].get<double>(), one["metrics"]["latency_fps"].get<double>());
}

// compare sets the measured interval against the analytical one.
TEST(Stream, CompareReportsTheInterval) {
  std::string out = temp_path("cmp_stream.json");
  Result r = run_tessera("compare --net fmnist-cnn --stream 2 -o " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("interval:"), std::string::npos) << r.out;
  json j = json::parse(slurp(out));
  EXPECT_EQ(j["images"], 2);
  EXPECT_EQ(j["analytical_interval_cycles"].get<double>(), 802816.0);
  EXPECT_EQ(j["simulated_interval_cycles"].get<double>(), 802816.0);
  EXPECT_EQ(j["interval_error"].get<double>(), 0.0);
  // One image: nothing measured.
  r = run_tessera("compare --net fmnist-cnn -o " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(json::parse(slurp(out))["simulated_interval_cycles"].is_null());
}

TEST(Stream, BadStreamOptionsAreInputErrors) {
  std::string out = temp_path("bad_stream.json");
  std::filesystem::remove(out);
  for (std::string args : {std::string("--stream 0"), std::string("--stream -2"), std::string("--stream 1001"),
                           std::string("--stream 2 --functional")}) {
    Result r = run_tessera("simulate -q --net mlp " + args + " -o " + out);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.out;
    EXPECT_NE(r.out.find("--stream"), std::string::npos) << args << "\n" << r.out;
    EXPECT_FALSE(std::filesystem::exists(out)) << args;
  }
}

TEST(Simulate, ApLatencyAgreesWithAnalytical) {
  // One unit per layer: nothing contends.
  for (std::string args : {std::string("--net resnet20:abits=4 --arch rtm-ap --set mapping.replicate=none"),
                           "--net " + std::string(TESSERA_TEST_DATA) + "/networks/hybrid_small.toml --arch hybrid"}) {
    std::string out = temp_path("ap.json");
    Result r = run_tessera("compare " + args + " -o " + out);
    ASSERT_EQ(r.code, 0) << r.out;
    json j = json::parse(slurp(out));
    EXPECT_LT(std::abs(j["latency_error"].get<double>()), 0.01) << args;
    EXPECT_NEAR(j["energy_error"].get<double>(), 0.0, 1e-12) << args;
  }
}

TEST(Simulate, SplitApLayersContendForTheNetwork) {
  // Spare units share layers' output channels: several units send every row to
  // several others, and the network's contention delays the rows. The
  // analytical model loads the links with the same transfers and stays close.
  std::string out = temp_path("split.json");
  Result r = run_tessera("compare --net resnet20:abits=4 --arch rtm-ap -o " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  json j = json::parse(slurp(out));
  EXPECT_NE(j["latency_error"].get<double>(), 0.0);
  EXPECT_LT(std::abs(j["latency_error"].get<double>()), 0.05);
  int network = 0;
  for (const auto& l : j["layers"]) network += l["cause"] == "network (incoming rows)";
  EXPECT_GT(network, 0) << j.dump(2);
}

TEST(Simulate, CompareArchitectures) {
  std::string out = temp_path("arch.json");
  Result r = run_tessera("compare-arch --net resnet20:abits=4 --arch rtm-ap --arch isaac --arch rram-1b -o " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  json j = json::parse(slurp(out));
  ASSERT_EQ(j["chips"].size(), 3u);
  EXPECT_DOUBLE_EQ(j["chips"][0]["efficiency_vs_first"].get<double>(), 1.0);
  for (const auto& c : j["chips"]) {
    double sum = 0;
    for (auto& [k, v] : c["energy_groups_pj"].items()) sum += v.get<double>();
    EXPECT_NEAR(sum, c["energy_pj"].get<double>(), 1e-6 * sum) << c["arch"];
    EXPECT_NEAR(c["efficiency_vs_first"].get<double>(),
                c["tops_per_w"].get<double>() / j["chips"][0]["tops_per_w"].get<double>(), 1e-12);
  }
  EXPECT_GT(j["chips"][0]["energy_groups_pj"]["racetrack reads/writes"].get<double>(), 0);
  EXPECT_EQ(j["chips"][1]["energy_groups_pj"]["racetrack shifts"].get<double>(), 0);
}

TEST(Simulate, NoContentionAgreesWithAnalytical) {
  // One layer per tile, ample buffers and links.
  for (std::string net : {"fmnist-cnn", "resnet20"}) {
    std::string out = temp_path("cmp.json");
    Result r = run_tessera("compare --net " + net + " -o " + out);
    ASSERT_EQ(r.code, 0) << r.out;
    json j = json::parse(slurp(out));
    EXPECT_LT(std::abs(j["latency_error"].get<double>()), 0.01) << net;
    // Energy: the same events priced by the same table; only leakage follows latency (0 here).
    EXPECT_NEAR(j["energy_error"].get<double>(), 0.0, 1e-12) << net;
  }
}

TEST(Simulate, ContentionShowsExtraLatencyAndItsCause) {
  std::string out = temp_path("bus.json");
  Result r = run_tessera("compare --net fmnist-cnn --set chip.noc.flit_bits=4 --set tile_class.isaac.buffer.width_bits=8 -o " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  json j = json::parse(slurp(out));
  EXPECT_GT(j["latency_error"].get<double>(), 0.0);
  bool named = false;
  for (const auto& l : j["layers"]) {
    std::string c = l["cause"];
    named |= c == "buffer_port" || c == "network";
  }
  EXPECT_TRUE(named) << j.dump(2);

  json s = simulate("--net fmnist-cnn --set mapping.replicate=balance --set tile_class.isaac.buffer.bytes=2048", "small");
  double space = s["stats"]["chip"]["output_space_wait_cycles"].get<double>();
  EXPECT_GT(space, 0);
}

TEST(Simulate, BufferTooSmallForTheWindowIsAnInputError) {
  Result r = run_tessera("simulate -q --net fmnist-cnn --set tile_class.isaac.buffer.bytes=64");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("buffer.bytes"), std::string::npos) << r.out;
}

// An AP unit works on groups of output rows (as many as fit its CAM rows): the
// rows a group's windows read must fit its line buffer. The check used to
// count one output row's window (3 + 1 rows here, 1 KB) while the unit read
// all 32 rows of its single group at once, and the run stalled.
TEST(Simulate, ApRowGroupsFitTheLineBuffer) {
  const std::string net = std::string(TESSERA_TEST_DATA) + "/networks/ap_row_groups.toml";
  const std::string args = "--net " + net + " --arch rtm-ap --set mapping.replicate=none --set ap_class.ap.buffer.bytes=2048";
  json c = simulate(args + " --clocked", "apgroups_clocked");
  json e = simulate(args, "apgroups_event");
  EXPECT_EQ(c["totals"]["cycles"], e["totals"]["cycles"]);
  EXPECT_GT(e["stats"]["chip"]["output_space_wait_cycles"].get<double>(), 0);
  // Smaller than one output row's window (3 rows of 32 x 8 x 8 bits): refused at load time, with the size it needs.
  Result r = run_tessera("simulate -q --net " + net + " --arch rtm-ap --set mapping.replicate=none --set ap_class.ap.buffer.bytes=512");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("ap_class.ap.buffer.bytes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("needs at least 768 bytes"), std::string::npos) << r.out;
}

// A floor pooling drops the last rows: nothing computes rows no layer reads.
// c1: 18 x 30 outputs, c2 (1x1) the same; the 4x4 pooling reads rows 0..15.
TEST(Simulate, UnreadRowsAreNotComputed) {
  const std::string net = std::string(TESSERA_TEST_DATA) + "/networks/unread_rows.toml";
  json e = simulate("--net " + net + " --set mapping.replicate=none", "unread");
  for (const char* layer : {"c1", "c2"})
    for (auto& [tile, t] : e["stats"]["chip"][layer].items())
      if (tile.rfind("tile", 0) == 0) {
        EXPECT_EQ(t["positions"].get<double>(), 16 * 30) << layer << " " << tile;
      }
  // The reported latency is the end of the work whose results leave the chip.
  std::string out = temp_path("unread_cmp.json");
  Result r = run_tessera("compare --net " + net + " --set mapping.replicate=none -o " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_LT(std::abs(json::parse(slurp(out))["latency_error"].get<double>()), 0.01);
}

// The analytical model loads the links with the row transfers: with spare
// tiles replicating layers (VGG-8) or AP units splitting a layer's channels,
// many senders share links, and the estimate stays within 5%; where nothing
// contends it is exact on a small odd-shaped AP network.
TEST(Simulate, AnalyticalCountsLinkLoad) {
  const std::string odd = std::string(TESSERA_TEST_DATA) + "/networks/odd_shapes.toml";
  struct Case {
    std::string args;
    double within;
  };
  for (const Case& c : {Case{"--net vgg8 --set mapping.replicate=balance", 0.05},
                        Case{"--net " + odd + " --arch rtm-ap --set mapping.replicate=balance", 0.05},
                        Case{"--net " + odd + " --arch rtm-ap --set mapping.replicate=none", 0.01}}) {
    std::string out = temp_path("links.json");
    Result r = run_tessera("compare " + c.args + " -o " + out);
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_LT(std::abs(json::parse(slurp(out))["latency_error"].get<double>()), c.within) << c.args;
  }
}

// With weight reload every image runs all rounds, and the next one needs the
// first round's weights programmed again: the throughput is below 1 / latency.
TEST(Simulate, ThroughputWithWeightReloadIncludesReprogramming) {
  std::string out = temp_path("reload.json");
  Result r = run_tessera("estimate --net resnet18 --set tile_class.isaac.count=8 --set mapping.weight_reload=true -o " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  json j = json::parse(slurp(out));
  ASSERT_GT(j["arch"]["weight_reload_rounds"].get<int>(), 1);
  EXPECT_LT(j["metrics"]["throughput_fps"].get<double>(), j["metrics"]["latency_fps"].get<double>());
}

namespace {
// Spans on one track (pid, tid) must nest properly: each either starts after
// the enclosing span ends or ends within it. Perfetto drops spans that do not.
// Checked on the exact cycles and on the timestamps the viewer reads.
void expect_properly_nested(const json& trace, const std::string& what) {
  struct Span {
    int64_t start, end;
    double ts, te;
  };
  std::map<std::pair<int, int>, std::vector<Span>> tracks;
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] != "X") continue;
    const double ts = e["ts"].get<double>(), dur = e["dur"].get<double>();
    ASSERT_GE(dur, 0);
    tracks[{e["pid"].get<int>(), e["tid"].get<int>()}].push_back(
        {e["args"]["start_cycle"].get<int64_t>(), e["args"]["end_cycle"].get<int64_t>(), ts, ts + dur});
  }
  ASSERT_FALSE(tracks.empty()) << what;
  int bad = 0;
  for (auto& [key, spans] : tracks) {
    std::sort(spans.begin(), spans.end(),
              [](const Span& a, const Span& b) { return a.start != b.start ? a.start < b.start : a.end > b.end; });
    std::vector<Span> open;  // enclosing spans, innermost last
    for (const Span& s : spans) {
      while (!open.empty() && open.back().end <= s.start) {
        if (s.ts < open.back().te - 1e-9) ++bad;  // apart in cycles, so apart in timestamps too
        open.pop_back();
      }
      if (!open.empty() && (s.end > open.back().end || s.te > open.back().te + 1e-9)) ++bad;
      open.push_back(s);
    }
  }
  EXPECT_EQ(bad, 0) << what << ": spans overlapping without nesting";
}

// The VCD's time unit and the time of its last change, in that unit.
std::pair<std::string, long long> vcd_timescale_and_end(const std::string& v) {
  const auto a = v.find("$timescale ") + 11, b = v.find(" $end", v.find("$timescale "));
  const auto last = v.rfind('#');
  return {v.substr(a, b - a), std::stoll(v.substr(last + 1))};
}
}  // namespace

TEST(Simulate, TraceAndVcd) {
  std::string trace = temp_path("t.json"), vcd = temp_path("w.vcd"), out = temp_path("r.json");
  Result r = run_tessera("simulate -q --net mlp --trace " + trace + " --vcd " + vcd + " -o " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  json t = json::parse(slurp(trace));
  ASSERT_TRUE(t.contains("traceEvents"));
  int spans = 0;
  std::set<std::pair<int, int>> named_tracks;
  for (const auto& e : t["traceEvents"]) {
    if (e["ph"] == "X") ++spans;
    if (e["ph"] == "M" && e["name"] == "thread_name") named_tracks.insert({e["pid"].get<int>(), e["tid"].get<int>()});
  }
  EXPECT_GT(spans, 0);
  for (const auto& e : t["traceEvents"]) {
    if (e["ph"] == "X") {
      EXPECT_TRUE(named_tracks.count({e["pid"].get<int>(), e["tid"].get<int>()}));
    }
  }
  expect_properly_nested(t, "mlp");
  std::string v = slurp(vcd);
  EXPECT_EQ(v.rfind("$comment", 0), 0u);
  EXPECT_NE(v.find("$enddefinitions $end"), std::string::npos);
  EXPECT_NE(v.find("mvm_busy"), std::string::npos);
  EXPECT_NE(v.find("input_stall"), std::string::npos);
  // ISAAC's 1.28 GHz clock: one cycle is 781.25 ps, a whole number of fs.
  const json rep = json::parse(slurp(out));
  const auto [unit, end] = vcd_timescale_and_end(v);
  EXPECT_EQ(unit, "1 fs");
  EXPECT_EQ(end, rep["totals"]["cycles"].get<long long>() * 781250);
}

TEST(Simulate, VcdTimeUnitIsTheCycleWhenWhole) {
  std::string vcd = temp_path("w1.vcd"), out = temp_path("r1.json");
  Result r = run_tessera("simulate -q --net mlp --set chip.clock_ghz=0.5 --vcd " + vcd + " -o " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto [unit, end] = vcd_timescale_and_end(slurp(vcd));
  EXPECT_EQ(unit, "1 ns");  // 0.5 GHz: 2 ns per cycle
  EXPECT_EQ(end, json::parse(slurp(out))["totals"]["cycles"].get<long long>() * 2);
}

// Pipelined stages, residuals and line-buffer stalls: the spans that overlapped
// on one track per tile (36 on fmnist-cnn) now sit on their own tracks.
TEST(Simulate, ChromeTraceSpansNestOnEveryTrack) {
  for (const std::string net : {"fmnist-cnn", "resnet20"}) {
    std::string trace = temp_path("n.json");
    Result r = run_tessera("simulate -q --net " + net + " --trace " + trace);
    ASSERT_EQ(r.code, 0) << r.out;
    expect_properly_nested(json::parse(slurp(trace)), net);
  }
}

TEST(Simulate, Deterministic) {
  json a = simulate("--net resnet20", "d1");
  json b = simulate("--net resnet20", "d2");
  a["run"].erase("wall_s");
  b["run"].erase("wall_s");
  EXPECT_EQ(a.dump(), b.dump());
}

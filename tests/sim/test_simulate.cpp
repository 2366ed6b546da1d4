// Cycle accuracy of the event-driven engine against its clocked reference,
// contention and its causes, traces. Each case runs the tessera binary.
#include <gtest/gtest.h>

#include <algorithm>
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

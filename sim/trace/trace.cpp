#include "sim/trace/trace.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "workloads/io/toml_reader.hpp"

namespace tessera {

namespace {
// A track's spans sorted and merged: overlapping or touching stretches become
// one, so no two spans on a track overlap (trace viewers drop overlapping,
// non-nested spans; a VCD signal would fall in the middle of an overlap).
std::vector<sc::Interval> merged(std::vector<sc::Interval> v) {
  std::sort(v.begin(), v.end(), [](const sc::Interval& a, const sc::Interval& b) { return a.start < b.start; });
  std::vector<sc::Interval> out;
  for (const auto& iv : v) {
    if (iv.end <= iv.start) continue;
    if (!out.empty() && iv.start <= out.back().end) out.back().end = std::max(out.back().end, iv.end);
    else out.push_back(iv);
  }
  return out;
}
}  // namespace

std::string chrome_trace(const std::vector<TileActivity>& tiles, double clock_ghz) {
  // Timestamps in microseconds of chip time.
  const double us_per_cycle = 1.0 / (clock_ghz * 1e3);
  nlohmann::ordered_json events = nlohmann::ordered_json::array();
  auto meta = [&](const char* what, int pid, int tid, nlohmann::ordered_json args) {
    nlohmann::ordered_json e = {{"name", what}, {"ph", "M"}, {"pid", pid}};
    if (tid >= 0) e["tid"] = tid;
    e["args"] = std::move(args);
    events.push_back(std::move(e));
  };
  // One process per tile, one thread (track) per stage and per stall cause.
  for (size_t t = 0; t < tiles.size(); ++t) {
    const int pid = int(t) + 1;
    meta("process_name", pid, -1, {{"name", tiles[t].name}});
    meta("process_sort_index", pid, -1, {{"sort_index", int(t)}});
    const std::string layer = tiles[t].name.substr(0, tiles[t].name.find('/'));
    auto track = [&](int tid, const std::string& track_name, const std::string& span_name, const std::string& cat,
                     const std::vector<sc::Interval>& ivs) {
      const auto spans = merged(ivs);
      if (spans.empty()) return;
      meta("thread_name", pid, tid, {{"name", track_name}});
      meta("thread_sort_index", pid, tid, {{"sort_index", tid}});
      for (const auto& iv : spans)
        events.push_back({{"name", span_name},
                          {"cat", cat},
                          {"ph", "X"},
                          {"ts", double(iv.start) * us_per_cycle},
                          {"dur", double(iv.end - iv.start) * us_per_cycle},
                          {"pid", pid},
                          {"tid", tid},
                          {"args", {{"start_cycle", iv.start}, {"end_cycle", iv.end}}}});
    };
    for (int s = 0; s < kStages; ++s) {
      const std::string stage = to_string(static_cast<Stage>(s));
      track(s, stage, layer + " " + stage, stage, tiles[t].busy[s]);
    }
    for (int c = 0; c < kStallCauses; ++c) {
      const std::string name = std::string("stall: ") + to_string(static_cast<StallCause>(c));
      track(kStages + c, name, name, "stall", tiles[t].stalls[c]);
    }
  }
  nlohmann::ordered_json j;
  j["traceEvents"] = events;
  j["displayTimeUnit"] = "ns";
  j["otherData"] = {{"clock_ghz", clock_ghz},
                    {"note", "one process per tile, one track per stage and per stall cause; spans never overlap on a track"}};
  return j.dump() + "\n";
}

namespace {
std::string vcd_id(int n) {
  std::string s;
  do {
    s += char('!' + n % 94);
    n /= 94;
  } while (n);
  return s;
}
std::string scope_name(std::string s) {
  for (char& c : s)
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}
}  // namespace

VcdTimescale vcd_timescale(double clock_ghz) {
  // The coarsest of ns, ps and fs in which one cycle is a whole number of units;
  // fs (rounded) when none is, which is within 1 fs of the real time.
  const double period_ns = 1.0 / clock_ghz;
  static const std::pair<const char*, double> units[] = {{"1 ns", 1.0}, {"1 ps", 1e3}, {"1 fs", 1e6}};
  for (const auto& [unit, per_ns] : units) {
    const double p = period_ns * per_ns;
    if (p >= 1 && std::fabs(p - std::round(p)) <= 1e-9 * p) return {unit, p};
  }
  return {"1 fs", period_ns * 1e6};
}

std::string vcd(const std::vector<TileActivity>& tiles, int64_t end_cycle, double clock_ghz) {
  std::string out;
  char buf[128];
  const VcdTimescale ts = vcd_timescale(clock_ghz);
  auto time_of = [&](int64_t cycle) { return (long long)std::llround(double(cycle) * ts.units_per_cycle); };
  out += "$comment tessera simulation; one chip cycle (" + io::format_number(clock_ghz) + " GHz) is " +
         io::format_number(ts.units_per_cycle) + " x " + ts.unit + " $end\n";
  out += "$timescale " + ts.unit + " $end\n$scope module chip $end\n";
  std::vector<std::tuple<int64_t, int, int>> changes;  // (time, id, value)
  int id = 0;
  for (const auto& t : tiles) {
    out += "$scope module " + scope_name(t.name) + " $end\n";
    auto signal = [&](const std::string& name, const std::vector<sc::Interval>& ivs) {
      out += "$var wire 1 " + vcd_id(id) + " " + name + " $end\n";
      for (const auto& iv : merged(ivs)) {
        changes.emplace_back(iv.start, id, 1);
        changes.emplace_back(iv.end, id, 0);
      }
      ++id;
    };
    for (int s = 0; s < kStages; ++s) signal(std::string(to_string(static_cast<Stage>(s))) + "_busy", t.busy[s]);
    for (int c = 0; c < kStallCauses; ++c)
      signal(std::string(to_string(static_cast<StallCause>(c))) + "_stall", t.stalls[c]);
    out += "$upscope $end\n";
  }
  out += "$upscope $end\n$enddefinitions $end\n$dumpvars\n";
  for (int i = 0; i < id; ++i) out += "0" + vcd_id(i) + "\n";
  out += "$end\n";
  // At equal times, falling edges first so back-to-back spans stay high.
  std::sort(changes.begin(), changes.end(), [](const auto& a, const auto& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) < std::get<0>(b);
    return std::get<2>(a) < std::get<2>(b);
  });
  int64_t now = -1;
  for (const auto& [time, sig, val] : changes) {
    if (time != now) {
      std::snprintf(buf, sizeof buf, "#%lld\n", time_of(time));
      out += buf;
      now = time;
    }
    out += char('0' + val);
    out += vcd_id(sig) + "\n";
  }
  std::snprintf(buf, sizeof buf, "#%lld\n", time_of(end_cycle));
  out += buf;
  return out;
}

}  // namespace tessera

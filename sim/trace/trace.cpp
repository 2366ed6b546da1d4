#include "sim/trace/trace.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace tessera {

std::string chrome_trace(const std::vector<TileActivity>& tiles, double clock_ghz) {
  // Timestamps in microseconds of chip time.
  const double us_per_cycle = 1.0 / (clock_ghz * 1e3);
  nlohmann::ordered_json events = nlohmann::ordered_json::array();
  auto span = [&](int tid, const std::string& name, const std::string& cat, const sc::Interval& iv) {
    events.push_back({{"name", name},
                      {"cat", cat},
                      {"ph", "X"},
                      {"ts", double(iv.start) * us_per_cycle},
                      {"dur", double(iv.end - iv.start) * us_per_cycle},
                      {"pid", 0},
                      {"tid", tid},
                      {"args", {{"start_cycle", iv.start}, {"end_cycle", iv.end}}}});
  };
  for (size_t t = 0; t < tiles.size(); ++t) {
    events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 0}, {"tid", int(t)}, {"args", {{"name", tiles[t].name}}}});
    const std::string layer = tiles[t].name.substr(0, tiles[t].name.find('/'));
    for (int s = 0; s < kStages; ++s)
      for (const auto& iv : tiles[t].busy[s]) span(int(t), layer + " " + to_string(static_cast<Stage>(s)), to_string(static_cast<Stage>(s)), iv);
    for (int c = 0; c < kStallCauses; ++c)
      for (const auto& iv : tiles[t].stalls[c])
        span(int(t), std::string("stall: ") + to_string(static_cast<StallCause>(c)), "stall", iv);
  }
  nlohmann::ordered_json j;
  j["traceEvents"] = events;
  j["displayTimeUnit"] = "ns";
  j["otherData"] = {{"clock_ghz", clock_ghz}, {"note", "one track per tile; spans are busy stretches of a stage"}};
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

std::string vcd(const std::vector<TileActivity>& tiles, int64_t end_cycle, double clock_ghz) {
  std::string out;
  char buf[128];
  out += "$comment tessera simulation; one time unit = one chip cycle (" + std::to_string(clock_ghz) + " GHz) $end\n";
  out += "$timescale 1 ns $end\n$scope module chip $end\n";
  std::vector<std::tuple<int64_t, int, int>> changes;  // (time, id, value)
  int id = 0;
  for (const auto& t : tiles) {
    out += "$scope module " + scope_name(t.name) + " $end\n";
    auto signal = [&](const std::string& name, const std::vector<sc::Interval>& ivs) {
      out += "$var wire 1 " + vcd_id(id) + " " + name + " $end\n";
      for (const auto& iv : ivs) {
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
      std::snprintf(buf, sizeof buf, "#%lld\n", (long long)time);
      out += buf;
      now = time;
    }
    out += char('0' + val);
    out += vcd_id(sig) + "\n";
  }
  std::snprintf(buf, sizeof buf, "#%lld\n", (long long)end_cycle);
  out += buf;
  return out;
}

}  // namespace tessera

#include "sim/trace/trace.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace tessera {

std::string chrome_trace(const std::vector<TileActivity>& tiles, double clock_ghz) {
  // Timestamps in microseconds of chip time.
  const double us_per_cycle = 1.0 / (clock_ghz * 1e3);
  nlohmann::ordered_json events = nlohmann::ordered_json::array();
  for (size_t t = 0; t < tiles.size(); ++t) {
    events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 0}, {"tid", int(t)}, {"args", {{"name", tiles[t].name}}}});
    const std::string layer = tiles[t].name.substr(0, tiles[t].name.find('/'));
    for (int s = 0; s < kStages; ++s) {
      for (const auto& iv : tiles[t].busy[s]) {
        events.push_back({{"name", layer + " " + to_string(static_cast<Stage>(s))},
                          {"cat", to_string(static_cast<Stage>(s))},
                          {"ph", "X"},
                          {"ts", double(iv.start) * us_per_cycle},
                          {"dur", double(iv.end - iv.start) * us_per_cycle},
                          {"pid", 0},
                          {"tid", int(t)},
                          {"args", {{"start_cycle", iv.start}, {"end_cycle", iv.end}}}});
      }
    }
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
    for (int s = 0; s < kStages; ++s, ++id) {
      out += "$var wire 1 " + vcd_id(id) + " " + to_string(static_cast<Stage>(s)) + "_busy $end\n";
      for (const auto& iv : t.busy[s]) {
        changes.emplace_back(iv.start, id, 1);
        changes.emplace_back(iv.end, id, 0);
      }
    }
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

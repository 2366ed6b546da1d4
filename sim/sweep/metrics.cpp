#include "sim/sweep/metrics.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace tessera::sweep {

namespace {
using J = nlohmann::json;
using Cols = std::vector<std::pair<std::string, base::Value>>;

void put(Cols& c, const std::string& name, const J& v) {
  if (v.is_number_integer()) c.emplace_back(name, int64_t(v.get<int64_t>()));
  else if (v.is_number()) c.emplace_back(name, v.get<double>());
  else if (v.is_string()) c.emplace_back(name, v.get<std::string>());
}

void simulation_report(const J& j, Cols& c) {
  const J& t = j.at("totals");
  put(c, "cycles", t.at("cycles"));
  put(c, "latency_s", t.at("latency_s"));
  c.emplace_back("energy_j", t.at("energy_pj").get<double>() * 1e-12);
  for (const auto& [k, v] : t.at("energy_by_component_pj").items()) put(c, "energy_" + k + "_pj", v);
  put(c, "area_mm2", t.at("area_mm2"));
  if (t.contains("peak_power_mw")) put(c, "peak_power_mw", t.at("peak_power_mw"));
  if (t.contains("leakage_power_mw")) put(c, "leakage_power_mw", t.at("leakage_power_mw"));
  for (const auto& [k, v] : j.at("metrics").items()) put(c, k, v);
  const J& a = j.at("arch");
  put(c, "tiles_used", a.at("tiles_used"));
  put(c, "tiles_total", a.at("tiles_total"));
  if (a.at("tiles_total").get<double>() > 0)
    c.emplace_back("tile_utilisation", a.at("tiles_used").get<double>() / a.at("tiles_total").get<double>());
  put(c, "weight_reload_rounds", a.at("weight_reload_rounds"));
  // Stall cycles by cause, summed over layers (simulate only).
  std::map<std::string, double> stalls;
  bool any = false;
  for (const auto& l : j.at("layers")) {
    if (!l.contains("stall_cycles") || !l.at("stall_cycles").is_object()) continue;
    for (const auto& [k, v] : l.at("stall_cycles").items())
      if (v.is_number()) {
        stalls[k] += v.get<double>();
        any = true;
      }
  }
  if (any)
    for (const auto& [k, v] : stalls) c.emplace_back("stall_" + k + "_cycles", int64_t(v));
}
}  // namespace

std::vector<std::pair<std::string, base::Value>> report_metrics(const std::string& text) {
  J j = J::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw std::runtime_error("the point's report is not JSON");
  Cols c;
  std::string schema = j.value("schema", "");
  try {
    if (schema.rfind("tessera.compare", 0) == 0) {
      for (const char* k : {"analytical_cycles", "simulated_cycles", "latency_error", "analytical_energy_pj",
                            "simulated_energy_pj", "energy_error"})
        put(c, k, j.at(k));
      // A stream's interval (null without one: no column).
      for (const char* k : {"analytical_interval_cycles", "simulated_interval_cycles", "interval_error"})
        if (j.contains(k)) put(c, k, j.at(k));
    } else if (schema.rfind("tessera.evaluate", 0) == 0) {
      if (j.at("clean_accuracy").is_number()) put(c, "clean_accuracy", j.at("clean_accuracy"));
      put(c, "ideal_chip_accuracy", j.at("ideal_chip_accuracy"));
      for (const auto& p : j.at("times")) {
        std::string t = std::to_string(int64_t(p.at("t_s").get<double>()));
        put(c, "accuracy_" + t + "s", p.at("mean"));
        put(c, "accuracy_std_" + t + "s", p.at("std"));
      }
      if (j.at("avm").is_number()) put(c, "avm", j.at("avm"));
    } else {
      simulation_report(j, c);
    }
  } catch (const J::exception& e) {
    throw std::runtime_error(std::string("the point's report lacks a field: ") + e.what());
  }
  return c;
}

}  // namespace tessera::sweep

#include "nas/search/objectives.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tessera::search {

const std::vector<MetricInfo>& metric_infos() {
  static const std::vector<MetricInfo> m = {
      {"parameters", false, "weights of the network"},
      {"latency_ms", false, "inference latency of one image (analytical model)"},
      {"energy_uj", false, "energy of one inference (analytical model)"},
      {"area_mm2", false, "chip area"},
      {"used_area_mm2", false, "area of the tiles the network occupies plus the chip's shared parts (a multi-class chip built for this network)"},
      {"edap", false, "energy (J) x latency (s) x area (mm^2)"},
      {"used_energy_uj", false, "energy less the leakage of the tiles the network does not occupy"},
      {"edap_used", false, "used energy (J) x latency (s) x used area (mm^2)"},
      {"proxy_accuracy", true, "accuracy proxy: test accuracy after a short training without the array model (fraction)"},
      {"epochs", true, "epochs the candidate trained for (below the budget: stopped by successive halving)"},
      {"accuracy", true, "test accuracy after hardware-aware training (fraction), at the last rung trained"},
      {"ideal_accuracy", true, "accuracy on the chip with ideal devices (fraction)"},
      {"drift_accuracy", true, "mean accuracy on the chip at the last drift time (fraction)"},
      {"sim_latency_ms", false, "inference latency of one image, cycle-level simulation (Pareto set only)"},
      {"sim_energy_uj", false, "energy of one inference, cycle-level simulation (Pareto set only)"},
      {"avm", true, "accuracy variation: mean accuracy at the last drift time minus at the first (fraction, <= 0 when drift hurts)"},
  };
  return m;
}

const MetricInfo& metric_info(const std::string& name) {
  for (const auto& m : metric_infos())
    if (m.name == name) return m;
  throw std::out_of_range("no metric named '" + name + "'");
}

std::vector<std::string> metric_names() {
  std::vector<std::string> n;
  for (const auto& m : metric_infos()) n.push_back(m.name);
  return n;
}

Goals Goals::load(const io::Section& root) {
  Goals g;
  for (const auto& o : root.table_array("objective", "an objective of the search (the first also ranks scalarly)")) {
    Objective ob;
    ob.metric = o.required_string("metric", "metric to optimise (minimised or maximised as the metric says)", metric_names());
    ob.maximise = o.describing() ? false : metric_info(ob.metric).maximise;
    ob.reference = o.required_number("reference", "hypervolume reference point: the worst value that still counts");
    for (const auto& prev : g.objectives) o.check(prev.metric != ob.metric, "metric", "objective listed twice");
    o.finish();
    g.objectives.push_back(ob);
  }
  root.check(!g.objectives.empty(), "objective", "give at least one [[objective]]");
  io::Section cs = root.table("constraints", "bounds on metrics: [constraints.METRIC] min/max");
  for (const auto& name : cs.free_keys()) {
    io::Section c = cs.table(name, "bounds on one metric");
    const auto names = metric_names();
    cs.check(std::find(names.begin(), names.end(), name) != names.end(), name,
             "no metric of this name; metrics: " + fmt::format("{}", fmt::join(names, ", ")));
    Constraint k;
    k.metric = name;
    k.min = c.number("min", "smallest allowed value", k.min);
    k.max = c.number("max", "largest allowed value", k.max);
    c.check(k.min <= k.max, "min", "min is above max");
    c.check(std::isfinite(k.min) || std::isfinite(k.max), "max", "give min, max or both");
    c.finish();
    g.constraints.push_back(k);
  }
  cs.finish();
  return g;
}

std::vector<double> Goals::minimised(const Metrics& m) const {
  std::vector<double> v;
  for (const auto& o : objectives) {
    auto it = m.find(o.metric);
    if (it == m.end() || !std::isfinite(it->second)) v.push_back(std::numeric_limits<double>::infinity());
    else v.push_back(o.maximise ? -it->second : it->second);
  }
  return v;
}

std::vector<double> Goals::reference() const {
  std::vector<double> v;
  for (const auto& o : objectives) v.push_back(o.maximise ? -o.reference : o.reference);
  return v;
}

double Goals::violation(const Metrics& m) const {
  double total = 0;
  for (const auto& c : constraints) {
    auto it = m.find(c.metric);
    if (it == m.end() || std::isnan(it->second)) {
      total += 1;
      continue;
    }
    const double v = it->second;
    // Relative to the bound's magnitude, so constraints of different units add up.
    if (v < c.min) total += (c.min - v) / std::max(std::abs(c.min), 1e-12);
    if (v > c.max) total += (v - c.max) / std::max(std::abs(c.max), 1e-12);
  }
  return total;
}

bool Goals::broken_by_known(const Metrics& m) const {
  for (const auto& c : constraints) {
    auto it = m.find(c.metric);
    if (it != m.end() && (it->second < c.min || it->second > c.max)) return true;
  }
  return false;
}

}  // namespace tessera::search

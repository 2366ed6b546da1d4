// What a search optimises and what it requires: objectives over the metrics a
// candidate's evaluation reports, and constraints (bounds on metrics).
// Internally every objective is minimised (a maximised metric is negated).
#pragma once

#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "workloads/io/toml_reader.hpp"

namespace tessera::search {

// Metric values of one evaluated candidate, by metric name.
using Metrics = std::map<std::string, double>;

struct MetricInfo {
  std::string name;
  bool maximise;
  std::string description;
};
// The metrics evaluations report (docs/search.md lists them).
const std::vector<MetricInfo>& metric_infos();
const MetricInfo& metric_info(const std::string& name);  // std::out_of_range if unknown
std::vector<std::string> metric_names();

struct Objective {
  std::string metric;
  bool maximise = false;
  double reference = 0;  // hypervolume reference point, in the metric's units
};

struct Constraint {
  std::string metric;
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
};

struct Goals {
  std::vector<Objective> objectives;  // the first one is the scalar rank's key
  std::vector<Constraint> constraints;

  // [[objective]] and [constraints.METRIC] of a search space file.
  static Goals load(const io::Section& root);

  // The objectives in minimisation form; a missing metric counts as +inf.
  std::vector<double> minimised(const Metrics& m) const;
  // The hypervolume reference point in minimisation form.
  std::vector<double> reference() const;
  // Total relative violation of the constraints: 0 when all hold; a missing
  // constrained metric is a violation of 1.
  double violation(const Metrics& m) const;
  // Whether a metric measured so far already breaks a constraint (the cheap
  // stages filter before the expensive ones run); unmeasured metrics pass.
  bool broken_by_known(const Metrics& m) const;
};

}  // namespace tessera::search

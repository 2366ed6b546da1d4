// The resolved points of a sweep: every sampled combination turned into the
// command it runs, checked (network and arch config loaded with the point's
// overrides) and keyed by a hash of its fully resolved inputs.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/sweep/spec.hpp"

namespace tessera::sweep {

struct Point {
  int64_t index = 0;                                   // position in the sweep
  std::vector<std::pair<std::string, AxisValue>> params;  // axes then derived values
  Mode mode = Mode::Estimate;
  std::string net;                                     // as --net takes it
  std::string arch;                                    // preset file path
  std::vector<std::string> sets;                       // the spec's, then the axes', then derived
  std::string skip_reason;                             // set: recorded as skipped, never run
  std::string hash;                                    // SHA-256 of the resolved inputs (hex)

  // Arguments of `tessera` that run it, writing its report to `report_path`.
  std::vector<std::string> command(const SweepSpec& spec, const std::string& report_path) const;
};

// Samples, derives, applies constraints and checks every point. A point
// whose configuration is invalid is an InputError at the axis that caused it
// (or skipped with the reason, with on_invalid = "skip").
std::vector<Point> resolve_points(const SweepSpec& spec);

std::string sha256_hex(const std::string& text);

}  // namespace tessera::sweep

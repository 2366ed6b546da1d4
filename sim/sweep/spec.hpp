// A sweep specification (configs/sweeps/*.toml): the axes of a design-space
// sweep over any arch config key (the `--set` paths), networks, arch presets
// and modes, how points are sampled from them, values derived from others,
// and constraints that skip points. Parsed and checked in one place; every
// error names the spec file, line and key.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "workloads/io/toml_reader.hpp"


namespace tessera::sweep {

// One value an axis takes: its text as a `--set` value (TOML syntax; strings
// quoted) or as a plain name for the net, arch and mode axes, and its number
// when it is one.
struct AxisValue {
  std::string text;
  std::optional<double> number;
  bool integer = false;
};

struct Axis {
  std::string key;                 // a --set path, or "net", "arch", "mode"
  std::vector<AxisValue> values;   // explicit values (grid, zip; random and LHS choose among them)
  // A numeric range instead of values: grid takes min, min+step, ..., max;
  // random and LHS draw from [min, max] (log-uniform with log = true).
  std::optional<double> min, max, step;
  bool integer = false;            // drawn values rounded to integers
  bool log = false;
  SourceLoc loc;                   // the [[axis]] table, for errors

  bool is_range() const { return min.has_value(); }
  // The values a grid visits, and how many there are.
  std::vector<AxisValue> grid_values() const;
  int64_t grid_size() const;
};

struct Derived {
  std::string key;     // the key it sets
  std::string from;    // an axis key
  double scale = 1;    // value = from * scale (numbers); a copy otherwise
  SourceLoc loc;
};

struct Constraint {
  std::string left;    // an axis or derived key
  std::string op;      // < <= > >= == !=
  std::string right;   // a key, or a literal value
  std::string reason;  // recorded with the skipped point
  SourceLoc loc;
};

class Sampler;

enum class Mode { Estimate, Simulate, Compare, Evaluate };
const char* mode_name(Mode m);

struct SweepSpec {
  std::string file;
  std::string dir;                 // relative paths in the spec are relative to this
  std::string name;
  Mode mode = Mode::Estimate;      // unless an axis "mode"
  std::string net = "resnet20";    // unless an axis "net"
  std::string arch = "isaac";      // unless an axis "arch"
  std::vector<std::string> set;    // fixed overrides, applied before the axes'
  double timeout_s = 600;
  int64_t memory_mb = 16384;
  bool skip_invalid = false;       // on_invalid = "skip": record invalid points as skipped
  // evaluate mode: the weight export and the data set
  std::string weights, dataset;
  int64_t images = 0, device_runs = 3;
  int64_t stream = 1;  // simulate, compare: images back to back
  // Images a point of `mode` simulates (estimate and evaluate: one).
  int64_t stream_images(Mode mode) const { return mode == Mode::Simulate || mode == Mode::Compare ? stream : 1; }
  std::vector<double> times;
  std::string sampler = "grid";    // [sampler] impl
  std::shared_ptr<const Sampler> sampler_impl;
  std::vector<Axis> axes;
  std::vector<Derived> derived;
  std::vector<Constraint> constraints;
  std::string text;                // the spec file's contents, recorded in the store
};

SweepSpec load_sweep_spec(const std::string& path);
// Every key of a sweep spec, for docs/sweeps.md and `tessera sweep --describe`.
std::vector<io::ParamInfo> describe_sweep_spec();

}  // namespace tessera::sweep

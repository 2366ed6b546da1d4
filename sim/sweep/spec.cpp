#include "sim/sweep/spec.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/run/stream_limits.hpp"
#include "sim/sweep/sampler.hpp"

namespace tessera::sweep {

namespace {
const std::vector<std::string> kModes = {"estimate", "simulate", "compare", "evaluate"};
const std::vector<std::string> kOps = {"<", "<=", ">", ">=", "==", "!="};
const std::set<std::string> kSpecialKeys = {"net", "arch", "mode"};
// The most points one sweep resolves (as many as random and lhs may draw).
constexpr int64_t kMaxPoints = 10000000;

Mode parse_mode(const std::string& s) {
  if (s == "simulate") return Mode::Simulate;
  if (s == "compare") return Mode::Compare;
  if (s == "evaluate") return Mode::Evaluate;
  return Mode::Estimate;
}

AxisValue number_value(double v, bool integer) {
  AxisValue a;
  a.number = v;
  a.integer = integer;
  a.text = integer ? std::to_string(int64_t(std::llround(v))) : io::format_number(v);
  if (!integer && a.text.find_first_of(".eE") == std::string::npos) a.text += ".0";
  return a;
}

bool whole(double v) { return std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9e15; }

Axis read_axis(const io::Section& s, const SweepSpec& spec) {
  Axis a;
  a.loc = s.loc_of("key");
  a.key = s.required_string("key", "what the axis varies: a config key path as --set takes it "
                                   "(tile_class.isaac.adc.bits), or net, arch, mode");
  for (const auto& v : s.scalar_list("values", "the values it takes (grid, zip; random and lhs choose among them)")) {
    AxisValue av;
    // net, arch and mode take plain names; config keys take TOML literals.
    av.text = kSpecialKeys.count(a.key) ? v.plain : v.literal;
    av.number = v.number;
    av.integer = v.integer;
    a.values.push_back(std::move(av));
  }
  bool has_range = s.has("min") || s.has("max");
  double lo = s.number("min", "lower end of a numeric range (instead of values)", 0);
  double hi = s.number("max", "upper end of a numeric range (inclusive)", 0);
  double step = s.number("step", "grid step of a range (grid needs it; random and lhs draw on this lattice when given)", 0, 0);
  a.log = s.boolean("log", "random and lhs draw log-uniformly from [min, max]", false);
  bool integer_default = whole(lo) && whole(hi) && (step == 0 || whole(step));
  a.integer = s.boolean("integer", "drawn values are rounded to integers (default: true when min, max and step are)",
                        integer_default);
  if (s.describing()) return a;
  if (a.key.empty()) s.fail("key", "must not be empty");
  if (a.key == "mode")
    for (const auto& v : a.values)
      if (std::find(kModes.begin(), kModes.end(), v.text) == kModes.end())
        s.fail("values", "mode '" + v.text + "' is not one of estimate, simulate, compare, evaluate");
  if (has_range) {
    if (!a.values.empty()) s.fail("min", "give either values or min/max, not both");
    if (!s.has("min") || !s.has("max")) s.fail(s.has("min") ? "max" : "min", "a range needs both min and max");
    if (kSpecialKeys.count(a.key)) s.fail("min", "the " + a.key + " axis takes values, not a range");
    if (hi < lo) s.fail("max", "max " + io::format_number(hi) + " is below min " + io::format_number(lo));
    if (a.log && lo <= 0) s.fail("min", "a log range needs min > 0");
    a.min = lo;
    a.max = hi;
    if (step > 0) a.step = step;
    if (spec.sampler_impl->enumerates() && !a.step) s.fail("step", spec.sampler + " over a range needs a step");
    if (a.step && (hi - lo) / *a.step > 1e6) s.fail("step", "the range has more than a million steps");
  } else if (a.values.empty()) {
    s.fail("values", "an axis needs values (a non-empty list) or min and max");
  }
  s.finish();
  return a;
}
}  // namespace

const char* mode_name(Mode m) {
  switch (m) {
    case Mode::Estimate: return "estimate";
    case Mode::Simulate: return "simulate";
    case Mode::Compare: return "compare";
    case Mode::Evaluate: return "evaluate";
  }
  return "?";
}

int64_t Axis::grid_size() const {
  if (!is_range()) return int64_t(values.size());
  const double n = std::floor((*max - *min) / step.value_or(1) + 1e-9) + 1;
  return n < 9e18 ? int64_t(n) : INT64_MAX;  // not NaN: min and max are finite, max >= min
}

std::vector<AxisValue> Axis::grid_values() const {
  if (!is_range()) return values;
  std::vector<AxisValue> out;
  double st = step.value_or(1);
  const int64_t n = grid_size();
  for (int64_t i = 0; i < n; ++i) out.push_back(number_value(*min + double(i) * st, integer));
  return out;
}

DrawCount::DrawCount(const io::Section& s, const char* sampler)
    : samples(s.integer("samples", "random, lhs: how many points", 0, 0, kMaxPoints)),
      seed(uint64_t(s.integer("seed", "random, lhs: seed (the same seed draws the same points)", 1, 0))) {
  s.check(samples > 0, "samples", std::string(sampler) + " sampling needs samples > 0");
  s.finish();
}

AxisValue draw_in_range(const Axis& a, double u) {
  double v;
  if (a.log) v = std::exp(std::log(*a.min) + u * (std::log(*a.max) - std::log(*a.min)));
  else v = *a.min + u * (*a.max - *a.min);
  if (a.step) v = *a.min + std::floor((v - *a.min) / *a.step + 0.5) * *a.step;
  if (a.integer) v = std::floor(v + 0.5);
  v = std::min(std::max(v, *a.min), *a.max);
  return number_value(v, a.integer);
}

static SweepSpec read_spec(const io::Section& root, const std::string& path) {
  SweepSpec spec;
  spec.file = path;
  auto s = root.table("sweep", "what every point runs, unless an axis varies it", true);
  spec.name = s.string("name", "a name for the sweep (reports and plots)", "");
  spec.mode = parse_mode(s.string("mode", "what each point runs", "estimate", kModes));
  spec.net = s.string("net", "network: a zoo name with parameters or a network file (relative to the spec)", "resnet20");
  spec.arch = s.string("arch", "arch preset name or file (relative to the spec)", "isaac");
  spec.set = s.string_list("set", "fixed overrides (KEY.PATH=VALUE, as --set), applied before the axes'", {});
  spec.timeout_s = s.number("timeout_s", "wall-clock limit of one point, seconds", 600, 0.1, 1e7);
  spec.memory_mb = s.integer("memory_mb", "address-space limit of one point's process, MiB (0: none)", 16384, 0, int64_t(1) << 30);
  spec.skip_invalid = s.string("on_invalid", "a point whose configuration is invalid: error (stop before running anything) "
                                             "or skip (record it as skipped with the reason)", "error", {"error", "skip"}) == "skip";
  spec.stream = s.integer("stream", "simulate, compare: images simulated back to back; 2 or more measure the interval "
                                    "between outputs (throughput_fps)", 1, 1, kMaxStreamImages);
  spec.weights = s.string("weights", "evaluate: the weight export directory (relative to the spec); estimate (optional): "
                                     "cell reads priced at the conductance the arrays programmed with it read; simulate and compare points do not use it", "");
  spec.dataset = s.string("dataset", "evaluate: the data set (fashion-mnist, cifar10, idx)", "");
  spec.images = s.integer("images", "evaluate: the first N test images (0: all)", 0, 0, 100000000);
  spec.device_runs = s.integer("device_runs", "evaluate: Monte-Carlo device draws", 3, 1, 100000);
  spec.times = s.number_list("times", "evaluate: seconds after programming", {}, 0, 1e12);
  if (!s.describing()) {
    if (spec.mode == Mode::Evaluate && (spec.weights.empty() || spec.dataset.empty()))
      s.fail(spec.weights.empty() ? "weights" : "dataset", "evaluate mode needs weights and dataset");
    s.finish();
  }

  auto sm = root.table("sampler", "how points are drawn from the axes");
  spec.sampler_impl = SamplerRegistry::create(sm, "grid");
  spec.sampler = sm.string("impl", "", "grid");

  std::set<std::string> keys;
  for (const auto& a : root.table_array("axis", "one axis of the design space")) {
    spec.axes.push_back(read_axis(a, spec));
    if (!a.describing() && !keys.insert(spec.axes.back().key).second) a.fail("key", "axis '" + spec.axes.back().key + "' appears twice");
  }
  for (const auto& d : root.table_array("derived", "a value computed from an axis for every point")) {
    Derived dv;
    dv.loc = d.loc_of("key");
    dv.key = d.required_string("key", "the config key it sets (as --set)");
    dv.from = d.required_string("from", "the axis it follows");
    dv.scale = d.number("scale", "value = from x scale (a number axis); 1 copies the value", 1);
    if (!d.describing()) {
      if (!keys.count(dv.from)) d.fail("from", "no axis or derived value '" + dv.from + "' before this one");
      if (kSpecialKeys.count(dv.key) || kSpecialKeys.count(dv.from)) d.fail("key", "net, arch and mode cannot be derived");
      if (!keys.insert(dv.key).second) d.fail("key", "'" + dv.key + "' is already set by an axis or derived value");
      d.finish();
    }
    spec.derived.push_back(dv);
  }
  for (const auto& c : root.table_array("constraint", "points that violate it are skipped (recorded with the reason)")) {
    Constraint ct;
    ct.loc = c.loc_of("left");
    ct.left = c.required_string("left", "an axis or derived key");
    ct.op = c.required_string("op", "comparison that must hold", kOps);
    auto right = c.scalar_list("right", "a one-element list: a number, a string, or the name of another key");
    ct.reason = c.string("reason", "recorded with each skipped point", "");
    if (!c.describing()) {
      if (!keys.count(ct.left)) c.fail("left", "no axis or derived value '" + ct.left + "'");
      if (right.size() != 1) c.fail("right", "give exactly one value, e.g. right = [8] or right = [\"tile_class.a.crossbar.rows\"]");
      ct.right = keys.count(right[0].plain) ? right[0].plain : right[0].literal;
      c.finish();
    }
    spec.constraints.push_back(ct);
  }
  if (!root.describing()) {
    if (spec.axes.empty()) root.fail("axis", "a sweep needs at least one [[axis]]");
    // Checked before any point is drawn: a grid of a few long axes would
    // otherwise try to allocate its product.
    const int64_t points = spec.sampler_impl->count(spec.axes);
    if (points > kMaxPoints)
      root.fail("axis", spec.sampler + " over these axes gives " + (points == INT64_MAX ? std::string("more than 2^63") : std::to_string(points)) +
                            " points; a sweep has at most " + std::to_string(kMaxPoints));
    root.finish();
  }
  return spec;
}

SweepSpec load_sweep_spec(const std::string& path) {
  namespace fs = std::filesystem;
  if (fs::is_directory(path)) throw InputError({path, 0, 0}, "", "is a directory, not a sweep spec file");
  auto doc = io::Document::from_file(path);
  SweepSpec spec = read_spec(doc.root(), path);
  spec.dir = fs::path(path).parent_path().string();
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  spec.text = ss.str();
  if (spec.sampler == "zip") {
    const int64_t n = spec.axes.front().grid_size();
    for (const auto& a : spec.axes)
      if (a.grid_size() != n)
        throw InputError(a.loc, "axis." + a.key,
                         "zip needs axes of equal length: " + std::to_string(a.grid_size()) + " values against " +
                             std::to_string(n) + " in axis '" + spec.axes.front().key + "'");
  }
  return spec;
}

std::vector<io::ParamInfo> describe_sweep_spec() {
  auto doc = io::Document::describer();
  read_spec(doc.root(), "");
  return doc.described();
}

}  // namespace tessera::sweep

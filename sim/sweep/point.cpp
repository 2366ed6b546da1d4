#include "sim/sweep/point.hpp"

#include <openssl/evp.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "arch/config/arch_config.hpp"
#include "arch/mapping/mapping.hpp"
#include "sim/cli/common.hpp"
#include "sim/sweep/sampler.hpp"
#include "workloads/importers/network_toml.hpp"
#include "workloads/load.hpp"

namespace tessera::sweep {

namespace {
// A path written in the spec is relative to the spec's folder; a zoo name or
// preset name is left alone.
std::string spec_relative(const SweepSpec& spec, const std::string& s) {
  namespace fs = std::filesystem;
  bool looks_like_file = s.find('/') != std::string::npos || fs::path(s).has_extension();
  if (!looks_like_file || fs::path(s).is_absolute() || spec.dir.empty()) return s;
  return (fs::path(spec.dir) / s).lexically_normal().string();
}

bool compare(const AxisValue& l, const std::string& op, const AxisValue& r) {
  if (l.number && r.number) {
    double a = *l.number, b = *r.number;
    if (op == "<") return a < b;
    if (op == "<=") return a <= b;
    if (op == ">") return a > b;
    if (op == ">=") return a >= b;
    if (op == "==") return a == b;
    return a != b;
  }
  if (op == "==") return l.text == r.text;
  if (op == "!=") return l.text != r.text;
  if (op == "<") return l.text < r.text;
  if (op == "<=") return l.text <= r.text;
  if (op == ">") return l.text > r.text;
  return l.text >= r.text;
}

AxisValue literal_value(const std::string& text) {
  AxisValue v;
  v.text = text;
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (end && *end == '\0' && !text.empty()) {
    v.number = d;
    v.integer = text.find_first_of(".eE") == std::string::npos;
  } else if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    v.text = text;  // quoted literal: compared as written
  }
  return v;
}

// The location of the axis whose --set an error names, when it is one.
const Axis* axis_of_error(const SweepSpec& spec, const InputError& e) {
  const std::string& f = e.loc().file;
  for (const auto& a : spec.axes)
    if (f.rfind("--set " + a.key + "=", 0) == 0) return &a;
  return nullptr;
}

std::string describe_params(const Point& p) {
  std::string s;
  for (const auto& [k, v] : p.params) s += (s.empty() ? "" : ", ") + k + "=" + v.text;
  return s;
}
}  // namespace

std::string sha256_hex(const std::string& text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

std::vector<std::string> Point::command(const SweepSpec& spec, const std::string& report_path) const {
  std::vector<std::string> a{mode_name(mode), "--net", net, "--arch", arch};
  for (const auto& s : sets) {
    a.push_back("--set");
    a.push_back(s);
  }
  if (mode == Mode::Evaluate) {
    a.insert(a.end(), {"--weights", spec_relative(spec, spec.weights), "--dataset", spec.dataset, "--device-runs",
                       std::to_string(spec.device_runs)});
    if (spec.images > 0) a.insert(a.end(), {"--images", std::to_string(spec.images)});
    if (!spec.times.empty()) {
      std::string t;
      for (double x : spec.times) t += (t.empty() ? "" : ",") + io::format_number(x);
      a.insert(a.end(), {"--times", t});
    }
    a.insert(a.end(), {"--threads", "1"});
  }
  if (mode == Mode::Estimate && !spec.weights.empty()) a.insert(a.end(), {"--weights", spec_relative(spec, spec.weights)});
  if (spec.stream_images(mode) > 1) a.insert(a.end(), {"--stream", std::to_string(spec.stream)});
  a.insert(a.end(), {"-o", report_path});
  if (mode != Mode::Evaluate) a.push_back("-q");
  return a;
}

std::vector<Point> resolve_points(const SweepSpec& spec) {
  auto rows = spec.sampler_impl->sample(spec.axes);
  std::map<std::string, std::string> net_text;   // network spec -> canonical TOML
  std::map<std::string, Network> nets;           // network spec -> network
  std::map<std::string, std::string> arch_path;  // arch spec -> resolved file
  std::vector<Point> points;
  points.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    Point p;
    p.index = int64_t(i);
    p.mode = spec.mode;
    std::string net = spec.net, arch = spec.arch;
    std::map<std::string, AxisValue> by_key;
    for (size_t k = 0; k < spec.axes.size(); ++k) {
      const auto& a = spec.axes[k];
      const auto& v = rows[i][k];
      p.params.emplace_back(a.key, v);
      by_key[a.key] = v;
      if (a.key == "net") net = v.text;
      else if (a.key == "arch") arch = v.text;
      else if (a.key == "mode") p.mode = v.text == "simulate" ? Mode::Simulate : v.text == "compare" ? Mode::Compare
                                         : v.text == "evaluate" ? Mode::Evaluate : Mode::Estimate;
    }
    for (const auto& d : spec.derived) {
      AxisValue v = by_key.at(d.from);
      if (v.number && d.scale != 1) {
        double x = *v.number * d.scale;
        bool integer = v.integer && x == std::floor(x);
        v.number = x;
        v.integer = integer;
        v.text = integer ? std::to_string(int64_t(x)) : io::format_number(x);
        if (!integer && v.text.find_first_of(".eE") == std::string::npos) v.text += ".0";
      }
      p.params.emplace_back(d.key, v);
      by_key[d.key] = v;
    }
    p.net = spec_relative(spec, net);
    if (!arch_path.count(arch)) arch_path[arch] = cli::resolve_arch(spec_relative(spec, arch));
    p.arch = arch_path[arch];
    p.sets = spec.set;
    for (const auto& [k, v] : p.params)
      if (k != "net" && k != "arch" && k != "mode") p.sets.push_back(k + "=" + v.text);

    for (const auto& c : spec.constraints) {
      AxisValue r = by_key.count(c.right) ? by_key.at(c.right) : literal_value(c.right);
      if (!compare(by_key.at(c.left), c.op, r)) {
        p.skip_reason = "constraint " + c.left + " " + c.op + " " + c.right + " fails (" + by_key.at(c.left).text + ")" +
                        (c.reason.empty() ? "" : ": " + c.reason);
        break;
      }
    }
    if (p.mode == Mode::Evaluate && (spec.weights.empty() || spec.dataset.empty()))
      throw InputError({spec.file, 0, 0}, "sweep.weights", "point " + std::to_string(i) + " evaluates: give [sweep] weights and dataset");

    // Load the point as its process will: a bad value stops the sweep here,
    // before anything runs.
    std::string arch_text;
    try {
      if (!nets.count(p.net)) {
        nets.emplace(p.net, load_network(p.net));
        net_text[p.net] = network_to_toml(nets.at(p.net));
      }
      auto doc = io::Document::from_file(p.arch);
      for (const auto& s : p.sets) doc.apply_override(s);
      // The mapping too: a layer that fits no tile of the chip is refused
      // here, not by the point's process.
      map_network(nets.at(p.net), read_arch(doc.root()));
      arch_text = doc.canonical_text();
    } catch (const InputError& e) {
      if (spec.skip_invalid) {
        if (p.skip_reason.empty()) p.skip_reason = std::string("invalid configuration: ") + e.what();
      } else if (p.skip_reason.empty()) {
        if (const Axis* a = axis_of_error(spec, e))
          throw InputError(a->loc, "axis." + a->key,
                           "point " + std::to_string(i) + " (" + describe_params(p) + "): " + e.message());
        throw InputError(e.loc(), e.key(), e.message() + " [sweep " + spec.file + ", point " + std::to_string(i) + ": " +
                                               describe_params(p) + "]");
      }
    }
    std::string key = std::string("tessera ") + TESSERA_VERSION + "\nmode " + mode_name(p.mode) + "\n";
    if (p.mode == Mode::Evaluate) {
      for (const auto& s : p.command(spec, "")) key += s + "\n";
    }
    // Estimates priced with known weights are another measurement.
    if (p.mode == Mode::Estimate && !spec.weights.empty()) key += "weights " + spec_relative(spec, spec.weights) + "\n";
    // A stream of images is another measurement (one image adds nothing: earlier keys hold).
    if (spec.stream_images(p.mode) > 1) key += "stream " + std::to_string(spec.stream) + "\n";
    key += "[network]\n" + net_text[p.net] + "\n[arch]\n" + arch_text + "\n";
    // A skipped point's key includes its reason: if a constraint changes, it is reconsidered.
    if (!p.skip_reason.empty()) key += "[skipped]\n" + p.skip_reason + "\n";
    p.hash = sha256_hex(key);
    points.push_back(std::move(p));
  }
  return points;
}

}  // namespace tessera::sweep

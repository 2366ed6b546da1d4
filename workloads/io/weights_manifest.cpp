#include "workloads/io/weights_manifest.hpp"

#include <filesystem>

#include "workloads/io/text_file.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "workloads/io/npy.hpp"

namespace tessera::io {

namespace {

using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

struct KindName {
  Quantization kind;
  const char* name;
};
constexpr KindName kKinds[] = {
    {Quantization::None, "none"}, {Quantization::Uniform, "uniform"}, {Quantization::Ternary, "ternary"}};

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

std::string dims(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

const char* json_type(const json& j) { return j.type_name(); }

// Checked access to one JSON object of the manifest, in the style of io::Section.
class Obj {
 public:
  Obj(const json& j, std::string file, std::string path) : j_(j), file_(std::move(file)), path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& msg) const {
    throw InputError({file_, 0, 0}, key_path(key), msg);
  }
  std::string key_path(const std::string& key) const {
    if (key.empty()) return path_;
    return path_.empty() ? key : path_ + "." + key;
  }
  const json* get(const std::string& key, bool required, const std::string& what) {
    used_.push_back(key);
    auto it = j_.find(key);
    if (it == j_.end()) {
      if (required) fail(key, "missing (" + what + ")");
      return nullptr;
    }
    return &*it;
  }
  std::string string(const std::string& key, bool required, const std::string& what) {
    const json* v = get(key, required, what);
    if (!v) return "";
    if (!v->is_string()) fail(key, std::string("expected a string (") + what + "), found " + json_type(*v));
    std::string s = v->get<std::string>();
    if (s.empty()) fail(key, "must not be empty (" + what + ")");
    return s;
  }
  int64_t integer(const std::string& key, const std::string& what, int64_t min, int64_t max) {
    const json* v = get(key, true, what);
    if (!v->is_number_integer())
      fail(key, std::string("expected an integer (") + what + "), found " + json_type(*v));
    int64_t x = v->get<int64_t>();
    if (x < min || x > max)
      fail(key, std::to_string(x) + " is out of range; allowed: [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    return x;
  }
  void finish() const {
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      if (std::find(used_.begin(), used_.end(), it.key()) != used_.end()) continue;
      fail(it.key(), "unknown key; allowed here: " + join(used_));
    }
  }
  const std::string& file() const { return file_; }

 private:
  const json& j_;
  std::string file_;
  std::string path_;
  std::vector<std::string> used_;
};

std::vector<std::string> kind_names() {
  std::vector<std::string> v;
  for (const auto& k : kKinds) v.push_back(k.name);
  return v;
}

LayerWeights read_layer(const std::string& name, const json& j, const std::string& file) {
  const std::string path = "layers." + name;
  if (!j.is_object()) throw InputError({file, 0, 0}, path, std::string("expected an object, found ") + json_type(j));
  Obj o(j, file, path);
  LayerWeights lw;
  lw.layer = name;
  lw.weight_file = o.string("weight", true, ".npy file of the weights, relative to the export directory");
  lw.bias_file = o.string("bias", false, ".npy file of the bias");

  const json* shape = o.get("shape", true, "weight shape: [out, in/groups, kh, kw] or [out, in]");
  if (!shape->is_array() || (shape->size() != 2 && shape->size() != 4))
    o.fail("shape", "expected an array of 2 (linear) or 4 (conv2d) dimensions");
  for (const auto& d : *shape) {
    if (!d.is_number_integer() || d.get<int64_t>() < 1)
      o.fail("shape", "dimensions must be positive integers, found " + d.dump());
    lw.shape.push_back(d.get<int64_t>());
  }

  lw.weight_bits = int(o.integer("weight_bits", "bits per weight", 1, 32));

  std::string kind = o.string("quantization", true, "quantisation kind");
  bool known = false;
  for (const auto& k : kKinds)
    if (kind == k.name) lw.quantization = k.kind, known = true;
  if (!known) o.fail("quantization", "unknown kind '" + kind + "'; allowed: " + join(kind_names()));

  const json* scale = o.get("scale", lw.quantization != Quantization::None,
                            "one scale per layer or one per output channel");
  if (scale) {
    if (lw.quantization == Quantization::None)
      o.fail("scale", "quantization 'none' stores real weights and takes no scale");
    std::vector<json> vals = scale->is_array() ? std::vector<json>(scale->begin(), scale->end()) : std::vector<json>{*scale};
    for (const auto& v : vals) {
      if (!v.is_number()) o.fail("scale", "expected a number or an array of numbers, found " + v.dump());
      double x = v.get<double>();
      if (!std::isfinite(x) || x <= 0) o.fail("scale", "scales must be positive and finite, found " + v.dump());
      lw.scale.push_back(x);
    }
    if (lw.scale.size() != 1 && int64_t(lw.scale.size()) != lw.shape[0])
      o.fail("scale", "has " + std::to_string(lw.scale.size()) + " values; allowed: 1 (per layer) or " +
                          std::to_string(lw.shape[0]) + " (one per output channel)");
  }
  if (const json* is = o.get("input_scale", false, "real value of one input activation code step")) {
    if (!is->is_number()) o.fail("input_scale", "expected a positive number, found " + is->dump());
    lw.input_scale = is->get<double>();
    if (!std::isfinite(lw.input_scale) || lw.input_scale <= 0)
      o.fail("input_scale", "must be positive and finite, found " + is->dump());
  }
  if (lw.quantization == Quantization::Ternary && lw.weight_bits != 2)
    o.fail("weight_bits", "ternary weights take 2 bits, found " + std::to_string(lw.weight_bits));
  if (lw.quantization == Quantization::Uniform && lw.weight_bits < 2)
    o.fail("weight_bits", "uniform signed codes need at least 2 bits, found " + std::to_string(lw.weight_bits));
  o.finish();
  return lw;
}

// Line and column of a byte offset, for JSON syntax errors.
SourceLoc loc_of_byte(const std::string& file, const std::string& text, size_t byte) {
  SourceLoc loc{file, 1, 1};
  for (size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') ++loc.line, loc.column = 1;
    else ++loc.column;
  }
  return loc;
}

}  // namespace

const char* to_string(Quantization q) {
  for (const auto& k : kKinds)
    if (k.kind == q) return k.name;
  return "?";
}

const LayerWeights* WeightsManifest::find(const std::string& layer) const {
  for (const auto& l : layers)
    if (l.layer == layer) return &l;
  return nullptr;
}

std::string WeightsManifest::manifest_path() const { return (fs::path(dir) / "manifest.json").string(); }

std::vector<int64_t> expected_weight_shape(const Layer& l) {
  if (l.type == LayerType::Conv2d) return {l.out_channels, l.in_channels_per_group(), l.kernel_h, l.kernel_w};
  if (l.type == LayerType::Linear) return {l.out_channels, l.in.size()};
  return {};
}

WeightsManifest read_weights_manifest(const std::string& dir) {
  WeightsManifest m;
  m.dir = dir;
  const std::string file = m.manifest_path();
  if (!std::filesystem::exists(file))
    throw InputError({file, 0, 0}, "", "cannot open the weight manifest (expected manifest.json in '" + dir + "')");
  const std::string text = read_file(file, "weight manifest");
  check_text(text, file);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(loc_of_byte(file, text, e.byte), "", std::string("JSON syntax error: ") + e.what());
  } catch (const json::out_of_range& e) {  // a number beyond double's range, e.g. 1e400
    throw InputError({file, 0, 0}, "", std::string("JSON number out of range: ") + e.what());
  }
  if (!j.is_object()) throw InputError({file, 0, 0}, "", std::string("expected a JSON object, found ") + json_type(j));
  Obj root(j, file, "");
  std::string format = root.string("format", true, "always \"tessera-weights\"");
  if (format != WeightsManifest::kFormat)
    root.fail("format", "'" + format + "' is not a tessera weight manifest; allowed: " + WeightsManifest::kFormat);
  root.integer("version", "manifest format version", WeightsManifest::kVersion, WeightsManifest::kVersion);
  m.network = root.string("network", true, "zoo spec or network file of the weights");
  const json* layers = root.get("layers", true, "one entry per weight layer, by layer name");
  if (!layers->is_object()) root.fail("layers", std::string("expected an object keyed by layer name, found ") + json_type(*layers));
  root.finish();
  for (auto it = layers->begin(); it != layers->end(); ++it) m.layers.push_back(read_layer(it.key(), it.value(), file));
  return m;
}

void validate_weights_manifest(const WeightsManifest& m, const Network& net) {
  const std::string file = m.manifest_path();
  for (int i : net.weight_layers()) {
    const Layer& l = net.layers[i];
    if (!m.find(l.name))
      throw InputError({file, 0, 0}, "layers", "no entry for weight layer '" + l.name + "' of network '" + net.name +
                                                   "' (" + to_string(l.type) + ", weight shape " +
                                                   dims(expected_weight_shape(l)) + ")");
  }
  for (const auto& lw : m.layers) {
    const std::string key = "layers." + lw.layer;
    int i = net.find(lw.layer);
    if (i < 0) throw InputError({file, 0, 0}, key, "network '" + net.name + "' has no layer of this name");
    const Layer& l = net.layers[i];
    if (!l.has_weights())
      throw InputError({file, 0, 0}, key, std::string("layer is a ") + to_string(l.type) + " and holds no weights");
    auto want = expected_weight_shape(l);
    if (lw.shape != want)
      throw InputError({file, 0, 0}, key + ".shape",
                       dims(lw.shape) + " does not match the network's " + to_string(l.type) + " layer, which needs " +
                           dims(want) + (l.type == LayerType::Conv2d ? " (out, in/groups, kh, kw)" : " (out, in)"));
    if (lw.quantization != Quantization::None && lw.weight_bits != l.weight_bits)
      throw InputError({file, 0, 0}, key + ".weight_bits",
                       std::to_string(lw.weight_bits) + " bits differ from the network's " +
                           std::to_string(l.weight_bits) + " for this layer");
  }
}

WeightsManifest read_weights_manifest(const std::string& dir, const Network& net) {
  WeightsManifest m = read_weights_manifest(dir);
  validate_weights_manifest(m, net);
  return m;
}

LoadedWeights load_layer_weights(const WeightsManifest& m, const LayerWeights& lw) {
  const std::string key = "layers." + lw.layer;
  LoadedWeights out;
  const std::string wpath = (fs::path(m.dir) / lw.weight_file).string();
  NpyArray w = read_npy(wpath);
  if (w.shape != lw.shape)
    throw InputError({wpath, 0, 0}, key + ".weight",
                     "array shape " + shape_str(w.shape) + " differs from the manifest's " + dims(lw.shape));
  if (lw.quantization == Quantization::None) {
    if (is_integer(w.type))
      throw InputError({wpath, 0, 0}, key + ".weight",
                       std::string("dtype ") + npy_descr(w.type) + " holds codes; quantization 'none' needs <f4 or <f8");
    out.weight = w.to_floats();
  } else {
    if (!is_integer(w.type) || w.type == NpyType::Uint8)
      throw InputError({wpath, 0, 0}, key + ".weight",
                       std::string("dtype ") + npy_descr(w.type) + " is not allowed for quantization '" +
                           to_string(lw.quantization) + "'; allowed: signed integer codes |i1, <i2, <i4, <i8");
    const int64_t qmax = lw.quantization == Quantization::Ternary ? 1 : (int64_t(1) << (lw.weight_bits - 1)) - 1;
    auto q = w.to_integers();
    const size_t per_channel = q.size() / size_t(lw.shape[0]);
    out.weight.resize(q.size());
    for (size_t i = 0; i < q.size(); ++i) {
      if (q[i] < -qmax || q[i] > qmax)
        throw InputError({wpath, 0, 0}, key + ".weight",
                         "code " + std::to_string(q[i]) + " at element " + std::to_string(i) + " is out of range; allowed: [" +
                             std::to_string(-qmax) + ", " + std::to_string(qmax) + "] for " + to_string(lw.quantization) +
                             " " + std::to_string(lw.weight_bits) + "-bit weights");
      double s = lw.scale.size() == 1 ? lw.scale[0] : lw.scale[i / per_channel];
      out.weight[i] = float(double(q[i]) * s);
    }
    out.codes = std::move(q);
  }
  if (!lw.bias_file.empty()) {
    const std::string bpath = (fs::path(m.dir) / lw.bias_file).string();
    NpyArray b = read_npy(bpath);
    if (is_integer(b.type))
      throw InputError({bpath, 0, 0}, key + ".bias", std::string("dtype ") + npy_descr(b.type) + " is not allowed; allowed: <f4, <f8");
    if (b.shape != std::vector<int64_t>{lw.shape[0]})
      throw InputError({bpath, 0, 0}, key + ".bias",
                       "array shape " + shape_str(b.shape) + " differs from (" + std::to_string(lw.shape[0]) + ",) (one per output)");
    out.bias = b.to_floats();
  }
  return out;
}

void write_weights_manifest(const WeightsManifest& m) {
  json j;
  j["format"] = WeightsManifest::kFormat;
  j["version"] = WeightsManifest::kVersion;
  j["network"] = m.network;
  json layers = json::object();
  for (const auto& lw : m.layers) {
    json e;
    e["weight"] = lw.weight_file;
    if (!lw.bias_file.empty()) e["bias"] = lw.bias_file;
    e["shape"] = lw.shape;
    e["weight_bits"] = lw.weight_bits;
    e["quantization"] = to_string(lw.quantization);
    if (!lw.scale.empty()) e["scale"] = lw.scale;
    if (lw.input_scale > 0) e["input_scale"] = lw.input_scale;
    layers[lw.layer] = e;
  }
  j["layers"] = layers;
  fs::create_directories(m.dir);
  std::ofstream out(m.manifest_path());
  if (!out) throw InputError({m.manifest_path(), 0, 0}, "", "cannot create file");
  out << j.dump(2) << "\n";
}

}  // namespace tessera::io

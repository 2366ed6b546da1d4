#include "workloads/zoo/zoo.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <sstream>

#include "workloads/ir/builder.hpp"

namespace tessera::zoo {

namespace {

using Params = std::map<std::string, std::string>;

struct Spec {
  std::string name;
  Params params;
  std::string text;
};

[[noreturn]] void bad(const Spec& s, const std::string& key, const std::string& msg) {
  throw InputError({"--net " + s.text, 0, 0}, key, msg);
}

Spec parse_spec(const std::string& text) {
  Spec s;
  s.text = text;
  auto colon = text.find(':');
  s.name = text.substr(0, colon);
  if (colon == std::string::npos) return s;
  std::stringstream ss(text.substr(colon + 1));
  std::string kv;
  while (std::getline(ss, kv, ',')) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) bad(s, kv, "expected key=value after ':'");
    s.params[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return s;
}

class ParamReader {
 public:
  explicit ParamReader(const Spec& s) : s_(s) {}
  int integer(const std::string& key, int def, int min, int max) {
    used_.push_back(key);
    auto it = s_.params.find(key);
    if (it == s_.params.end()) return def;
    return parse_int(key, it->second, min, max);
  }
  double number(const std::string& key, double def, double min, double max) {
    used_.push_back(key);
    auto it = s_.params.find(key);
    if (it == s_.params.end()) return def;
    return parse_double(key, it->second, min, max);
  }
  std::vector<std::string> list(const std::string& key) {
    used_.push_back(key);
    auto it = s_.params.find(key);
    std::vector<std::string> out;
    if (it == s_.params.end()) return out;
    std::stringstream ss(it->second);
    std::string e;
    while (std::getline(ss, e, '-')) out.push_back(e);
    return out;
  }
  bool present(const std::string& key) const { return s_.params.count(key) > 0; }
  // An input shape CxHxW (e.g. 1x28x28).
  Shape shape(const std::string& key, Shape def) {
    used_.push_back(key);
    auto it = s_.params.find(key);
    if (it == s_.params.end()) return def;
    std::vector<int64_t> d;
    std::stringstream ss(it->second);
    std::string e;
    while (std::getline(ss, e, 'x')) d.push_back(parse_int(key, e, 1, 65536));
    if (d.size() != 3) bad(s_, key, "'" + it->second + "' is not a shape; allowed: CxHxW, e.g. 1x28x28");
    return {d[0], d[1], d[2]};
  }
  // A '-'-separated list of integers with one value or exactly n values, expanded to n.
  std::vector<int> per_layer(const std::string& key, size_t n, int def, int min, int max) {
    auto v = list(key);
    if (v.empty()) return std::vector<int>(n, def);
    if (v.size() != 1 && v.size() != n)
      bad(s_, key, "give one value or one per layer (" + std::to_string(n) + ")");
    std::vector<int> out;
    for (size_t i = 0; i < n; ++i) out.push_back(parse_int(key, v[v.size() == 1 ? 0 : i], min, max));
    return out;
  }
  int parse_int(const std::string& key, const std::string& v, int min, int max) {
    char* end = nullptr;
    long x = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end) bad(s_, key, "'" + v + "' is not an integer");
    if (x < min || x > max)
      bad(s_, key, std::to_string(x) + " is out of range; allowed: [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    return int(x);
  }
  double parse_double(const std::string& key, const std::string& v, double min, double max) {
    char* end = nullptr;
    double x = std::strtod(v.c_str(), &end);
    if (v.empty() || *end) bad(s_, key, "'" + v + "' is not a number");
    if (x < min || x > max) {
      std::ostringstream os;
      os << x << " is out of range; allowed: [" << min << ", " << max << "]";
      bad(s_, key, os.str());
    }
    return x;
  }
  void finish() {
    for (const auto& [k, v] : s_.params) {
      if (std::find(used_.begin(), used_.end(), k) == used_.end()) {
        std::string allowed;
        for (const auto& u : used_) allowed += (allowed.empty() ? "" : ", ") + u;
        bad(s_, k, "unknown parameter for '" + s_.name + "'; allowed: " + allowed);
      }
    }
  }
  const Spec& spec() const { return s_; }

 private:
  const Spec& s_;
  std::vector<std::string> used_;
};

// Fashion-MNIST CNN: three conv/BN/ReLU/pool stages and a classifier
// (the dataset's benchmark table puts 2 conv + pooling + BN at 93.4%).
Network fmnist_cnn(ParamReader& p, int wb, int ab) {
  int width = p.integer("width", 16, 1, 1024);
  p.finish();
  NetBuilder b("fmnist-cnn", {1, 28, 28}, wb, ab);
  b.conv(width, 3, 1, NetBuilder::kSame, 1, NetBuilder::kLast, "conv1");
  b.batchnorm();
  b.relu();
  b.maxpool(2, 2);
  b.conv(2 * width, 3, 1, NetBuilder::kSame, 1, NetBuilder::kLast, "conv2");
  b.batchnorm();
  b.relu();
  b.maxpool(2, 2);
  b.conv(4 * width, 3, 1, NetBuilder::kSame, 1, NetBuilder::kLast, "conv3");
  b.batchnorm();
  b.relu();
  b.maxpool(2, 2);
  b.flatten();
  b.linear(10, NetBuilder::kLast, "fc");
  return b.build();
}

// A parametric plain CNN, the search space of NAX-style searches: one
// conv(k, same padding)/BN/ReLU stage per entry of `kernels`, each followed by
// a 2x2 max pool where `pool` says 1 (while the feature map is at least 2x2),
// then a linear classifier. With its defaults it is fmnist-cnn layer for layer.
Network cnn(ParamReader& p, int wb, int ab) {
  auto kernel_list = p.list("kernels");
  if (kernel_list.empty()) kernel_list = {"3", "3", "3"};
  if (kernel_list.size() > 32) bad(p.spec(), "kernels", "at most 32 layers");
  const size_t n = kernel_list.size();
  std::vector<int> kernels;
  for (auto& k : kernel_list) {
    kernels.push_back(p.parse_int("kernels", k, 1, 15));
    if (kernels.back() % 2 == 0) bad(p.spec(), "kernels", k + " is even; same padding needs an odd kernel size");
  }
  std::vector<int> widths = p.per_layer("widths", n, 0, 1, 4096);
  if (!p.present("widths"))
    for (size_t i = 0; i < n; ++i) widths[i] = 16 << std::min<size_t>(i, 2);  // fmnist-cnn's 16-32-64
  std::vector<int> pool = p.per_layer("pool", n, 1, 0, 1);
  Shape input = p.shape("input", {1, 28, 28});
  int classes = p.integer("classes", 10, 1, 100000);
  p.finish();
  NetBuilder b(p.spec().text, input, wb, ab);
  for (size_t i = 0; i < n; ++i) {
    b.conv(widths[i], kernels[i], 1, NetBuilder::kSame, 1, NetBuilder::kLast, "conv" + std::to_string(i + 1));
    b.batchnorm();
    b.relu();
    const Shape& s = b.shape(NetBuilder::kLast);
    if (pool[i] && s.h >= 2 && s.w >= 2) b.maxpool(2, 2);
  }
  b.flatten();
  b.linear(classes, NetBuilder::kLast, "fc");
  return b.build();
}

// A two-layer perceptron for small tests and quick runs.
Network mlp(ParamReader& p, int wb, int ab) {
  int hidden = p.integer("hidden", 64, 1, 65536);
  p.finish();
  NetBuilder b("mlp", {1, 28, 28}, wb, ab);
  b.flatten();
  b.linear(hidden, NetBuilder::kLast, "fc1");
  b.relu();
  b.linear(10, NetBuilder::kLast, "fc2");
  return b.build();
}

// VGG-8 for CIFAR-10 as NeuroSim defines it (imc-facts section 6).
Network vgg8(ParamReader& p, int wb, int ab) {
  p.finish();
  NetBuilder b("vgg8", {3, 32, 32}, wb, ab);
  const int64_t widths[] = {128, 128, 256, 256, 512, 512};
  for (int i = 0; i < 6; ++i) {
    b.conv(widths[i], 3, 1, 1, 1, NetBuilder::kLast, "conv" + std::to_string(i + 1));
    b.relu();
    if (i % 2 == 1) b.maxpool(2, 2);
  }
  b.flatten();
  b.linear(1024, NetBuilder::kLast, "fc1");
  b.relu();
  b.linear(10, NetBuilder::kLast, "fc2");
  return b.build();
}

// ResNet-20 for CIFAR-10 (He et al. 2016) with option-A shortcuts: a strided
// identity (1x1 max pool, stride 2) zero-extended in channels by the add.
Network resnet20(ParamReader& p, int wb, int ab) {
  int classes = p.integer("classes", 10, 1, 100000);
  p.finish();
  NetBuilder b("resnet20", {3, 32, 32}, wb, ab);
  b.conv(16, 3, 1, 1, 1, NetBuilder::kLast, "conv1");
  b.batchnorm();
  int x = b.relu();
  const int64_t widths[] = {16, 32, 64};
  for (int stage = 0; stage < 3; ++stage) {
    for (int blk = 0; blk < 3; ++blk) {
      int stride = (stage > 0 && blk == 0) ? 2 : 1;
      std::string pre = "layer" + std::to_string(stage + 1) + "." + std::to_string(blk) + ".";
      b.conv(widths[stage], 3, stride, 1, 1, x, pre + "conv1");
      b.batchnorm();
      b.relu();
      b.conv(widths[stage], 3, 1, 1, 1, NetBuilder::kLast, pre + "conv2");
      int main = b.batchnorm();
      int shortcut = x;
      if (stride != 1) shortcut = b.maxpool(1, 2, 0, x);
      b.add({main, shortcut});
      x = b.relu();
    }
  }
  b.global_avgpool(x);
  b.flatten();
  b.linear(classes, NetBuilder::kLast, "fc");
  return b.build();
}

// ResNet-18 for ImageNet (He et al. 2016), 224x224 input, 1x1 projection shortcuts.
Network resnet18(ParamReader& p, int wb, int ab) {
  int classes = p.integer("classes", 1000, 1, 100000);
  int size = p.integer("size", 224, 32, 1024);
  p.finish();
  NetBuilder b("resnet18", {3, size, size}, wb, ab);
  b.conv(64, 7, 2, 3, 1, NetBuilder::kLast, "conv1");
  b.batchnorm();
  b.relu();
  int x = b.maxpool(3, 2, 1);
  const int64_t widths[] = {64, 128, 256, 512};
  for (int stage = 0; stage < 4; ++stage) {
    for (int blk = 0; blk < 2; ++blk) {
      int stride = (stage > 0 && blk == 0) ? 2 : 1;
      std::string pre = "layer" + std::to_string(stage + 1) + "." + std::to_string(blk) + ".";
      b.conv(widths[stage], 3, stride, 1, 1, x, pre + "conv1");
      b.batchnorm();
      b.relu();
      b.conv(widths[stage], 3, 1, 1, 1, NetBuilder::kLast, pre + "conv2");
      int main = b.batchnorm();
      int shortcut = x;
      if (stride != 1 || b.shape(x).c != widths[stage]) {
        b.conv(widths[stage], 1, stride, 0, 1, x, pre + "downsample");
        shortcut = b.batchnorm();
      }
      b.add({main, shortcut});
      x = b.relu();
    }
  }
  b.global_avgpool(x);
  b.flatten();
  b.linear(classes, NetBuilder::kLast, "fc");
  return b.build();
}

// A MobileNet-style depthwise-separable network, to exercise grouped convolutions.
Network mobilenet_tiny(ParamReader& p, int wb, int ab) {
  p.finish();
  NetBuilder b("mobilenet-tiny", {3, 32, 32}, wb, ab);
  b.conv_bn_relu(32, 3, 1);
  const int64_t widths[] = {64, 128, 128, 256};
  const int strides[] = {1, 2, 1, 2};
  for (int i = 0; i < 4; ++i) {
    int64_t cin = b.shape(NetBuilder::kLast).c;
    b.conv(cin, 3, strides[i], 1, int(cin), NetBuilder::kLast, "dw" + std::to_string(i + 1));
    b.batchnorm();
    b.relu();
    b.conv(widths[i], 1, 1, 0, 1, NetBuilder::kLast, "pw" + std::to_string(i + 1));
    b.batchnorm();
    b.relu();
  }
  b.global_avgpool();
  b.flatten();
  b.linear(10, NetBuilder::kLast, "fc");
  return b.build();
}

uint64_t splitmix(uint64_t& s) {
  uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

Network analognas(ParamReader& p, int wb, int ab) {
  int classes = p.integer("classes", 10, 1, 100000);
  Shape input = p.shape("input", {3, 32, 32});
  AnalogNasSpec s;
  s.classes = classes;
  s.input = input;
  if (p.present("seed")) s = sample_analognas(uint64_t(p.integer("seed", 0, 0, INT32_MAX)), classes, input);
  else p.integer("seed", 0, 0, INT32_MAX);
  s.stem = p.integer("stem", s.stem, 1, 4096);
  auto blocks = p.list("blocks");
  auto branches = p.list("branches");
  auto widen = p.list("widen");
  if (!blocks.empty()) {
    if (blocks.size() > 4) bad(p.spec(), "blocks", "at most 4 groups");
    s.blocks.clear();
    for (auto& v : blocks) s.blocks.push_back(p.parse_int("blocks", v, 1, 15));
  }
  size_t g = s.blocks.size();
  auto expand_i = [&](const std::string& key, const std::vector<std::string>& v, std::vector<int>& out, int lo, int hi) {
    if (v.empty()) { out.resize(g, out.empty() ? 1 : out.back()); return; }
    if (v.size() != 1 && v.size() != g) bad(p.spec(), key, "give one value or one per group (" + std::to_string(g) + ")");
    out.clear();
    for (size_t i = 0; i < g; ++i) out.push_back(p.parse_int(key, v[v.size() == 1 ? 0 : i], lo, hi));
  };
  expand_i("branches", branches, s.branches, 1, 4);
  if (widen.empty()) {
    s.widen.resize(g, s.widen.empty() ? 0.5 : s.widen.back());
  } else {
    if (widen.size() != 1 && widen.size() != g) bad(p.spec(), "widen", "give one value or one per group (" + std::to_string(g) + ")");
    s.widen.clear();
    for (size_t i = 0; i < g; ++i) s.widen.push_back(p.parse_double("widen", widen[widen.size() == 1 ? 0 : i], 0.5, 0.8));
  }
  p.finish();
  return build_analognas(s, p.spec().text, wb, ab);
}

struct Builder {
  Entry entry;
  std::function<Network(ParamReader&, int, int)> build;
};

const std::vector<Builder>& builders() {
  static const std::vector<Builder> b = {
      {{"fmnist-cnn", "3-conv BN CNN for Fashion-MNIST (1x28x28)", "width"}, fmnist_cnn},
      {{"cnn", "parametric plain CNN (per-layer kernel, width, pooling; any input)",
        "kernels=3-5-7, widths=16-32-64 (one or per layer), pool=1-1-0, input=CxHxW, classes"},
       cnn},
      {{"mlp", "two-layer perceptron for 1x28x28 inputs", "hidden"}, mlp},
      {{"vgg8", "VGG-8 for CIFAR-10 as NeuroSim defines it (615.9 M MACs)", ""}, vgg8},
      {{"resnet20", "ResNet-20 for CIFAR-10, option-A shortcuts (~40.6 M MACs)", "classes"}, resnet20},
      {{"resnet18", "ResNet-18 for ImageNet 224x224 (~1.82 G MACs)", "classes, size"}, resnet18},
      {{"mobilenet-tiny", "depthwise-separable CNN for CIFAR-10", ""}, mobilenet_tiny},
      {{"analognas", "AnalogNAS ResNet-like family (CIFAR-10 shape unless input= is given)",
        "seed (random member), stem, blocks=2-3-.., branches, widen, classes, input=CxHxW"},
       analognas},
  };
  return b;
}

}  // namespace

const std::vector<Entry>& entries() {
  static const std::vector<Entry> e = [] {
    std::vector<Entry> v;
    for (const auto& b : builders()) v.push_back(b.entry);
    return v;
  }();
  return e;
}

bool has(const std::string& spec) {
  std::string name = spec.substr(0, spec.find(':'));
  for (const auto& b : builders())
    if (b.entry.name == name) return true;
  return false;
}

Network build(const std::string& text) {
  Spec s = parse_spec(text);
  for (const auto& b : builders()) {
    if (b.entry.name != s.name) continue;
    ParamReader p(s);
    int wb = p.integer("wbits", 8, 1, 32);
    int ab = p.integer("abits", 8, 1, 32);
    Network n = b.build(p, wb, ab);
    return n;
  }
  std::string names;
  for (const auto& b : builders()) names += (names.empty() ? "" : ", ") + b.entry.name;
  throw InputError({"--net " + text, 0, 0}, "", "no network file or zoo network named '" + s.name + "'; zoo: " + names);
}

AnalogNasSpec sample_analognas(uint64_t seed, int classes, Shape input) {
  uint64_t st = seed;
  auto pick = [&](uint64_t n) { return splitmix(st) % n; };
  static const int stems[] = {8, 12, 16, 32, 48, 64};
  AnalogNasSpec s;
  s.classes = classes;
  s.input = input;
  s.stem = stems[pick(6)];
  int groups = 1 + int(pick(4));
  s.blocks.clear();
  s.branches.clear();
  s.widen.clear();
  for (int g = 0; g < groups; ++g) {
    s.blocks.push_back(1 + int(pick(15)));
    s.branches.push_back(1 + int(pick(4)));
    s.widen.push_back(0.5 + 0.1 * double(pick(4)));  // 0.5, 0.6, 0.7, 0.8
  }
  return s;
}

// Group g has width round(width_{g-1} * (1 + widen_g)) starting from the stem
// width, and halves the resolution except in the first group. A block sums
// its parallel branches (conv3x3-BN-ReLU-conv3x3-BN each) with the shortcut
// (identity, or a strided 1x1 convolution when the shape changes) and applies ReLU.
Network build_analognas(const AnalogNasSpec& s, const std::string& name, int wb, int ab) {
  NetBuilder b(name, s.input, wb, ab);
  b.conv(s.stem, 3, 1, 1, 1, NetBuilder::kLast, "stem");
  b.batchnorm();
  int x = b.relu();
  int64_t width = s.stem;
  for (size_t g = 0; g < s.blocks.size(); ++g) {
    width = int64_t(std::lround(double(width) * (1.0 + s.widen[g])));
    for (int blk = 0; blk < s.blocks[g]; ++blk) {
      int stride = (g > 0 && blk == 0) ? 2 : 1;
      std::string pre = "g" + std::to_string(g + 1) + ".b" + std::to_string(blk) + ".";
      std::vector<int> sum;
      for (int br = 0; br < s.branches[g]; ++br) {
        std::string bp = pre + "br" + std::to_string(br) + ".";
        b.conv(width, 3, stride, 1, 1, x, bp + "conv1");
        b.batchnorm();
        b.relu();
        b.conv(width, 3, 1, 1, 1, NetBuilder::kLast, bp + "conv2");
        sum.push_back(b.batchnorm());
      }
      int shortcut = x;
      if (stride != 1 || b.shape(x).c != width) {
        b.conv(width, 1, stride, 0, 1, x, pre + "shortcut");
        shortcut = b.batchnorm();
      }
      sum.push_back(shortcut);
      b.add(sum);
      x = b.relu();
    }
  }
  b.global_avgpool(x);
  b.flatten();
  b.linear(s.classes, NetBuilder::kLast, "fc");
  return b.build();
}

}  // namespace tessera::zoo

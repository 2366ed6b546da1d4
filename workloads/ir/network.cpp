#include "workloads/ir/network.hpp"

#include <algorithm>
#include <initializer_list>
#include <unordered_map>

namespace tessera {

namespace {
struct TypeName {
  LayerType type;
  const char* name;
};
constexpr TypeName kTypeNames[] = {
    {LayerType::Input, "input"},
    {LayerType::Conv2d, "conv2d"},
    {LayerType::Linear, "linear"},
    {LayerType::MaxPool, "maxpool"},
    {LayerType::AvgPool, "avgpool"},
    {LayerType::GlobalAvgPool, "global_avgpool"},
    {LayerType::Add, "add"},
    {LayerType::Concat, "concat"},
    {LayerType::Relu, "relu"},
    {LayerType::BatchNorm, "batchnorm"},
    {LayerType::Flatten, "flatten"},
};

int64_t conv_out(int64_t in, int k, int s, int p, int d) {
  return (in + 2 * int64_t(p) - int64_t(d) * (int64_t(k) - 1) - 1) / s + 1;
}

// The product of non-negative factors, saturated just above `limit` (no overflow).
int64_t product_upto(std::initializer_list<int64_t> factors, int64_t limit) {
  __int128 p = 1;
  for (int64_t f : factors) {
    p *= f;
    if (p > limit) return limit + 1;
  }
  return int64_t(p);
}

std::string limit_text(int64_t limit) {
  return std::to_string(limit) + " (2^" + std::to_string(63 - __builtin_clzll(uint64_t(limit))) + ")";
}
}  // namespace

const char* to_string(LayerType t) {
  for (const auto& tn : kTypeNames)
    if (tn.type == t) return tn.name;
  return "?";
}

std::optional<LayerType> layer_type_from_string(const std::string& s) {
  for (const auto& tn : kTypeNames)
    if (s == tn.name) return tn.type;
  return std::nullopt;
}

std::string layer_type_names() {
  std::string s;
  for (const auto& tn : kTypeNames) {
    if (tn.type == LayerType::Input) continue;
    s += (s.empty() ? "" : ", ") + std::string(tn.name);
  }
  return s;
}

std::string Shape::str() const {
  return std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w);
}

int64_t Layer::matrix_rows() const {
  switch (type) {
    case LayerType::Conv2d: return int64_t(kernel_h) * kernel_w * (in.c / groups);
    case LayerType::Linear: return in.size();
    default: return 0;
  }
}

int64_t Layer::matrix_cols() const {
  switch (type) {
    case LayerType::Conv2d: return out_channels / groups;
    case LayerType::Linear: return out_channels;
    default: return 0;
  }
}

int64_t Layer::weights() const {
  if (!has_weights()) return 0;
  return matrix_rows() * matrix_cols() * (type == LayerType::Conv2d ? groups : 1);
}

int64_t Layer::macs() const {
  if (!has_weights()) return 0;
  return weights() * positions();
}

int Network::find(const std::string& layer_name) const {
  for (size_t i = 0; i < layers.size(); ++i)
    if (layers[i].name == layer_name) return int(i);
  return -1;
}

int64_t Network::macs() const {
  int64_t m = 0;
  for (const auto& l : layers) m += l.macs();
  return m;
}

int64_t Network::weights() const {
  int64_t m = 0;
  for (const auto& l : layers) m += l.weights();
  return m;
}

std::vector<std::vector<int>> Network::consumers() const {
  std::vector<std::vector<int>> c(layers.size());
  for (size_t i = 0; i < layers.size(); ++i)
    for (int in : layers[i].inputs) c[in].push_back(int(i));
  return c;
}

std::vector<int> Network::weight_layers() const {
  std::vector<int> v;
  for (size_t i = 0; i < layers.size(); ++i)
    if (layers[i].has_weights()) v.push_back(int(i));
  return v;
}

void Network::finalize() {
  auto fail = [](const Layer& l, const std::string& key, const std::string& msg) {
    throw InputError(l.loc, "layer '" + l.name + "'" + (key.empty() ? "" : "." + key), msg);
  };
  if (input.c <= 0 || input.h <= 0 || input.w <= 0) {
    throw InputError(loc, "input", "input shape " + input.str() + " must be positive in every dimension");
  }
  if (product_upto({input.c, input.h, input.w}, kMaxTensorElements) > kMaxTensorElements)
    throw InputError(loc, "input", "input shape " + input.str() + " has more than " + limit_text(kMaxTensorElements) +
                                       " elements");
  if (layers.empty() || layers[0].type != LayerType::Input) {
    Layer in;
    in.name = "input";
    in.type = LayerType::Input;
    in.loc = loc;
    layers.insert(layers.begin(), in);
    for (size_t i = 1; i < layers.size(); ++i)
      for (int& p : layers[i].inputs) ++p;
  }
  std::unordered_map<std::string, int> seen;
  for (size_t i = 0; i < layers.size(); ++i) {
    Layer& l = layers[i];
    if (l.name.empty()) fail(l, "name", "empty layer name");
    if (!seen.emplace(l.name, int(i)).second) {
      fail(l, "name", "duplicate layer name (first defined as layer " + std::to_string(seen[l.name]) + ")");
    }
    if (l.type == LayerType::Input) {
      if (i != 0) fail(l, "type", "only the first layer may be the input");
      l.in = l.out = input;
      continue;
    }
    if (l.inputs.empty()) fail(l, "inputs", "layer has no input");
    for (int p : l.inputs)
      if (p < 0 || p >= int(i)) fail(l, "inputs", "inputs must name earlier layers");
    if (l.weight_bits < 1 || l.weight_bits > 32) fail(l, "weight_bits", std::to_string(l.weight_bits) + " is out of range; allowed: [1, 32]");
    if (l.activation_bits < 1 || l.activation_bits > 32) fail(l, "activation_bits", std::to_string(l.activation_bits) + " is out of range; allowed: [1, 32]");
    if (!l.hint.unit.empty() && l.hint.unit != "crossbar" && l.hint.unit != "ap" && l.hint.unit != "digital")
      fail(l, "unit", "unknown unit '" + l.hint.unit + "'; allowed: crossbar, ap, digital");

    const Shape in = layers[l.inputs[0]].out;
    l.in = in;
    bool multi = l.type == LayerType::Add || l.type == LayerType::Concat;
    if (!multi && l.inputs.size() != 1) fail(l, "inputs", std::string(to_string(l.type)) + " takes exactly one input");
    if (multi && l.inputs.size() < 2) fail(l, "inputs", std::string(to_string(l.type)) + " takes two or more inputs");

    auto check_window = [&](bool conv) {
      if (l.kernel_h < 1 || l.kernel_w < 1) fail(l, "kernel", "kernel must be at least 1");
      if (l.stride_h < 1 || l.stride_w < 1) fail(l, "stride", "stride must be at least 1");
      if (l.pad_h < 0 || l.pad_w < 0) fail(l, "padding", "padding must not be negative");
      if (l.dilation_h < 1 || l.dilation_w < 1) fail(l, "dilation", "dilation must be at least 1");
      if (!conv && (2 * l.pad_h > l.kernel_h || 2 * l.pad_w > l.kernel_w))
        fail(l, "padding", "pooling padding must be at most half the kernel");
      int64_t oh = conv_out(in.h, l.kernel_h, l.stride_h, l.pad_h, l.dilation_h);
      int64_t ow = conv_out(in.w, l.kernel_w, l.stride_w, l.pad_w, l.dilation_w);
      if (oh < 1 || ow < 1) {
        fail(l, "kernel", "window " + std::to_string(l.kernel_h) + "x" + std::to_string(l.kernel_w) +
                              " does not fit the " + std::to_string(in.h) + "x" + std::to_string(in.w) +
                              " input (with padding " + std::to_string(l.pad_h) + ")");
      }
      return std::make_pair(oh, ow);
    };

    switch (l.type) {
      case LayerType::Conv2d: {
        if (l.out_channels < 1) fail(l, "out_channels", "must be at least 1");
        if (l.groups < 1) fail(l, "groups", "must be at least 1");
        if (in.c % l.groups != 0)
          fail(l, "groups", "input channels (" + std::to_string(in.c) + ") are not divisible by groups (" + std::to_string(l.groups) + ")");
        if (l.out_channels % l.groups != 0)
          fail(l, "groups", "out_channels (" + std::to_string(l.out_channels) + ") are not divisible by groups (" + std::to_string(l.groups) + ")");
        auto [oh, ow] = check_window(true);
        l.out = {l.out_channels, oh, ow};
        break;
      }
      case LayerType::Linear:
        if (l.out_channels < 1) fail(l, "out_features", "must be at least 1");
        if (l.groups != 1) fail(l, "groups", "linear layers have one group");
        l.out = {l.out_channels, 1, 1};
        break;
      case LayerType::MaxPool:
      case LayerType::AvgPool: {
        auto [oh, ow] = check_window(false);
        l.out = {in.c, oh, ow};
        break;
      }
      case LayerType::GlobalAvgPool:
        l.out = {in.c, 1, 1};
        break;
      case LayerType::Add: {
        // Inputs with fewer channels are zero-extended: ResNet's option-A shortcut.
        int64_t c = 0;
        for (int p : l.inputs) {
          const Shape& s = layers[p].out;
          if (s.h != in.h || s.w != in.w)
            fail(l, "inputs", "add needs equal height and width; '" + layers[p].name + "' is " + s.str() +
                                  ", '" + layers[l.inputs[0]].name + "' is " + in.str());
          c = std::max(c, s.c);
        }
        l.out = {c, in.h, in.w};
        break;
      }
      case LayerType::Concat: {
        int64_t c = 0;
        for (int p : l.inputs) {
          const Shape& s = layers[p].out;
          if (s.h != in.h || s.w != in.w)
            fail(l, "inputs", "concat needs equal height and width; '" + layers[p].name + "' is " + s.str() + ", first input is " + in.str());
          c += s.c;
        }
        l.out = {c, in.h, in.w};
        break;
      }
      case LayerType::Relu:
      case LayerType::BatchNorm:
        l.out = in;
        break;
      case LayerType::Flatten:
        l.out = {in.size(), 1, 1};
        break;
      case LayerType::Input:
        break;
    }
    // Bounded sizes: every later product (MACs, bytes, crossbar counts) stays far from overflow.
    if (product_upto({l.out.c, l.out.h, l.out.w}, kMaxTensorElements) > kMaxTensorElements)
      fail(l, "", "output " + l.out.str() + " has more than " + limit_text(kMaxTensorElements) + " elements");
    const int64_t weights =
        l.type == LayerType::Conv2d   ? product_upto({l.kernel_h, l.kernel_w, in.c / l.groups, l.out_channels}, kMaxLayerWeights)
        : l.type == LayerType::Linear ? product_upto({in.c, in.h, in.w, l.out_channels}, kMaxLayerWeights)
                                      : 0;
    if (weights > kMaxLayerWeights)
      fail(l, "", "more than " + limit_text(kMaxLayerWeights) + " weights");
  }
}

}  // namespace tessera

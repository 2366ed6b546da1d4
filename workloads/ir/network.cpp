#include "workloads/ir/network.hpp"

#include <algorithm>
#include <cmath>
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
    {LayerType::Activation, "activation"},
};

struct FnName {
  ActivationFn fn;
  const char* name;
};
constexpr FnName kFnNames[] = {
    {ActivationFn::Clip, "clip"},
    {ActivationFn::Sigmoid, "sigmoid"},
    {ActivationFn::Tanh, "tanh"},
    {ActivationFn::LeakyRelu, "leaky_relu"},
    {ActivationFn::HardSigmoid, "hard_sigmoid"},
    {ActivationFn::HardSwish, "hard_swish"},
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

const char* to_string(ActivationFn f) {
  for (const auto& fn : kFnNames)
    if (fn.fn == f) return fn.name;
  return "?";
}

std::optional<ActivationFn> activation_fn_from_string(const std::string& s) {
  for (const auto& fn : kFnNames)
    if (s == fn.name) return fn.fn;
  return std::nullopt;
}

std::string activation_fn_names() {
  std::string s;
  for (const auto& fn : kFnNames) s += (s.empty() ? "" : ", ") + std::string(fn.name);
  return s;
}

std::string Shape::str() const {
  return std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w);
}

int64_t Layer::window_h() const { return type == LayerType::Linear ? in.h : kernel_h; }
int64_t Layer::window_w() const { return type == LayerType::Linear ? in.w : kernel_w; }

int64_t Layer::matrix_rows() const {
  return has_weights() ? window_h() * window_w() * in_channels_per_group() : 0;
}

namespace {
// How a layer's output rows depend on its input rows.
enum class RowReach { Window, SameRow, WholeInput };
RowReach row_reach(LayerType t) {
  switch (t) {
    case LayerType::Conv2d:
    case LayerType::MaxPool:
    case LayerType::AvgPool: return RowReach::Window;
    case LayerType::Relu:
    case LayerType::Activation:
    case LayerType::BatchNorm:
    case LayerType::Add:
    case LayerType::Concat:
    case LayerType::Input: return RowReach::SameRow;
    case LayerType::Linear:
    case LayerType::GlobalAvgPool:
    case LayerType::Flatten: return RowReach::WholeInput;
  }
  return RowReach::WholeInput;
}
}  // namespace

int64_t Layer::first_input_row(int64_t y) const {
  switch (row_reach(type)) {
    case RowReach::Window: return std::clamp<int64_t>(y * stride_h - pad_h, 0, in.h - 1);
    case RowReach::SameRow: return std::min<int64_t>(in.h - 1, y);
    case RowReach::WholeInput: return 0;
  }
  return 0;
}

int64_t Layer::last_input_row(int64_t y) const {
  switch (row_reach(type)) {
    case RowReach::Window: return std::min<int64_t>(in.h - 1, y * stride_h - pad_h + int64_t(kernel_h - 1) * dilation_h);
    case RowReach::SameRow: return std::min<int64_t>(in.h - 1, y);
    case RowReach::WholeInput: return in.h - 1;
  }
  return in.h - 1;
}

int64_t Layer::rows_complete(int64_t in_rows) const {
  if (in_rows <= 0) return 0;
  // last_input_row is non-decreasing in y: count the rows whose needs are met.
  int64_t lo = 0, hi = out.h;  // answer in [lo, hi]
  while (lo < hi) {
    int64_t mid = (lo + hi + 1) / 2;
    if (last_input_row(mid - 1) < in_rows) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

int64_t Layer::matrix_cols() const {
  if (type == LayerType::Conv2d) return out_channels / groups;
  if (type == LayerType::Linear) return out_channels;
  return 0;
}

int64_t Layer::weights() const {
  if (!has_weights()) return 0;
  return matrix_rows() * matrix_cols() * group_count();
}

int64_t Layer::macs() const {
  if (!has_weights()) return 0;
  return weights() * positions();
}

int64_t Layer::parameters() const {
  if (has_weights()) return weights() + (bias ? out_channels : 0);
  if (type == LayerType::BatchNorm) return 2 * in.c;
  return 0;
}

double Layer::activate(double x) const {
  switch (activation) {
    case ActivationFn::Clip: return std::min(std::max(x, act_min), act_max);
    case ActivationFn::Sigmoid: return 1.0 / (1.0 + std::exp(-x));
    case ActivationFn::Tanh: return std::tanh(x);
    case ActivationFn::LeakyRelu: return x < 0 ? alpha * x : x;
    case ActivationFn::HardSigmoid: return std::max(0.0, std::min(1.0, alpha * x + beta));
    case ActivationFn::HardSwish: return x * std::max(0.0, std::min(1.0, x / 6.0 + 0.5));
  }
  return x;
}

bool Layer::output_non_negative() const {
  if (type == LayerType::Relu) return true;
  if (type != LayerType::Activation) return false;
  switch (activation) {
    case ActivationFn::Clip: return act_min >= 0;
    case ActivationFn::Sigmoid:
    case ActivationFn::HardSigmoid: return true;
    case ActivationFn::Tanh:
    case ActivationFn::LeakyRelu:
    case ActivationFn::HardSwish: return false;
  }
  return false;
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

int64_t Network::parameters() const {
  int64_t m = 0;
  for (const auto& l : layers) m += l.parameters();
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
      case LayerType::Activation:
        if (l.activation == ActivationFn::Clip && !(l.act_min < l.act_max))
          fail(l, "min", "clip needs min < max, found min " + std::to_string(l.act_min) + ", max " + std::to_string(l.act_max));
        if (!std::isfinite(l.act_min) || !std::isfinite(l.act_max) || !std::isfinite(l.alpha) || !std::isfinite(l.beta))
          fail(l, "function", "activation parameters must be finite");
        l.out = in;
        break;
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

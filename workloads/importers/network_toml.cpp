#include "workloads/importers/network_toml.hpp"

#include <sstream>

#include "workloads/io/toml_reader.hpp"

namespace tessera {

namespace {

// kernel = 3 or kernel = [3, 5] (height, width).
std::pair<int, int> pair_param(const io::Section& s, const char* key, const char* desc, int def, int min, int max) {
  if (!s.describing() && s.is_list(key)) {
    auto l = s.integer_list(key, desc, {def, def}, min, max);
    if (l.size() != 2) s.fail(key, "expected an integer or [height, width]");
    return {int(l[0]), int(l[1])};
  }
  auto v = s.integer(key, desc, def, min, max);
  return {int(v), int(v)};
}

}  // namespace

Network read_network(const io::Section& root) {
  Network net;
  net.name = root.string("name", "network name", "network");
  net.loc = root.loc_of("name");
  int wb = int(root.integer("weight_bits", "default weight precision of every layer", 8, 1, 32));
  int ab = int(root.integer("activation_bits", "default activation precision of every layer", 8, 1, 32));
  auto in = root.table("input", "input tensor shape (batch 1)", true);
  net.input.c = in.required_integer("channels", "input channels", 1, 1 << 20);
  net.input.h = in.required_integer("height", "input height", 1, 1 << 20);
  net.input.w = in.required_integer("width", "input width", 1, 1 << 20);
  in.finish();

  Layer input;
  input.name = "input";
  input.type = LayerType::Input;
  input.loc = root.loc_of("input");
  net.layers.push_back(input);

  auto layers = root.table_array("layer", "layers in topological order");
  if (layers.empty() && !root.describing()) root.fail("layer", "a network needs at least one [[layer]]");
  for (size_t i = 0; i < layers.size(); ++i) {
    const auto& s = layers[i];
    Layer l;
    l.loc = s.loc_of("type");
    std::string type = s.required_string("type", "layer type: " + layer_type_names());
    auto t = layer_type_from_string(type);
    if (!t && !s.describing()) s.fail("type", "unknown layer type '" + type + "'; allowed: " + layer_type_names());
    l.type = t.value_or(LayerType::Conv2d);
    if (l.type == LayerType::Input && !s.describing()) s.fail("type", "the input is declared in [input], not as a layer");
    l.name = s.string("name", "unique layer name (default: type and index)", "");
    if (l.name.empty()) l.name = type + std::to_string(i + 1);
    auto inputs = s.string_list("inputs", "names of producer layers (default: the previous layer)", {});
    if (inputs.empty()) {
      l.inputs.push_back(int(net.layers.size()) - 1);
    } else {
      for (const auto& nm : inputs) {
        int idx = net.find(nm);
        if (idx < 0 && !s.describing()) {
          s.fail("inputs", "no earlier layer named '" + nm + "' (layers must be listed in topological order)");
        }
        l.inputs.push_back(idx);
      }
    }
    bool conv = l.type == LayerType::Conv2d, lin = l.type == LayerType::Linear;
    bool pool = l.type == LayerType::MaxPool || l.type == LayerType::AvgPool;
    if (conv || s.describing()) l.out_channels = s.integer("out_channels", "conv2d: output channels", 0, 1, 1 << 24);
    if (lin || s.describing()) {
      l.out_channels = s.integer("out_features", "linear: output features", 0, 1, 1 << 24);
    }
    if (conv || pool || s.describing()) {
      std::tie(l.kernel_h, l.kernel_w) = pair_param(s, "kernel", "conv2d/pool: kernel size, N or [h, w]", 1, 1, 64);
      int def_stride = pool ? l.kernel_h : 1;
      std::tie(l.stride_h, l.stride_w) = pair_param(s, "stride", "conv2d/pool: stride, N or [h, w] (pool default: kernel)", def_stride, 1, 64);
      std::tie(l.pad_h, l.pad_w) = pair_param(s, "padding", "conv2d/pool: zero padding, N or [h, w]", 0, 0, 64);
    }
    if (conv || s.describing()) {
      std::tie(l.dilation_h, l.dilation_w) = pair_param(s, "dilation", "conv2d: dilation, N or [h, w]", 1, 1, 64);
      l.groups = int(s.integer("groups", "conv2d: groups (= channels for depthwise)", 1, 1, 1 << 20));
    }
    if (conv || lin || s.describing()) l.bias = s.boolean("bias", "conv2d/linear: has a bias", lin);
    if (l.type == LayerType::Activation || s.describing()) {
      std::vector<std::string> fns;
      for (const auto& n : {ActivationFn::Clip, ActivationFn::Sigmoid, ActivationFn::Tanh, ActivationFn::LeakyRelu,
                            ActivationFn::HardSigmoid, ActivationFn::HardSwish})
        fns.push_back(to_string(n));
      l.activation = activation_fn_from_string(s.required_string("function", "activation: the element-wise function", fns))
                         .value_or(ActivationFn::Clip);
      const bool clip = l.activation == ActivationFn::Clip, leaky = l.activation == ActivationFn::LeakyRelu,
                 hsig = l.activation == ActivationFn::HardSigmoid;
      if (clip || s.describing()) {
        l.act_min = s.number("min", "activation clip: lower bound", 0.0, -1e30, 1e30);
        l.act_max = s.number("max", "activation clip: upper bound (ReLU6: min 0, max 6)", 6.0, -1e30, 1e30);
      }
      if (leaky || hsig || s.describing())
        l.alpha = s.number("alpha", "activation leaky_relu: negative slope (0.01); hard_sigmoid: slope (0.2)",
                           leaky ? 0.01 : 0.2, -1e30, 1e30);
      if (hsig || s.describing()) l.beta = s.number("beta", "activation hard_sigmoid: offset", 0.5, -1e30, 1e30);
    }
    l.weight_bits = int(s.integer("weight_bits", "weight precision (default: network's)", wb, 1, 32));
    l.activation_bits = int(s.integer("activation_bits", "input activation precision (default: network's)", ab, 1, 32));
    l.hint.tile_class = s.string("tile_class", "map onto this tile class of the arch config", "");
    l.hint.unit = s.string("unit", "unit that runs the layer (default: by the mapping rule)", "", {"", "crossbar", "ap", "digital"});
    s.finish();  // unknown keys (typos) first: they explain a missing key best
    if ((conv || lin) && l.out_channels == 0 && !s.describing()) {
      s.fail(conv ? "out_channels" : "out_features", "missing for a " + type + " layer");
    }
    if ((conv || pool) && !s.describing() && !s.has("kernel")) s.fail("kernel", "missing for a " + type + " layer");
    net.layers.push_back(std::move(l));
  }
  root.finish();
  net.finalize();
  return net;
}

Network load_network_toml(const std::string& path) {
  auto doc = io::Document::from_file(path);
  return read_network(doc.root());
}

std::string network_to_toml(const Network& net) {
  std::ostringstream os;
  os << "# tessera network file\n";
  os << "name = \"" << net.name << "\"\n";
  int wb = net.layers.size() > 1 ? net.layers[1].weight_bits : 8;
  int ab = net.layers.size() > 1 ? net.layers[1].activation_bits : 8;
  os << "weight_bits = " << wb << "\nactivation_bits = " << ab << "\n\n";
  os << "[input]\nchannels = " << net.input.c << "\nheight = " << net.input.h << "\nwidth = " << net.input.w << "\n";
  // Shortest text that reads back as the same double, always with a decimal point (a TOML float).
  auto number = [](double v) {
    std::ostringstream n;
    n.precision(17);
    n << v;
    std::string t = n.str();
    if (t.find_first_of(".e") == std::string::npos) t += ".0";
    return t;
  };
  auto pair = [](int a, int b) {
    return a == b ? std::to_string(a) : "[" + std::to_string(a) + ", " + std::to_string(b) + "]";
  };
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    if (l.type == LayerType::Input) continue;
    os << "\n[[layer]]\nname = \"" << l.name << "\"\ntype = \"" << to_string(l.type) << "\"\n";
    bool default_input = l.inputs.size() == 1 && l.inputs[0] == int(i) - 1;
    if (!default_input) {
      os << "inputs = [";
      for (size_t k = 0; k < l.inputs.size(); ++k) os << (k ? ", " : "") << "\"" << net.layers[l.inputs[k]].name << "\"";
      os << "]\n";
    }
    bool pool = l.type == LayerType::MaxPool || l.type == LayerType::AvgPool;
    if (l.type == LayerType::Conv2d) os << "out_channels = " << l.out_channels << "\n";
    if (l.type == LayerType::Linear) os << "out_features = " << l.out_channels << "\n";
    if (l.type == LayerType::Conv2d || pool) {
      os << "kernel = " << pair(l.kernel_h, l.kernel_w) << "\n";
      os << "stride = " << pair(l.stride_h, l.stride_w) << "\n";
      if (l.pad_h || l.pad_w) os << "padding = " << pair(l.pad_h, l.pad_w) << "\n";
    }
    if (l.type == LayerType::Conv2d) {
      if (l.dilation_h != 1 || l.dilation_w != 1) os << "dilation = " << pair(l.dilation_h, l.dilation_w) << "\n";
      if (l.groups != 1) os << "groups = " << l.groups << "\n";
      if (l.bias) os << "bias = true\n";
    }
    if (l.type == LayerType::Linear && !l.bias) os << "bias = false\n";
    if (l.type == LayerType::Activation) {
      os << "function = \"" << to_string(l.activation) << "\"\n";
      if (l.activation == ActivationFn::Clip) os << "min = " << number(l.act_min) << "\nmax = " << number(l.act_max) << "\n";
      if (l.activation == ActivationFn::LeakyRelu || l.activation == ActivationFn::HardSigmoid)
        os << "alpha = " << number(l.alpha) << "\n";
      if (l.activation == ActivationFn::HardSigmoid) os << "beta = " << number(l.beta) << "\n";
    }
    if (l.weight_bits != wb) os << "weight_bits = " << l.weight_bits << "\n";
    if (l.activation_bits != ab) os << "activation_bits = " << l.activation_bits << "\n";
    if (!l.hint.tile_class.empty()) os << "tile_class = \"" << l.hint.tile_class << "\"\n";
    if (!l.hint.unit.empty()) os << "unit = \"" << l.hint.unit << "\"\n";
  }
  return os.str();
}

}  // namespace tessera

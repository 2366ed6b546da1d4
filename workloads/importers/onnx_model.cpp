#include "workloads/importers/onnx_model.hpp"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>

#include "workloads/io/text_file.hpp"
#include "workloads/quant/fold.hpp"

namespace tessera {

namespace {

// The opsets PyTorch's exporter writes for CNNs (torch.onnx.export's opset_version).
constexpr int64_t kMinOpset = 11, kMaxOpset = 17;

// Operators and the attributes each may carry (docs/network-format.md).
const std::map<std::string, std::set<std::string>>& supported() {
  static const std::map<std::string, std::set<std::string>> ops = {
      {"Conv", {"kernel_shape", "strides", "pads", "dilations", "group", "auto_pad"}},
      {"Gemm", {"alpha", "beta", "transA", "transB"}},
      {"MatMul", {}},
      {"Add", {}},
      {"BatchNormalization", {"epsilon", "momentum", "training_mode"}},
      {"Relu", {}},
      {"Clip", {}},
      {"Sigmoid", {}},
      {"Tanh", {}},
      {"LeakyRelu", {"alpha"}},
      {"HardSigmoid", {"alpha", "beta"}},
      {"HardSwish", {}},
      {"MaxPool", {"kernel_shape", "strides", "pads", "dilations", "ceil_mode", "auto_pad", "storage_order"}},
      {"AveragePool", {"kernel_shape", "strides", "pads", "ceil_mode", "auto_pad", "count_include_pad"}},
      {"GlobalAveragePool", {}},
      {"Concat", {"axis"}},
      {"Flatten", {"axis"}},
      {"Reshape", {"allowzero"}},
      {"Pad", {"mode"}},
      {"Identity", {}},
      {"Dropout", {"seed"}},
      {"Constant", {"value", "value_float", "value_floats", "value_int", "value_ints"}},
  };
  return ops;
}

std::string supported_ops() {
  std::string s;
  for (const auto& [op, attrs] : supported()) s += (s.empty() ? "" : ", ") + op;
  return s;
}

template <class Set>
std::string join(const Set& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ", ") + std::string(i);
  return s.empty() ? "none" : s;
}

// A constant tensor: an initializer, a Constant node's value, or an alias of one.
struct Const {
  std::vector<int64_t> dims;
  std::vector<double> v;  // float, double and integer data (shapes are exact in a double)
  std::string name;
};
using ConstPtr = std::shared_ptr<const Const>;

std::string dims_str(const std::vector<int64_t>& d) {
  std::string s = "[";
  for (size_t i = 0; i < d.size(); ++i) s += (i ? ", " : "") + std::to_string(d[i]);
  return s + "]";
}

Layer typed(LayerType t) {
  Layer l;
  l.type = t;
  return l;
}

// "/layer1/layer1.0/conv1/Conv" -> "layer1.0.conv1": PyTorch's module path,
// each scope segment repeating its parent's path as a prefix.
std::string layer_name_of(const onnx::NodeProto& n) {
  std::vector<std::string> seg;
  std::string cur;
  for (char c : n.name() + "/") {
    if (c == '/') {
      if (!cur.empty()) seg.push_back(cur);
      cur.clear();
    } else {
      cur += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-') ? c : '_';
    }
  }
  // The operator's own segment ("Conv", "Conv_1") says nothing the type does not.
  if (!seg.empty() && seg.back().rfind(n.op_type(), 0) == 0) seg.pop_back();
  std::string name;
  for (size_t i = 0; i < seg.size(); ++i) {
    if (i + 1 < seg.size() && seg[i + 1].rfind(seg[i] + ".", 0) == 0) continue;
    name += (name.empty() ? "" : ".") + seg[i];
  }
  return name;
}

class Importer {
 public:
  explicit Importer(std::string path) : path_(std::move(path)) {}

  Network run() {
    onnx::ModelProto model = parse();
    check_opset(model);
    const onnx::GraphProto& g = model.graph();
    for (const auto& t : g.initializer()) consts_[t.name()] = tensor(t, "initializer '" + t.name() + "'");
    for (const auto& n : g.node())
      for (const auto& i : n.input()) ++uses_[i];
    for (const auto& o : g.output()) ++uses_[o.name()];
    net_.name = std::filesystem::path(path_).stem().string();
    net_.loc = {path_, 0, 0};
    input(g);
    for (int i = 0; i < g.node_size(); ++i) node(g.node(i), i);
    output(g);
    net_.params = std::make_shared<const NetworkParams>(std::move(params_));
    return std::move(net_);
  }

 private:
  // ---- errors ----
  [[noreturn]] void fail_file(const std::string& msg) const { throw InputError({path_, 0, 0}, "", msg); }
  [[noreturn]] void fail(const std::string& msg) const {
    throw InputError({path_, 0, 0}, "node '" + node_name_ + "' (" + node_->op_type() + ")", msg);
  }

  onnx::ModelProto parse() const {
    // A missing file or a directory is reported as for every other input file.
    const std::string bytes = io::read_file(path_, "network file (ONNX)");
    onnx::ModelProto model;
    if (!model.ParseFromString(bytes))
      fail_file("not a readable ONNX model: the protobuf message is corrupt or truncated");
    if (!model.has_graph() || model.graph().node_size() == 0)
      fail_file("the ONNX model has no graph or an empty graph (a truncated or empty file?)");
    return model;
  }

  void check_opset(const onnx::ModelProto& m) const {
    int64_t opset = -1;
    for (const auto& o : m.opset_import())
      if (o.domain().empty() || o.domain() == "ai.onnx") opset = o.version();
    if (opset < kMinOpset || opset > kMaxOpset)
      fail_file(opset < 0 ? "the model imports no ONNX opset"
                          : "opset " + std::to_string(opset) + " is not supported; allowed: " + std::to_string(kMinOpset) +
                                " to " + std::to_string(kMaxOpset) + " (torch.onnx.export's opset_version)");
  }

  // ---- tensors ----
  ConstPtr tensor(const onnx::TensorProto& t, const std::string& what) const {
    auto bad = [&](const std::string& m) { fail_file(what + ": " + m); };
    if (t.data_location() == onnx::TensorProto::EXTERNAL)
      bad("external tensor data is not supported; export the model as one file");
    auto c = std::make_shared<Const>();
    c->name = t.name();
    int64_t n = 1;
    for (int64_t d : t.dims()) {
      if (d < 0 || d > (int64_t(1) << 40)) bad("dimension " + std::to_string(d) + " is out of range");
      c->dims.push_back(d);
      n *= d;
      if (n > (int64_t(1) << 40)) bad("too many elements");
    }
    const std::string& raw = t.raw_data();
    auto from_raw = [&](auto sample) {
      using T = decltype(sample);
      if (raw.size() != size_t(n) * sizeof(T))
        bad("holds " + std::to_string(raw.size()) + " bytes of data, its shape " + dims_str(c->dims) + " needs " +
            std::to_string(size_t(n) * sizeof(T)) + " (truncated?)");
      std::vector<T> v(static_cast<size_t>(n));
      if (n) std::memcpy(v.data(), raw.data(), raw.size());
      c->v.assign(v.begin(), v.end());
    };
    auto from_field = [&](const auto& field) {
      if (field.size() != n)
        bad("holds " + std::to_string(field.size()) + " values, its shape " + dims_str(c->dims) + " needs " +
            std::to_string(n) + " (truncated?)");
      c->v.assign(field.begin(), field.end());
    };
    switch (t.data_type()) {
      case onnx::TensorProto::FLOAT:
        if (t.has_raw_data()) from_raw(float());
        else from_field(t.float_data());
        break;
      case onnx::TensorProto::DOUBLE:
        if (t.has_raw_data()) from_raw(double());
        else from_field(t.double_data());
        break;
      case onnx::TensorProto::INT64:
        if (t.has_raw_data()) from_raw(int64_t());
        else from_field(t.int64_data());
        break;
      case onnx::TensorProto::INT32:
        if (t.has_raw_data()) from_raw(int32_t());
        else from_field(t.int32_data());
        break;
      default:
        bad("data type " + std::to_string(t.data_type()) + " is not supported; allowed: float, double, int64, int32");
    }
    for (double x : c->v)
      if (!std::isfinite(x)) bad("holds a value that is not finite");
    return c;
  }

  // ---- values ----
  bool is_const(const std::string& name) const { return consts_.count(name) > 0; }
  ConstPtr constant(int k, const char* role) const {
    const std::string& name = k < node_->input_size() ? node_->input(k) : std::string();
    auto it = consts_.find(name);
    if (it == consts_.end())
      fail(std::string(role) + " (input " + std::to_string(k + 1) + ") must be an initializer or a constant" +
           (name.empty() ? "; it is missing" : "; '" + name + "' is computed by the graph"));
    return it->second;
  }
  ConstPtr optional_constant(int k, const char* role) const {
    if (k >= node_->input_size() || node_->input(k).empty()) return nullptr;
    return constant(k, role);
  }
  int activation(int k, bool padded_ok = false) const {
    if (k >= node_->input_size() || node_->input(k).empty()) fail("input " + std::to_string(k + 1) + " is missing");
    const std::string& name = node_->input(k);
    if (!padded_ok && padding_.count(name))
      fail("input '" + name + "' is padded by a Pad node; Pad is supported only before Conv and AveragePool");
    auto it = acts_.find(name);
    if (it != acts_.end()) return it->second;
    if (is_const(name))
      fail("input '" + name + "' is a constant; this operator is supported on the graph's activations only");
    fail("input '" + name + "' is produced by no earlier node (nodes must be in topological order)");
  }
  void expect_inputs(int lo, int hi) const {
    if (node_->input_size() < lo || node_->input_size() > hi)
      fail("takes " + (lo == hi ? std::to_string(lo) : std::to_string(lo) + " to " + std::to_string(hi)) +
           " inputs, found " + std::to_string(node_->input_size()));
  }
  void define(int layer, int rank, int output = 0) {
    const std::string& out = node_->output(output);
    acts_[out] = layer;
    rank_[out] = rank;
  }
  int rank_of(int k) const { return rank_.at(node_->input(k)); }

  // ---- attributes ----
  const onnx::AttributeProto* attr(const std::string& name) const {
    for (const auto& a : node_->attribute())
      if (a.name() == name) return &a;
    return nullptr;
  }
  int64_t int_attr(const std::string& name, int64_t def) const {
    const auto* a = attr(name);
    if (!a) return def;
    if (a->type() != onnx::AttributeProto::INT) fail("attribute " + name + " must be an integer");
    return a->i();
  }
  double float_attr(const std::string& name, double def) const {
    const auto* a = attr(name);
    if (!a) return def;
    if (a->type() != onnx::AttributeProto::FLOAT) fail("attribute " + name + " must be a float");
    return a->f();
  }
  std::vector<int64_t> ints_attr(const std::string& name, std::vector<int64_t> def) const {
    const auto* a = attr(name);
    if (!a) return def;
    if (a->type() != onnx::AttributeProto::INTS) fail("attribute " + name + " must be a list of integers");
    return {a->ints().begin(), a->ints().end()};
  }
  std::string string_attr(const std::string& name, const std::string& def) const {
    const auto* a = attr(name);
    if (!a) return def;
    if (a->type() != onnx::AttributeProto::STRING) fail("attribute " + name + " must be a string");
    return a->s();
  }
  // A constant's values as integers (shapes, pads): whole numbers a double
  // holds exactly, so that converting them is defined.
  std::vector<int64_t> integers(const Const& c, const std::string& what) const {
    std::vector<int64_t> out;
    for (double x : c.v) {
      if (!(std::fabs(x) <= 9007199254740992.0) || x != std::floor(x))  // 2^53; NaN fails too
        fail(what + " holds " + std::to_string(x) + "; allowed: integers");
      out.push_back(int64_t(x));
    }
    return out;
  }
  // Height and width of a 2-D window attribute.
  std::pair<int, int> pair_attr(const std::string& name, int def, int lo, int hi) const {
    std::vector<int64_t> v = ints_attr(name, {def, def});
    if (v.size() != 2)
      fail("attribute " + name + " has " + std::to_string(v.size()) + " values; only 2-D windows are supported ([h, w])");
    for (int64_t x : v)
      if (x < lo || x > hi)
        fail("attribute " + name + " = " + dims_str(v) + " is out of range; allowed: " + std::to_string(lo) + " to " +
             std::to_string(hi));
    return {int(v[0]), int(v[1])};
  }
  // pads [top, left, bottom, right] must be symmetric: the IR pads both sides alike.
  std::pair<int, int> pads() const {
    const std::string ap = string_attr("auto_pad", "NOTSET");
    if (ap != "NOTSET" && ap != "VALID")
      fail("auto_pad " + ap + " is not supported; allowed: NOTSET (explicit pads), VALID");
    std::vector<int64_t> p = ints_attr("pads", {0, 0, 0, 0});
    if (p.size() != 4) fail("attribute pads has " + std::to_string(p.size()) + " values; 2-D windows take 4");
    if (p[0] != p[2] || p[1] != p[3])
      fail("asymmetric padding " + dims_str(p) + " is not supported; allowed: top = bottom and left = right");
    if (p[0] < 0 || p[1] < 0 || p[0] > 64 || p[1] > 64) fail("padding " + dims_str(p) + " is out of range; allowed: 0 to 64");
    return {int(p[0]), int(p[1])};
  }

  // ---- layers ----
  std::string unique_name(const onnx::NodeProto& n, int index) {
    std::string base = layer_name_of(n);
    if (base.empty()) {
      base = n.op_type();
      for (char& c : base) c = char(std::tolower(static_cast<unsigned char>(c)));
      base += std::to_string(index);
    }
    std::string name = base;
    for (int k = 2; !names_.insert(name).second; ++k) name = base + "_" + std::to_string(k);
    return name;
  }

  // Appends a layer reading `inputs` and infers its shape; an IR check that
  // fails becomes this node's error.
  int push(Layer l, std::vector<int> inputs) {
    l.name = layer_name_;
    l.inputs = std::move(inputs);
    l.loc = {path_, 0, 0};
    net_.layers.push_back(std::move(l));
    try {
      net_.finalize();
    } catch (const InputError& e) {
      fail(e.message());
    }
    return int(net_.layers.size()) - 1;
  }

  void input(const onnx::GraphProto& g) {
    const onnx::ValueInfoProto* in = nullptr;
    for (const auto& v : g.input()) {
      if (is_const(v.name())) continue;  // older exporters list initializers as inputs
      if (in) fail_file("the graph has several inputs ('" + in->name() + "', '" + v.name() + "'); allowed: one image");
      in = &v;
    }
    if (!in) fail_file("the graph has no input");
    const auto where = "graph input '" + in->name() + "'";
    if (!in->type().has_tensor_type() || in->type().tensor_type().elem_type() != onnx::TensorProto::FLOAT)
      fail_file(where + " must be a float tensor");
    std::vector<int64_t> d;
    for (const auto& dim : in->type().tensor_type().shape().dim()) d.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
    if (d.size() != 4 && d.size() != 2)
      fail_file(where + " has shape " + dims_str(d) + "; allowed: [batch, channels, height, width] or [batch, features]");
    if (d[0] > 1) fail_file(where + " has batch " + std::to_string(d[0]) + "; allowed: 1 or a symbolic batch");
    for (size_t k = 1; k < d.size(); ++k)
      if (d[k] < 1) fail_file(where + " has shape " + dims_str(d) + "; channels, height and width must be fixed and positive");
    net_.input = d.size() == 4 ? Shape{d[1], d[2], d[3]} : Shape{d[1], 1, 1};
    Layer l;
    l.name = "input";
    l.type = LayerType::Input;
    l.loc = net_.loc;
    net_.layers.push_back(l);
    names_.insert("input");
    net_.finalize();
    acts_[in->name()] = 0;
    rank_[in->name()] = int(d.size());
  }

  void output(const onnx::GraphProto& g) {
    if (g.output_size() != 1)
      fail_file("the graph has " + std::to_string(g.output_size()) + " outputs; allowed: one (the logits)");
    auto it = acts_.find(g.output(0).name());
    if (it == acts_.end()) fail_file("the graph output '" + g.output(0).name() + "' is not computed from the input");
    if (it->second == 0) fail_file("the graph output is its input: the model computes nothing");
    // Layers after the output's producer do not reach it.
    for (size_t i = size_t(it->second) + 1; i < net_.layers.size(); ++i) params_.erase(net_.layers[i].name);
    net_.layers.resize(size_t(it->second) + 1);
  }

  void node(const onnx::NodeProto& n, int index) {
    node_ = &n;
    node_name_ = n.name().empty() ? "#" + std::to_string(index + 1) : n.name();
    const std::string& op = n.op_type();
    if (!n.domain().empty() && n.domain() != "ai.onnx")
      fail("operators of domain '" + n.domain() + "' are not supported; supported (ONNX domain): " + supported_ops());
    auto sup = supported().find(op);
    if (sup == supported().end()) fail("operator not supported; supported: " + supported_ops());
    for (const auto& a : n.attribute())
      if (!sup->second.count(a.name()))
        fail("attribute '" + a.name() + "' is not supported; supported for " + op + ": " + join(sup->second));
    if (n.output_size() < 1 || n.output(0).empty()) fail("has no output");
    if (op == "Constant") return constant_node();
    if (op == "Identity" || op == "Dropout") return pass_through();
    layer_name_ = unique_name(n, index);
    if (op == "Conv") return conv();
    if (op == "Gemm") return gemm();
    if (op == "MatMul") return matmul();
    if (op == "Add") return add();
    if (op == "BatchNormalization") return batchnorm();
    if (op == "Relu") return unary(LayerType::Relu);
    if (op == "Clip") return clip();
    if (op == "Sigmoid") return activation_fn(ActivationFn::Sigmoid);
    if (op == "Tanh") return activation_fn(ActivationFn::Tanh);
    if (op == "HardSwish") return activation_fn(ActivationFn::HardSwish);
    if (op == "LeakyRelu") return activation_fn(ActivationFn::LeakyRelu);
    if (op == "HardSigmoid") return activation_fn(ActivationFn::HardSigmoid);
    if (op == "MaxPool" || op == "AveragePool") return pool(op == "MaxPool");
    if (op == "GlobalAveragePool") return unary(LayerType::GlobalAvgPool);
    if (op == "Concat") return concat();
    if (op == "Flatten") return flatten();
    if (op == "Reshape") return reshape();
    if (op == "Pad") return pad();
    fail("operator not supported; supported: " + supported_ops());
  }

  void constant_node() {
    auto c = std::make_shared<Const>();
    if (const auto* a = attr("value")) {
      if (a->type() != onnx::AttributeProto::TENSOR) fail("attribute value must be a tensor");
      c = std::make_shared<Const>(*tensor(a->t(), "Constant node '" + node_name_ + "'"));
    } else if (const auto* f = attr("value_float")) {
      c->v = {f->f()};
    } else if (const auto* fs = attr("value_floats")) {
      c->v.assign(fs->floats().begin(), fs->floats().end());
      c->dims = {int64_t(c->v.size())};
    } else if (const auto* i = attr("value_int")) {
      c->v = {double(i->i())};
    } else if (const auto* is = attr("value_ints")) {
      c->v.assign(is->ints().begin(), is->ints().end());
      c->dims = {int64_t(c->v.size())};
    } else {
      fail("has no value; supported: value, value_float(s), value_int(s)");
    }
    consts_[node_->output(0)] = c;
  }

  // Identity and inference-mode Dropout pass their input through.
  void pass_through() {
    expect_inputs(1, node_->op_type() == "Dropout" ? 3 : 1);
    if (node_->op_type() == "Dropout") {
      if (node_->output_size() > 1 && !node_->output(1).empty() && uses_[node_->output(1)] > 0)
        fail("the dropout mask output is used; only inference-mode dropout (removed) is supported");
      if (ConstPtr t = optional_constant(2, "training_mode"); t && !t->v.empty() && t->v[0] != 0)
        fail("training_mode is true; only inference-mode dropout (removed) is supported");
    }
    const std::string& in = node_->input(0);
    if (is_const(in)) {
      consts_[node_->output(0)] = consts_[in];
      return;
    }
    acts_[node_->output(0)] = activation(0);
    rank_[node_->output(0)] = rank_of(0);
  }

  // Adds a weight layer's float weights (PyTorch order) and bias.
  void set_params(const std::vector<double>& w, const std::vector<double>& b) {
    LayerParams p;
    p.weight.assign(w.begin(), w.end());
    p.bias.assign(b.begin(), b.end());
    params_[layer_name_] = std::move(p);
  }

  void conv() {
    expect_inputs(2, 3);
    const int x = activation(0, true);
    if (rank_of(0) != 4) fail("the input is not an image [N, C, H, W]; only 2-D convolutions are supported");
    ConstPtr w = constant(1, "the weight");
    ConstPtr b = optional_constant(2, "the bias");
    if (w->dims.size() != 4)
      fail("weight shape " + dims_str(w->dims) + " is not supported; only 2-D convolutions ([out, in/groups, kh, kw])");
    Layer l;
    l.type = LayerType::Conv2d;
    l.out_channels = w->dims[0];
    std::tie(l.kernel_h, l.kernel_w) = pair_attr("kernel_shape", 0, 0, 64);
    if (attr("kernel_shape") && (l.kernel_h != w->dims[2] || l.kernel_w != w->dims[3]))
      fail("kernel_shape [" + std::to_string(l.kernel_h) + ", " + std::to_string(l.kernel_w) +
           "] differs from the weight's " + dims_str(w->dims));
    l.kernel_h = int(w->dims[2]);
    l.kernel_w = int(w->dims[3]);
    std::tie(l.stride_h, l.stride_w) = pair_attr("strides", 1, 1, 64);
    std::tie(l.dilation_h, l.dilation_w) = pair_attr("dilations", 1, 1, 64);
    std::tie(l.pad_h, l.pad_w) = pads();
    add_pad_node(l);
    const int64_t g = int_attr("group", 1);
    if (g < 1 || g > (1 << 20)) fail("group " + std::to_string(g) + " is out of range");
    l.groups = int(g);
    const int64_t cin = net_.layers[size_t(x)].out.c;
    if (w->dims[1] * g != cin)
      fail("weight shape " + dims_str(w->dims) + " with group " + std::to_string(g) + " needs " +
           std::to_string(w->dims[1] * g) + " input channels; the input has " + std::to_string(cin));
    if (b && (b->v.size() != size_t(l.out_channels)))
      fail("bias has " + std::to_string(b->v.size()) + " values; the convolution has " + std::to_string(l.out_channels) + " outputs");
    l.bias = b != nullptr;
    define(push(l, {x}), 4);
    set_params(w->v, b ? b->v : std::vector<double>());
  }

  // A linear layer from a [out, in] weight matrix (PyTorch order).
  void linear(int x, std::vector<double> w, int64_t out, int64_t in, const ConstPtr& b, double bias_scale) {
    const int64_t features = net_.layers[size_t(x)].out.size();
    if (in != features)
      fail("the weight takes " + std::to_string(in) + " input features; the input has " + std::to_string(features) + " (" +
           net_.layers[size_t(x)].out.str() + ")");
    std::vector<double> bias;
    if (b) {
      if (b->v.size() != size_t(out) && b->v.size() != 1)
        fail("bias shape " + dims_str(b->dims) + " does not match the " + std::to_string(out) + " outputs");
      bias.resize(size_t(out));
      for (int64_t o = 0; o < out; ++o) bias[size_t(o)] = bias_scale * b->v[b->v.size() == 1 ? 0 : size_t(o)];
    }
    Layer l;
    l.type = LayerType::Linear;
    l.out_channels = out;
    l.bias = b != nullptr;
    define(push(l, {x}), 2);
    set_params(w, bias);
  }

  static std::vector<double> transposed(const std::vector<double>& v, int64_t rows, int64_t cols) {
    std::vector<double> t(v.size());
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) t[size_t(c * rows + r)] = v[size_t(r * cols + c)];
    return t;
  }

  void gemm() {
    expect_inputs(2, 3);
    const int x = activation(0);
    ConstPtr b = constant(1, "B (the weight)");
    ConstPtr c = optional_constant(2, "C (the bias)");
    if (int_attr("transA", 0) != 0) fail("transA = 1 is not supported; allowed: 0 (A is the activation)");
    if (b->dims.size() != 2) fail("B has shape " + dims_str(b->dims) + "; a weight matrix is 2-D");
    const double alpha = float_attr("alpha", 1.0), beta = float_attr("beta", 1.0);
    const bool trans = int_attr("transB", 0) != 0;
    const int64_t out = trans ? b->dims[0] : b->dims[1], in = trans ? b->dims[1] : b->dims[0];
    std::vector<double> w = trans ? b->v : transposed(b->v, in, out);
    for (double& v : w) v *= alpha;
    linear(x, std::move(w), out, in, c, beta);
  }

  void matmul() {
    expect_inputs(2, 2);
    const int x = activation(0);
    ConstPtr b = constant(1, "the weight matrix");
    if (b->dims.size() != 2) fail("the weight has shape " + dims_str(b->dims) + "; only x @ W with a 2-D W is supported");
    if (rank_of(0) != 2) fail("the input is not flat [batch, features]; only a MatMul on flattened activations is supported");
    linear(x, transposed(b->v, b->dims[0], b->dims[1]), b->dims[1], b->dims[0], nullptr, 1.0);
  }

  void add() {
    expect_inputs(2, 2);
    const bool c0 = is_const(node_->input(0)), c1 = is_const(node_->input(1));
    if (c0 && c1) fail("both inputs are constants; export with constant folding (do_constant_folding=True)");
    if (c0 || c1) return add_bias(c0 ? 1 : 0, c0 ? 0 : 1);
    const int a = activation(0), b = activation(1);
    const Shape sa = net_.layers[size_t(a)].out, sb = net_.layers[size_t(b)].out;
    if (sa != sb)
      fail("inputs of shapes " + sa.str() + " and " + sb.str() + " are not supported; allowed: equal shapes (no broadcasting)");
    define(push(typed(LayerType::Add), {a, b}), rank_of(0));
  }

  // MatMul (or a convolution, or Gemm without C) followed by Add of a per-output constant: the layer's bias.
  void add_bias(int act, int cst) {
    const int x = activation(act);
    ConstPtr c = constant(cst, "the bias");
    Layer& l = net_.layers[size_t(x)];
    const bool fusable = l.has_weights() && !l.bias && uses_[node_->input(act)] == 1 && params_.count(l.name) &&
                         params_[l.name].bias.empty();
    if (!fusable)
      fail("adding a constant is supported only as the bias of the MatMul, Gemm or Conv it directly follows (and that "
           "has no bias yet)");
    int64_t n = 1;
    for (int64_t d : c->dims)
      if (d != 1) n *= d;
    const bool per_channel = c->v.size() == size_t(l.out_channels) && n == l.out_channels;
    // [out], [1, out] for a linear layer; [out, 1, 1], [1, out, 1, 1] for a convolution.
    const bool channel_axis = c->dims.empty() || (l.type == LayerType::Linear ? c->dims.back() == l.out_channels
                                                                              : c->dims.size() >= 3 &&
                                                                                    c->dims[c->dims.size() - 3] == l.out_channels);
    if (!per_channel || !channel_axis)
      fail("the constant of shape " + dims_str(c->dims) + " is not one value per output of '" + l.name + "' (" +
           std::to_string(l.out_channels) + ")");
    l.bias = true;
    params_[l.name].bias.assign(c->v.begin(), c->v.end());
    names_.erase(layer_name_);
    define(x, rank_of(act));
  }

  void batchnorm() {
    expect_inputs(5, 5);
    const int x = activation(0);
    if (int_attr("training_mode", 0) != 0) fail("training_mode = 1 is not supported; export the model in eval mode");
    if (node_->output_size() > 1)
      for (int k = 1; k < node_->output_size(); ++k)
        if (!node_->output(k).empty() && uses_[node_->output(k)] > 0) fail("the running statistics outputs are used; inference mode only");
    Layer& w = net_.layers[size_t(x)];
    if (!w.has_weights() || uses_[node_->input(0)] != 1)
      fail("batch normalization is supported only right after a Conv, Gemm or MatMul whose output it alone reads "
           "(it is folded into that layer's weights)");
    const int64_t C = w.out.c;
    quant::BatchNormStats s;
    s.eps = float_attr("epsilon", 1e-5);
    const char* roles[] = {"scale", "B", "mean", "var"};
    std::vector<double>* dst[] = {&s.gamma, &s.beta, &s.mean, &s.var};
    for (int k = 0; k < 4; ++k) {
      ConstPtr c = constant(k + 1, roles[k]);
      if (c->v.size() != size_t(C))
        fail(std::string(roles[k]) + " has " + std::to_string(c->v.size()) + " values; the input has " + std::to_string(C) + " channels");
      *dst[k] = c->v;
    }
    for (double v : s.var)
      if (v + s.eps <= 0) fail("a variance plus epsilon is not positive");
    LayerParams& p = params_[w.name];
    std::vector<double> wd(p.weight.begin(), p.weight.end()), bd(p.bias.begin(), p.bias.end());
    quant::fold_batchnorm(wd, bd, C, s);
    p.weight.assign(wd.begin(), wd.end());
    p.bias.assign(bd.begin(), bd.end());
    define(push(typed(LayerType::BatchNorm), {x}), rank_of(0));
  }

  void unary(LayerType t) {
    expect_inputs(1, 1);
    const int x = activation(0);
    if (t == LayerType::GlobalAvgPool && rank_of(0) != 4) fail("the input is not an image [N, C, H, W]");
    Layer l;
    l.type = t;
    define(push(l, {x}), rank_of(0));
  }

  void activation_fn(ActivationFn f) {
    expect_inputs(1, 1);
    const int x = activation(0);
    Layer l;
    l.type = LayerType::Activation;
    l.activation = f;
    if (f == ActivationFn::LeakyRelu) l.alpha = float_attr("alpha", 0.01);
    if (f == ActivationFn::HardSigmoid) {
      l.alpha = float_attr("alpha", 0.2);
      l.beta = float_attr("beta", 0.5);
    }
    define(push(l, {x}), rank_of(0));
  }

  // Clip(min, max) with constant bounds: ReLU6 and its kin; Clip(0) alone is ReLU.
  void clip() {
    expect_inputs(1, 3);
    const int x = activation(0);
    ConstPtr lo = optional_constant(1, "min"), hi = optional_constant(2, "max");
    if ((lo && lo->v.size() != 1) || (hi && hi->v.size() != 1)) fail("min and max must be scalars");
    if (!lo) fail("clip without a lower bound is not supported; allowed: Clip(min, max) and Clip(0) (ReLU)");
    Layer l;
    if (!hi) {
      if (lo->v[0] != 0) fail("clip with only a lower bound other than 0 is not supported; allowed: Clip(min, max) and Clip(0)");
      l.type = LayerType::Relu;
    } else {
      l.type = LayerType::Activation;
      l.activation = ActivationFn::Clip;
      l.act_min = lo->v[0];
      l.act_max = hi->v[0];
    }
    define(push(l, {x}), rank_of(0));
  }

  void pool(bool max) {
    expect_inputs(1, 1);
    const int x = activation(0, !max);
    if (rank_of(0) != 4) fail("the input is not an image [N, C, H, W]; only 2-D pooling is supported");
    if (!attr("kernel_shape")) fail("kernel_shape is missing");
    Layer l;
    l.type = max ? LayerType::MaxPool : LayerType::AvgPool;
    std::tie(l.kernel_h, l.kernel_w) = pair_attr("kernel_shape", 1, 1, 64);
    std::tie(l.stride_h, l.stride_w) = pair_attr("strides", 1, 1, 64);
    std::tie(l.pad_h, l.pad_w) = pads();
    if (int_attr("ceil_mode", 0) != 0) fail("ceil_mode = 1 is not supported; allowed: 0 (floor)");
    add_pad_node(l);
    if (max && pair_attr("dilations", 1, 1, 64) != std::make_pair(1, 1))
      fail("dilated pooling is not supported; allowed: dilations [1, 1]");
    if (!max && (l.pad_h || l.pad_w) && int_attr("count_include_pad", 0) == 0 && !padding_.count(node_->input(0)))
      fail("average pooling with padding excluded from the count is not supported; allowed: count_include_pad = 1 "
           "(PyTorch's default) or no padding");
    define(push(l, {x}), 4);
  }

  void concat() {
    if (node_->input_size() < 2) fail("takes two or more inputs");
    std::vector<int> in;
    for (int k = 0; k < node_->input_size(); ++k) in.push_back(activation(k));
    const int rank = rank_of(0);
    int64_t axis = int_attr("axis", 1);
    if (axis < 0) axis += rank;
    if (axis != 1) fail("axis " + std::to_string(int_attr("axis", 1)) + " is not supported; allowed: the channel axis (1)");
    define(push(typed(LayerType::Concat), in), rank);
  }

  void flatten() {
    expect_inputs(1, 1);
    const int x = activation(0);
    int64_t axis = int_attr("axis", 1);
    if (axis < 0) axis += rank_of(0);
    if (axis != 1) fail("axis " + std::to_string(int_attr("axis", 1)) + " is not supported; allowed: 1 ([batch, features])");
    define(push(typed(LayerType::Flatten), {x}), 2);
  }

  // The zero padding of a Pad node before this window joins the window's own
  // (PyTorch writes Pad + AveragePool for padding counted in the average).
  void add_pad_node(Layer& l) const {
    auto it = padding_.find(node_->input(0));
    if (it == padding_.end()) return;
    l.pad_h += it->second.first;
    l.pad_w += it->second.second;
  }

  // Constant zero padding of height and width, the same on both sides.
  void pad() {
    expect_inputs(2, 3);
    const int x = activation(0);
    if (rank_of(0) != 4) fail("the input is not an image [N, C, H, W]");
    if (string_attr("mode", "constant") != "constant")
      fail("mode " + string_attr("mode", "constant") + " is not supported; allowed: constant (zeros)");
    ConstPtr p = constant(1, "pads");
    ConstPtr v = optional_constant(2, "constant_value");
    if (v && (v->v.size() != 1 || v->v[0] != 0)) fail("only zero padding is supported");
    std::vector<int64_t> q = integers(*p, "pads");
    if (q.size() != 8 || q[0] || q[1] || q[4] || q[5] || q[2] != q[6] || q[3] != q[7] || q[2] < 0 || q[3] < 0)
      fail("pads " + dims_str(q) + " are not supported; allowed: the same padding on both sides of height and width only");
    std::pair<int64_t, int64_t> pd{q[2], q[3]};
    if (auto in = padding_.find(node_->input(0)); in != padding_.end()) {
      pd.first += in->second.first;
      pd.second += in->second.second;
    }
    // The bound of a window's own pads (pads()).
    if (pd.first > 64 || pd.second > 64)
      fail("padding " + std::to_string(pd.first) + "x" + std::to_string(pd.second) + " is out of range; allowed: 0 to 64");
    acts_[node_->output(0)] = x;
    rank_[node_->output(0)] = 4;
    padding_[node_->output(0)] = {int(pd.first), int(pd.second)};
    names_.erase(layer_name_);
  }

  // Only the reshape that flattens: [1, C*H*W] (0 copies the batch, -1 infers).
  void reshape() {
    expect_inputs(2, 2);
    const int x = activation(0);
    ConstPtr s = constant(1, "the shape");
    const Shape in = net_.layers[size_t(x)].out;
    std::vector<int64_t> target = integers(*s, "the shape");
    bool ok = target.size() == 2;
    if (ok) {
      int64_t batch = target[0] == 0 && int_attr("allowzero", 0) == 0 ? 1 : target[0];
      int64_t features = target[1] == 0 && int_attr("allowzero", 0) == 0 ? (rank_of(0) == 2 ? in.size() : in.c) : target[1];
      if (batch == -1 && features > 0) batch = in.size() / features;
      if (features == -1 && batch > 0) features = in.size() / batch;
      ok = batch == 1 && features == in.size();
    }
    if (!ok)
      fail("reshape of " + in.str() + " to " + dims_str(target) + " is not supported; allowed: the reshape that flattens "
           "to [batch, features] (e.g. [1, -1])");
    define(push(typed(LayerType::Flatten), {x}), 2);
  }

  std::string path_;
  Network net_;
  NetworkParams params_;
  std::map<std::string, ConstPtr> consts_;
  std::map<std::string, int> acts_;   // activation value -> IR layer
  std::map<std::string, int> rank_;   // activation value -> tensor rank (4: image, 2: flat)
  std::map<std::string, int> uses_;   // value -> readers (nodes and graph outputs)
  std::map<std::string, std::pair<int, int>> padding_;  // Pad outputs: zero padding (h, w) for the next window
  std::set<std::string> names_;
  const onnx::NodeProto* node_ = nullptr;
  std::string node_name_, layer_name_;
};

}  // namespace

Network load_onnx(const std::string& path) { return Importer(path).run(); }

}  // namespace tessera

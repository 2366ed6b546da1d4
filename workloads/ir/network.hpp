// The network IR: one description of a DNN that feeds the mapper, the
// analytical model, the SystemC simulator and the trainer.
//
// A network is a DAG of layers stored in topological order: a layer's inputs
// are always earlier layers. Batch size is 1 (inference of one image); shapes
// are channels x height x width.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "workloads/base/error.hpp"

namespace tessera {

enum class LayerType {
  Input,
  Conv2d,
  Linear,
  MaxPool,
  AvgPool,
  GlobalAvgPool,
  Add,        // residual add; an input with fewer channels is zero-extended (ResNet option A)
  Concat,     // along channels
  Relu,
  BatchNorm,  // folded into the preceding convolution for inference
  Flatten,
  Activation,  // an element-wise function other than ReLU (ActivationFn), computed digitally
};

// Element-wise functions of an `Activation` layer, with the parameters they take.
enum class ActivationFn {
  Clip,         // min(max(x, act_min), act_max); ReLU6 is Clip(0, 6)
  Sigmoid,      // 1 / (1 + exp(-x))
  Tanh,
  LeakyRelu,    // x < 0 ? alpha * x : x
  HardSigmoid,  // max(0, min(1, alpha * x + beta))
  HardSwish,    // x * max(0, min(1, x / 6 + 1 / 2))
};
const char* to_string(ActivationFn f);
std::optional<ActivationFn> activation_fn_from_string(const std::string& s);
std::string activation_fn_names();

const char* to_string(LayerType t);
std::optional<LayerType> layer_type_from_string(const std::string& s);
// Names accepted in network files, for error messages.
std::string layer_type_names();

// Size limits (docs/network-format.md): every tensor, and every layer's
// weights, hold at most 2^28 elements (16x the largest zoo tensor, ResNet-18's
// first output at its largest input, 1024x1024), so that every size, MAC count and byte count
// derived from them fits in 64 bits and no reader allocates without bound.
constexpr int64_t kMaxTensorElements = int64_t(1) << 28;
constexpr int64_t kMaxLayerWeights = int64_t(1) << 28;

struct Shape {
  int64_t c = 0, h = 1, w = 1;
  int64_t size() const { return c * h * w; }
  bool operator==(const Shape& o) const { return c == o.c && h == o.h && w == o.w; }
  bool operator!=(const Shape& o) const { return !(*this == o); }
  std::string str() const;
};

// Where a layer should run. Empty strings leave the choice to the mapping rule.
struct MappingHint {
  std::string tile_class;  // a [[tile_class]] name of the arch config
  std::string unit;        // "crossbar", "ap" or "digital"
};

struct Layer {
  std::string name;
  LayerType type = LayerType::Input;
  std::vector<int> inputs;  // indices of producer layers (all earlier)

  // conv2d, linear (out_channels = out_features), pooling (kernel/stride/padding)
  int64_t out_channels = 0;
  int kernel_h = 1, kernel_w = 1;
  int stride_h = 1, stride_w = 1;
  int pad_h = 0, pad_w = 0;
  int dilation_h = 1, dilation_w = 1;
  int groups = 1;
  bool bias = false;

  // activation: the function and its parameters (Clip: act_min, act_max;
  // LeakyRelu: alpha; HardSigmoid: alpha, beta).
  ActivationFn activation = ActivationFn::Clip;
  double act_min = 0, act_max = 6, alpha = 0.01, beta = 0.5;

  // Precision of the layer's weights and of its input activations.
  int weight_bits = 8;
  int activation_bits = 8;

  MappingHint hint;

  Shape in;   // shape of the first input (filled by Network::finalize)
  Shape out;  // output shape (filled by Network::finalize)
  SourceLoc loc;  // where the layer was defined, for errors

  bool has_weights() const { return type == LayerType::Conv2d || type == LayerType::Linear; }
  // Multiply-accumulates for one inference.
  int64_t macs() const;
  // Weight count (without bias).
  int64_t weights() const;
  // Matrix grouping. A linear layer is the convolution whose window covers
  // its whole input (one group, one output position), so one set of formulas
  // serves both: the window is window_h x window_w, matrix row r of a group is
  // input channel r / (window_h * window_w) of the group (channel-major).
  int64_t window_h() const;
  int64_t window_w() const;
  int64_t group_count() const { return type == LayerType::Conv2d ? groups : 1; }
  int64_t in_channels_per_group() const { return in.c / group_count(); }
  int64_t channel_of_row(int64_t row) const { return row / (window_h() * window_w()); }
  // Trainable parameters as PyTorch counts them: weights, biases, and batch
  // norm's scale and shift (2 per channel; its running statistics are buffers).
  int64_t parameters() const;
  // An activation layer's function of one value (the digital units and the
  // functional model compute it here).
  double activate(double x) const;
  // True when the layer's output is never negative whatever its input.
  bool output_non_negative() const;
  // The weight matrix one group presents to a crossbar: rows are the
  // K*K*Cin/groups inputs of a dot product, columns the Cout/groups outputs.
  int64_t matrix_rows() const;
  int64_t matrix_cols() const;

  // Window geometry along the height (the line-buffer granularity of every
  // timing model). Output row `out_row` reads input rows
  // [first_input_row, last_input_row] (clamped to the input); element-wise
  // layers read the same row; linear, global pooling and flatten read all.
  int64_t first_input_row(int64_t out_row) const;
  int64_t last_input_row(int64_t out_row) const;
  // Output rows computable once the first `in_rows` input rows are complete.
  int64_t rows_complete(int64_t in_rows) const;
  // Input rows read by the first `out_rows` output rows (0 for none).
  int64_t input_rows_needed(int64_t out_rows) const { return out_rows > 0 ? last_input_row(out_rows - 1) + 1 : 0; }
  // Output positions (dot products per output channel): Hout*Wout.
  int64_t positions() const { return out.h * out.w; }
  int64_t in_channels() const { return in.c; }
};

// Float weights a network file carries with it (an ONNX model's initializers),
// per weight layer, in PyTorch order (conv [out][in/groups][kh][kw], linear
// [out][in]), with every batch norm already folded in; bias empty or one per
// output channel.
struct LayerParams {
  std::vector<float> weight;
  std::vector<float> bias;
};
using NetworkParams = std::map<std::string, LayerParams>;  // by layer name

class Network {
 public:
  std::string name;
  Shape input;
  std::vector<Layer> layers;  // layers[0] is the Input layer after finalize()
  SourceLoc loc;
  // The network's own trained weights (ONNX); null when the file has none
  // (zoo, TOML, NeuroSim): then weights come from an export or are random.
  std::shared_ptr<const NetworkParams> params;

  // Index of a layer by name, or -1.
  int find(const std::string& layer_name) const;
  // Checks the DAG and every layer's parameters and infers all shapes.
  // Throws InputError naming the layer's source location and the bad key.
  void finalize();

  int64_t macs() const;
  int64_t weights() const;
  int64_t parameters() const;
  // consumers()[i] lists the layers that read layer i's output.
  std::vector<std::vector<int>> consumers() const;
  // Layers that hold weights, in order.
  std::vector<int> weight_layers() const;
};

}  // namespace tessera

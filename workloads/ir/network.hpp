// The network IR: one description of a DNN that feeds the mapper, the
// analytical model, the SystemC simulator and the trainer.
//
// A network is a DAG of layers stored in topological order: a layer's inputs
// are always earlier layers. Batch size is 1 (inference of one image); shapes
// are channels x height x width.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workloads/io/error.hpp"

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
};

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
  // The weight matrix one group presents to a crossbar: rows are the
  // K*K*Cin/groups inputs of a dot product, columns the Cout/groups outputs.
  int64_t matrix_rows() const;
  int64_t matrix_cols() const;
  // Output positions (dot products per output channel): Hout*Wout.
  int64_t positions() const { return out.h * out.w; }
  int64_t in_channels() const { return in.c; }
};

class Network {
 public:
  std::string name;
  Shape input;
  std::vector<Layer> layers;  // layers[0] is the Input layer after finalize()
  SourceLoc loc;

  // Index of a layer by name, or -1.
  int find(const std::string& layer_name) const;
  // Checks the DAG and every layer's parameters and infers all shapes.
  // Throws InputError naming the layer's source location and the bad key.
  void finalize();

  int64_t macs() const;
  int64_t weights() const;
  // consumers()[i] lists the layers that read layer i's output.
  std::vector<std::vector<int>> consumers() const;
  // Layers that hold weights, in order.
  std::vector<int> weight_layers() const;
};

}  // namespace tessera

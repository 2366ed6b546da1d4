// A weight export: a directory holding `manifest.json` and one .npy file per
// weight and bias tensor. The manifest names the network it belongs to (a zoo
// spec or a network file) and lists every weight layer of that network by
// layer name:
//
//   { "format": "tessera-weights", "version": 1, "network": "fmnist-cnn",
//     "layers": { "conv1": { "weight": "conv1.weight.npy", "bias": "conv1.bias.npy",
//                            "shape": [16, 1, 3, 3], "weight_bits": 8,
//                            "quantization": "uniform", "scale": [0.0123] }, ... } }
//
// Weight shapes follow PyTorch: convolutions [out, in/groups, kh, kw], linear
// layers [out, in]. Quantisation kinds:
//   none     float32/float64 values as they are; no scale.
//   uniform  signed integer codes q with |q| <= 2^(weight_bits-1) - 1; w = q * scale.
//   ternary  codes in {-1, 0, +1} (weight_bits = 2); w = q * scale (TWN's alpha).
// `scale` holds one value per layer or one per output channel. The bias is
// optional (a float vector of out_channels values; batchnorm folded into the
// convolution arrives as a bias). `input_scale` is optional: the real value of
// one step of the layer's input activation codes (the functional mode
// calibrates the layers that do not give it; docs/functional-model.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/base/error.hpp"
#include "workloads/ir/network.hpp"

namespace tessera::io {

enum class Quantization { None, Uniform, Ternary };
const char* to_string(Quantization q);

struct LayerWeights {
  std::string layer;            // IR layer name
  std::string weight_file;      // relative to the export directory
  std::string bias_file;        // empty: no bias
  std::vector<int64_t> shape;
  int weight_bits = 32;
  Quantization quantization = Quantization::None;
  std::vector<double> scale;    // empty (none), one per layer, or one per output channel
  double input_scale = 0;       // real value of one input code step; 0: not given
};

struct WeightsManifest {
  static constexpr const char* kFormat = "tessera-weights";
  static constexpr int kVersion = 1;

  std::string dir;      // export directory (set by the reader)
  std::string network;  // zoo spec or network file the weights belong to
  std::vector<LayerWeights> layers;

  const LayerWeights* find(const std::string& layer) const;
  std::string manifest_path() const;
};

// Weight tensor shape a layer expects, in PyTorch order.
std::vector<int64_t> expected_weight_shape(const Layer& l);

// Reads and checks `dir/manifest.json` on its own (types, keys, kinds, scales).
WeightsManifest read_weights_manifest(const std::string& dir);
// Checks the manifest against a network: every weight layer present, no
// unknown layer, shapes equal to what the IR says.
void validate_weights_manifest(const WeightsManifest& m, const Network& net);
// Both, in order.
WeightsManifest read_weights_manifest(const std::string& dir, const Network& net);

// Dequantised weights (in the manifest's shape, C order) and bias (empty when absent).
struct LoadedWeights {
  std::vector<float> weight;
  std::vector<float> bias;
  std::vector<int64_t> codes;  // uniform and ternary: the integer codes as stored; empty for 'none'
};
// Reads the .npy files of one layer and checks dtype, shape and code range.
LoadedWeights load_layer_weights(const WeightsManifest& m, const LayerWeights& lw);

// Writes `m.dir/manifest.json` (the .npy files are written by the caller with write_npy).
void write_weights_manifest(const WeightsManifest& m);

}  // namespace tessera::io

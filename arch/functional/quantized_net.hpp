// The quantised network the functional mode runs (docs/functional-model.md):
// per weight layer, signed integer weight codes q of weight_bits, a weight
// scale per layer or per output channel, an optional float bias (batch norm
// folded by the exporter), and the coding of the layer's input activations
// (bits, signedness, scale). Built from a weight export or from seeded random
// weights; input scales missing from the export are calibrated on an image
// with calibrate() (reference.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arch/functional/codes.hpp"
#include "workloads/io/weights_manifest.hpp"
#include "workloads/ir/network.hpp"

namespace tessera::functional {

struct QuantLayer {
  int layer = -1;                 // network layer index
  int weight_bits = 8;            // B
  // Codes in PyTorch order: conv [out][in/groups][kh][kw], linear [out][in];
  // so q[oc * matrix_rows + r] is matrix row r (channel-major) of output oc.
  std::vector<int32_t> q;
  std::vector<double> weight_scale;  // one per layer or one per output channel
  std::vector<double> bias;          // empty, or one per output channel
  ActivationCoding input;            // scale 0 until given or calibrated

  double scale_of(int64_t oc) const { return weight_scale.size() == 1 ? weight_scale[0] : weight_scale[size_t(oc)]; }
  // The layer's real output for an integer accumulator sum(q * x) of output
  // channel oc: acc * s_w * s_in + bias. Used by the reference and the datapath alike.
  double real(double acc, int64_t oc) const {
    return acc * scale_of(oc) * input.scale + (bias.empty() ? 0.0 : bias[size_t(oc)]);
  }
  int64_t max_code() const { return (int64_t(1) << (weight_bits - 1)) - 1; }
};

struct QuantizedNet {
  std::vector<QuantLayer> layers;  // one per network layer; only weight layers are filled
  std::string source;              // where the weights came from, for reports

  const QuantLayer& at(int layer) const { return layers.at(size_t(layer)); }
  QuantLayer& at(int layer) { return layers.at(size_t(layer)); }
  // Every weight layer has an input scale.
  bool calibrated(const Network& net) const;
};

// Symmetric per-layer quantisation of float weights: scale = max|w| / (2^(B-1) - 1),
// q = round(w / scale); an all-zero layer gets scale 1 and zero codes.
void quantize_symmetric(const std::vector<float>& w, int bits, std::vector<int32_t>& q, double& scale);

// Seeded random weights: per layer, real weights uniform in
// [-sqrt(6 / fan_in), sqrt(6 / fan_in)] (He-uniform, fan_in = matrix rows)
// quantised symmetrically per layer; no bias. Input scales are left to calibration.
QuantizedNet random_weights(const Network& net, uint64_t seed);
// A weight export: uniform/ternary codes as stored with their scales, float
// weights quantised symmetrically per layer to the network's weight_bits;
// biases and input scales as given. Throws InputError for bad files.
QuantizedNet load_weights(const Network& net, const io::WeightsManifest& m);

// The network's own float weights (Network::params, an ONNX model's
// initializers with batch norm folded): uniform symmetric codes per output
// channel at the layer's weight_bits (quant::quantize_per_channel, as the
// trainer's export quantises), biases as given. Input scales are left to
// calibration.
QuantizedNet network_weights(const Network& net);

// Which layers' outputs can be negative: every layer after which no ReLU
// guarantees non-negative values (convolution and linear outputs, and what
// pools, adds or concatenates them); the image only if `image_signed`.
std::vector<bool> signed_outputs(const Network& net, bool image_signed);
// Sets each weight layer's input coding: activation_bits of the layer, signed
// when its input can be negative.
void set_input_signedness(const Network& net, QuantizedNet& q, bool image_signed);

}  // namespace tessera::functional

#include "arch/functional/quantized_net.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "arch/device/rng.hpp"
#include "workloads/quant/fold.hpp"

namespace tessera::functional {

namespace {

// Random-weight streams are keyed by layer index in their own range, apart
// from the device and image streams (Rng::stream ids).
constexpr uint64_t kWeightStreamBase = uint64_t(1) << 48;
// Integers a double holds exactly: 2^53, less one bit for the sign of the
// offset corrections (the hardware accumulator exceeds the reference's).
constexpr int kExactBits = 52;

QuantLayer empty_layer(const Layer& l, int index) {
  QuantLayer ql;
  ql.layer = index;
  ql.weight_bits = l.weight_bits;
  ql.input.bits = l.activation_bits;
  return ql;
}

void check_bits(const Layer& l) {
  // Weight codes are signed: one bit of sign and at least one of magnitude.
  if (l.weight_bits < 2)
    throw InputError(l.loc, "layer '" + l.name + "'.weight_bits",
                     "functional mode needs signed weights of at least 2 bits, found " + std::to_string(l.weight_bits));
  // Accumulators are 64-bit integers and real values doubles exact to 2^53.
  const int64_t rows = l.matrix_rows();
  int row_bits = 0;
  while ((int64_t(1) << row_bits) < rows) ++row_bits;
  if (l.weight_bits + l.activation_bits + row_bits > kExactBits)
    throw InputError(l.loc, "layer '" + l.name + "'.weight_bits",
                     std::to_string(l.weight_bits) + "-bit weights x " + std::to_string(l.activation_bits) +
                         "-bit activations over " + std::to_string(rows) +
                         " rows overflow the functional model's exact accumulators; allowed: weight_bits + "
                         "activation_bits + log2(rows) <= " + std::to_string(kExactBits));
}

}  // namespace

bool QuantizedNet::calibrated(const Network& net) const {
  for (int i : net.weight_layers())
    if (!(layers.at(size_t(i)).input.scale > 0)) return false;
  return true;
}

void quantize_symmetric(const std::vector<float>& w, int bits, std::vector<int32_t>& q, double& scale) {
  double max_abs = 0;
  for (float x : w) max_abs = std::max(max_abs, std::fabs(double(x)));
  const double top = double((int64_t(1) << (bits - 1)) - 1);
  scale = max_abs > 0 ? max_abs / top : 1.0;
  q.resize(w.size());
  for (size_t i = 0; i < w.size(); ++i) q[i] = int32_t(std::clamp(std::round(double(w[i]) / scale), -top, top));
}

QuantizedNet random_weights(const Network& net, uint64_t seed) {
  QuantizedNet qn;
  qn.source = "random (seed " + std::to_string(seed) + ")";
  qn.layers.resize(net.layers.size());
  for (int i : net.weight_layers()) {
    const Layer& l = net.layers[i];
    check_bits(l);
    QuantLayer ql = empty_layer(l, i);
    device::Rng rng = device::Rng::stream(seed, kWeightStreamBase + uint64_t(i));
    const double bound = std::sqrt(6.0 / double(l.matrix_rows()));
    std::vector<float> w(size_t(l.weights()));
    for (float& x : w) x = float((2 * rng.uniform() - 1) * bound);
    double scale = 1;
    quantize_symmetric(w, l.weight_bits, ql.q, scale);
    ql.weight_scale = {scale};
    qn.layers[size_t(i)] = std::move(ql);
  }
  return qn;
}

QuantizedNet load_weights(const Network& net, const io::WeightsManifest& m) {
  QuantizedNet qn;
  qn.source = m.dir;
  qn.layers.resize(net.layers.size());
  for (int i : net.weight_layers()) {
    const Layer& l = net.layers[i];
    check_bits(l);
    const io::LayerWeights* lw = m.find(l.name);
    if (!lw) throw InputError({m.manifest_path(), 0, 0}, "layers", "no entry for weight layer '" + l.name + "'");
    io::LoadedWeights w = io::load_layer_weights(m, *lw);
    QuantLayer ql = empty_layer(l, i);
    if (lw->quantization == io::Quantization::None) {
      double scale = 1;
      quantize_symmetric(w.weight, l.weight_bits, ql.q, scale);
      ql.weight_scale = {scale};
    } else {
      ql.q.assign(w.codes.begin(), w.codes.end());
      ql.weight_scale = lw->scale;
    }
    ql.bias.assign(w.bias.begin(), w.bias.end());
    ql.input.scale = lw->input_scale;
    qn.layers[size_t(i)] = std::move(ql);
  }
  return qn;
}

QuantizedNet network_weights(const Network& net) {
  if (!net.params) throw std::logic_error("network_weights: network '" + net.name + "' carries no weights");
  QuantizedNet qn;
  qn.source = net.loc.file + " (the network's own weights)";
  qn.layers.resize(net.layers.size());
  for (int i : net.weight_layers()) {
    const Layer& l = net.layers[size_t(i)];
    check_bits(l);
    auto it = net.params->find(l.name);
    if (it == net.params->end() || int64_t(it->second.weight.size()) != l.weights())
      throw std::logic_error("network_weights: no weights of the right size for layer '" + l.name + "'");
    QuantLayer ql = empty_layer(l, i);
    quant::ChannelQuant cq = quant::quantize_per_channel(
        std::vector<double>(it->second.weight.begin(), it->second.weight.end()), l.out_channels, l.weight_bits);
    ql.q = std::move(cq.q);
    ql.weight_scale = std::move(cq.scale);
    ql.bias.assign(it->second.bias.begin(), it->second.bias.end());
    qn.layers[size_t(i)] = std::move(ql);
  }
  return qn;
}

std::vector<bool> signed_outputs(const Network& net, bool image_signed) {
  std::vector<bool> s(net.layers.size(), false);
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    switch (l.type) {
      case LayerType::Input: s[i] = image_signed; break;
      case LayerType::Conv2d:
      case LayerType::Linear: s[i] = true; break;
      case LayerType::Relu: s[i] = false; break;
      case LayerType::Activation:  // a function that can go negative does so only for negative inputs
        s[i] = !l.output_non_negative() && s[size_t(l.inputs[0])];
        break;
      case LayerType::MaxPool:
      case LayerType::AvgPool:
      case LayerType::GlobalAvgPool:
      case LayerType::Add:
      case LayerType::Concat:
      case LayerType::Flatten:
      case LayerType::BatchNorm:  // the identity once folded
        // Negative if any input is.
        for (int p : l.inputs) s[i] = s[i] || s[size_t(p)];
        break;
    }
  }
  return s;
}

void set_input_signedness(const Network& net, QuantizedNet& q, bool image_signed) {
  std::vector<bool> s = signed_outputs(net, image_signed);
  for (int i : net.weight_layers()) q.at(i).input.is_signed = s[size_t(net.layers[i].inputs[0])];
}

}  // namespace tessera::functional

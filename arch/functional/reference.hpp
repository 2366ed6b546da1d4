// The integer reference of the functional mode: per weight layer the exact
// integer MACs acc = sum q * x (x the signed input value, code minus its
// offset), then real = acc * s_w * s_in + bias; the digital layers in double
// precision (digital.hpp); and at every weight layer's input the quantisation
// to its activation codes (codes.hpp). The hardware datapath (datapath.hpp)
// must reproduce it exactly when its devices are ideal and its ADCs lossless.
#pragma once

#include <vector>

#include "arch/functional/input_image.hpp"
#include "arch/functional/quantized_net.hpp"
#include "arch/functional/tensor.hpp"

namespace tessera::functional {

// Every layer's real output for one image. Throws std::logic_error if a
// weight layer has no input scale (calibrate first).
std::vector<Tensor> run_reference(const Network& net, const QuantizedNet& q, const InputImage& image);

// Fills the input scale of every weight layer that has none, layer by layer
// on this image: s = max |real input| / steps (codes.hpp), except that a layer
// reading a uint8 image (directly or flattened) with at least 8 unsigned bits
// takes 1/255 (its codes are the pixels). Scales already set (from the export) are kept
// and used for the layers after them.
void calibrate(const Network& net, QuantizedNet& q, const InputImage& image);
// The same over several images: each missing input scale becomes the largest
// of the scales calibrate() finds on each image alone.
void calibrate(const Network& net, QuantizedNet& q, const std::vector<InputImage>& images);

// The integer accumulators of one weight layer: acc[oc * positions + p] for
// input codes `codes` (shaped like the layer's input).
std::vector<int64_t> integer_macs(const Layer& l, const QuantLayer& ql, const std::vector<int64_t>& codes);

// The network's output (the last layer's values, flattened).
inline std::vector<double> logits_of(const std::vector<Tensor>& outputs) { return outputs.back().v; }

}  // namespace tessera::functional

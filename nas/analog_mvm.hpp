// Analog forward passes of weight layers (see analog_params.hpp for the
// model): the layer's weight matrix is cut into arrays, each array applies
// DAC quantisation, its own weight scale, output noise and ADC quantisation,
// and the arrays' outputs are summed digitally. Gradients pass straight
// through (they are those of the exact product with the weights used).
//
// Includes <torch/torch.h>: for nas/ translation units only.
#pragma once

#include <torch/torch.h>

#include "nas/analog_params.hpp"

namespace tessera::nas {

// round(v / step) * step with step = 2 bound / steps, clipped to [-bound, bound]; steps = 0: clip only.
torch::Tensor quantize(const torch::Tensor& v, double bound, int steps);

// x: P x R inputs, w: R x C weights (one group, or a block-diagonal set of
// packed groups). `train` adds the training weight noise.
torch::Tensor analog_matmul(const torch::Tensor& x, const torch::Tensor& w, const ArrayGeometry& g,
                            const AnalogParams& p, bool train);

// Convolution and linear layers (4-D activations as in IrModel); bias may be undefined.
torch::Tensor analog_conv2d(const torch::Tensor& x, const Layer& l, const torch::Tensor& weight,
                            const torch::Tensor& bias, const ArrayGeometry& g, const AnalogParams& p, bool train);
torch::Tensor analog_linear(const torch::Tensor& x, const Layer& l, const torch::Tensor& weight,
                            const torch::Tensor& bias, const ArrayGeometry& g, const AnalogParams& p, bool train);

}  // namespace tessera::nas

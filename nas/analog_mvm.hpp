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

// Supplies the weights an array's devices actually hold (programming noise,
// drift, read noise: device_eval.hpp) and a digital gain applied to its
// output (drift compensation). Arrays are numbered per layer in the order the
// analog pass visits them: group set, then column block, then row block.
class ArrayWeightSource {
 public:
  virtual ~ArrayWeightSource() = default;
  // w: the array's target weights, rows (inputs) x columns (outputs).
  virtual torch::Tensor weights(int layer, int64_t array, const torch::Tensor& w, double& gain) = 0;
};

struct ArrayContext {
  int layer = 0;
  ArrayWeightSource* source = nullptr;  // null: the weights as trained
  int64_t next_array = 0;
};

// round(v / step) * step with step = 2 bound / steps, clipped to [-bound, bound]; steps = 0: clip only.
torch::Tensor quantize(const torch::Tensor& v, double bound, int steps);

// x: P x R inputs, w: R x C weights (one group, or a block-diagonal set of
// packed groups). `train` adds the training weight noise.
torch::Tensor analog_matmul(const torch::Tensor& x, const torch::Tensor& w, const ArrayGeometry& g,
                            const AnalogParams& p, bool train, ArrayContext* ctx = nullptr);

// Convolution and linear layers (4-D activations as in IrModel); bias may be undefined.
torch::Tensor analog_conv2d(const torch::Tensor& x, const Layer& l, const torch::Tensor& weight,
                            const torch::Tensor& bias, const ArrayGeometry& g, const AnalogParams& p, bool train,
                            ArrayContext* ctx = nullptr);
torch::Tensor analog_linear(const torch::Tensor& x, const Layer& l, const torch::Tensor& weight,
                            const torch::Tensor& bias, const ArrayGeometry& g, const AnalogParams& p, bool train,
                            ArrayContext* ctx = nullptr);

}  // namespace tessera::nas

// Constant weight folding: a ternary layer's weights are known at compile
// time, so every output channel becomes the list of inputs it adds and the list
// it subtracts; zero weights disappear and no multiplication is left.
//
// Inputs are numbered per group in the order of the weight tensor:
// i = (c * Kh + ky) * Kw + kx with c the input channel within the group (a
// linear layer: i is the flattened CHW feature).
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/ir/network.hpp"
#include "workloads/quant/ternary.hpp"

namespace tessera::ap::compiler {

struct FoldedLayer {
  int64_t groups = 1;
  int64_t inputs = 0;             // dot-product inputs per group
  int64_t outputs_per_group = 0;
  int64_t taps = 1;               // Kh * Kw: inputs per input channel
  std::vector<std::vector<int32_t>> plus, minus;  // per output channel, ascending

  int64_t outputs() const { return int64_t(plus.size()); }
  int64_t nonzeros() const;
};

// Weight dimensions a conv2d or linear layer expects.
quant::WeightDims weight_dims(const Layer& layer);

// Throws InputError when the layer holds no weights or the tensor's
// dimensions do not match it.
FoldedLayer fold_weights(const Layer& layer, const quant::TernaryWeights& w);

}  // namespace tessera::ap::compiler

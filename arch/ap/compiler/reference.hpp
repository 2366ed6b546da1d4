// The integer meaning of a ternary layer, for checking compiled programs:
// y[o][p] = sum of x where w = +1 minus sum of x where w = -1, wrapped to the
// accumulator width (two's complement), with x the activation codes.
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/ir/network.hpp"
#include "workloads/quant/ternary.hpp"

namespace tessera::ap::compiler {

int64_t wrap_signed(int64_t v, int bits);

// Activation code of dot-product input `input` (= group * inputs per group +
// index, numbered as in fold.hpp) at output position p; 0 in the padding.
// x holds the layer's input codes in CHW order.
int64_t gather_input(const Layer& l, const std::vector<int32_t>& x, int64_t input, int64_t p);

// Direct convolution (or matrix-vector product) loops, [Cout][positions].
std::vector<int64_t> reference_ternary_layer(const Layer& l, const quant::TernaryWeights& w,
                                             const std::vector<int32_t>& x, int accumulator_bits);

}  // namespace tessera::ap::compiler

// The digital layers in double precision, written once for the integer
// reference and the hardware datapath: ReLU, max and average pooling, global
// average pooling, residual add (inputs with fewer channels zero-extended),
// concat, flatten, and batch norm as the identity (the exporter folds it into
// the preceding convolution). Pooling follows PyTorch: max pooling ignores
// padding; average pooling counts padded positions (count_include_pad) and
// has no dilation.
#pragma once

#include <cstdint>
#include <vector>

#include "arch/functional/tensor.hpp"

namespace tessera::functional {

// Computes output rows [y0, y1) of digital layer `l` into `out` (already
// shaped l.out) from its inputs' outputs, in the order of l.inputs. Only the
// input rows those output rows read need to be present.
void digital_rows(const Layer& l, const std::vector<const Tensor*>& in, Tensor& out, int64_t y0, int64_t y1);

}  // namespace tessera::functional

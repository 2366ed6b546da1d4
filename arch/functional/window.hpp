// The window a weight layer's dot products read, shared by the integer
// reference and the datapath. A linear layer is the convolution whose kernel
// covers its whole input (kernel H x W, one output position), so matrix row
// r = cin * Kh * Kw + kh * Kw + kw (channel-major, as the mapping orders
// rows) is the same formula for both; for a linear layer it is the flattened
// C-order index of its input.
#pragma once

#include <cstdint>

#include "workloads/ir/network.hpp"

namespace tessera::functional {

struct Window {
  int64_t kh = 1, kw = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_h = 0, pad_w = 0;
  int64_t dil_h = 1, dil_w = 1;
  int64_t groups = 1;
  int64_t cin_per_group = 1;   // input channels per group
  int64_t cout_per_group = 1;  // output channels per group
  int64_t rows = 1;            // matrix rows per group: cin_per_group * kh * kw

  // Input channel (within the group) and kernel offsets of matrix row r.
  int64_t channel(int64_t r) const { return r / (kh * kw); }
  int64_t dy(int64_t r) const { return (r / kw) % kh * dil_h; }
  int64_t dx(int64_t r) const { return r % kw * dil_w; }
};

inline Window window_of(const Layer& l) {
  Window w;
  w.kh = l.window_h();
  w.kw = l.window_w();
  if (l.type != LayerType::Linear) {
    w.stride_h = l.stride_h;
    w.stride_w = l.stride_w;
    w.pad_h = l.pad_h;
    w.pad_w = l.pad_w;
    w.dil_h = l.dilation_h;
    w.dil_w = l.dilation_w;
  }
  w.groups = l.group_count();
  w.cin_per_group = l.in_channels_per_group();
  w.cout_per_group = l.matrix_cols();
  w.rows = l.matrix_rows();
  return w;
}

}  // namespace tessera::functional

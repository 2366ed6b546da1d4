#include "arch/ap/compiler/reference.hpp"

namespace tessera::ap::compiler {

int64_t wrap_signed(int64_t v, int bits) {
  if (bits >= 64) return v;
  uint64_t u = uint64_t(v) & ((uint64_t(1) << bits) - 1);
  if ((u >> (bits - 1)) & 1u) u |= ~uint64_t(0) << bits;
  return int64_t(u);
}

int64_t gather_input(const Layer& l, const std::vector<int32_t>& x, int64_t input, int64_t p) {
  if (l.type == LayerType::Linear) return x[size_t(input)];
  const int64_t cin_g = l.in_channels_per_group(), taps = l.window_h() * l.window_w();
  const int64_t per_group = cin_g * taps;
  const int64_t g = input / per_group, i = input % per_group;
  const int64_t c = g * cin_g + i / taps, ky = (i % taps) / l.kernel_w, kx = i % l.kernel_w;
  const int64_t oy = p / l.out.w, ox = p % l.out.w;
  const int64_t y = oy * l.stride_h - l.pad_h + ky * l.dilation_h;
  const int64_t xx = ox * l.stride_w - l.pad_w + kx * l.dilation_w;
  if (y < 0 || y >= l.in.h || xx < 0 || xx >= l.in.w) return 0;
  return x[size_t((c * l.in.h + y) * l.in.w + xx)];
}

std::vector<int64_t> reference_ternary_layer(const Layer& l, const quant::TernaryWeights& w,
                                             const std::vector<int32_t>& x, int bits) {
  std::vector<int64_t> y;
  if (l.type == LayerType::Linear) {
    for (int64_t o = 0; o < l.out_channels; ++o) {
      int64_t s = 0;
      for (int64_t i = 0; i < l.in.size(); ++i) s += w.at(o, i, 0, 0) * int64_t(x[size_t(i)]);
      y.push_back(wrap_signed(s, bits));
    }
    return y;
  }
  const int64_t cin_g = l.in_channels_per_group(), cout_g = l.matrix_cols();
  for (int64_t o = 0; o < l.out_channels; ++o)
    for (int64_t oy = 0; oy < l.out.h; ++oy)
      for (int64_t ox = 0; ox < l.out.w; ++ox) {
        int64_t s = 0;
        for (int64_t c = 0; c < cin_g; ++c)
          for (int ky = 0; ky < l.kernel_h; ++ky)
            for (int kx = 0; kx < l.kernel_w; ++kx) {
              int64_t iy = oy * l.stride_h - l.pad_h + ky * l.dilation_h;
              int64_t ix = ox * l.stride_w - l.pad_w + kx * l.dilation_w;
              if (iy < 0 || iy >= l.in.h || ix < 0 || ix >= l.in.w) continue;
              int64_t cc = (o / cout_g) * cin_g + c;
              s += w.at(o, c, ky, kx) * int64_t(x[size_t((cc * l.in.h + iy) * l.in.w + ix)]);
            }
        y.push_back(wrap_signed(s, bits));
      }
  return y;
}

}  // namespace tessera::ap::compiler

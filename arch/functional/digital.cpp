#include "arch/functional/digital.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace tessera::functional {

namespace {

void pool_rows(const Layer& l, const Tensor& x, Tensor& out, int64_t y0, int64_t y1) {
  const bool is_max = l.type == LayerType::MaxPool;
  // PyTorch's avg_pool2d takes no dilation; max_pool2d does.
  const int dh = is_max ? l.dilation_h : 1, dw = is_max ? l.dilation_w : 1;
  const double window = double(l.kernel_h) * l.kernel_w;
  for (int64_t c = 0; c < out.shape.c; ++c)
    for (int64_t y = y0; y < y1; ++y)
      for (int64_t xo = 0; xo < out.shape.w; ++xo) {
        double acc = is_max ? -std::numeric_limits<double>::infinity() : 0.0;
        for (int kh = 0; kh < l.kernel_h; ++kh) {
          const int64_t iy = y * l.stride_h - l.pad_h + int64_t(kh) * dh;
          if (iy < 0 || iy >= x.shape.h) continue;
          for (int kw = 0; kw < l.kernel_w; ++kw) {
            const int64_t ix = xo * l.stride_w - l.pad_w + int64_t(kw) * dw;
            if (ix < 0 || ix >= x.shape.w) continue;
            const double v = x.at(c, iy, ix);
            acc = is_max ? std::max(acc, v) : acc + v;
          }
        }
        out.at(c, y, xo) = is_max ? acc : acc / window;
      }
}

}  // namespace

void digital_rows(const Layer& l, const std::vector<const Tensor*>& in, Tensor& out, int64_t y0, int64_t y1) {
  if (y0 >= y1) return;
  const Tensor& x = *in.at(0);
  const int64_t w = out.shape.w;
  switch (l.type) {
    case LayerType::Relu:
    case LayerType::BatchNorm:
    case LayerType::Activation:
      for (int64_t c = 0; c < out.shape.c; ++c)
        for (int64_t y = y0; y < y1; ++y)
          for (int64_t i = 0; i < w; ++i) {
            const double v = x.at(c, y, i);
            out.at(c, y, i) = l.type == LayerType::Relu ? std::max(0.0, v) : l.type == LayerType::Activation ? l.activate(v) : v;
          }
      return;
    case LayerType::MaxPool:
    case LayerType::AvgPool:
      pool_rows(l, x, out, y0, y1);
      return;
    case LayerType::GlobalAvgPool: {
      const double n = double(x.shape.h) * x.shape.w;
      for (int64_t c = 0; c < out.shape.c; ++c) {
        double s = 0;
        for (int64_t y = 0; y < x.shape.h; ++y)
          for (int64_t i = 0; i < x.shape.w; ++i) s += x.at(c, y, i);
        out.at(c, 0, 0) = s / n;
      }
      return;
    }
    case LayerType::Add:
      for (int64_t c = 0; c < out.shape.c; ++c)
        for (int64_t y = y0; y < y1; ++y)
          for (int64_t i = 0; i < w; ++i) {
            double s = 0;
            // Inputs with fewer channels contribute zeros above their own (ResNet option A).
            for (const Tensor* t : in)
              if (c < t->shape.c) s += t->at(c, y, i);
            out.at(c, y, i) = s;
          }
      return;
    case LayerType::Concat: {
      int64_t base = 0;
      for (const Tensor* t : in) {
        for (int64_t c = 0; c < t->shape.c; ++c)
          for (int64_t y = y0; y < y1; ++y)
            for (int64_t i = 0; i < w; ++i) out.at(base + c, y, i) = t->at(c, y, i);
        base += t->shape.c;
      }
      return;
    }
    case LayerType::Flatten:
      // C order: the flattened index is c * H * W + y * W + x, as in PyTorch.
      std::copy(x.v.begin(), x.v.end(), out.v.begin());
      return;
    case LayerType::Input:
    case LayerType::Conv2d:
    case LayerType::Linear:
      break;
  }
  throw std::logic_error(std::string("digital_rows: layer '") + l.name + "' (" + to_string(l.type) +
                         ") is not a digital layer");
}

}  // namespace tessera::functional

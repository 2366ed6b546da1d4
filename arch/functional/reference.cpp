#include "arch/functional/reference.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "arch/functional/digital.hpp"
#include "arch/functional/window.hpp"

namespace tessera::functional {

namespace {

// The bits at which a uint8 image's codes are its pixels.
constexpr int kPixelBits = 8;

std::vector<Tensor> forward(const Network& net, QuantizedNet& q, const InputImage& image, bool calibrating) {
  if (image.real.shape != net.input)
    throw std::logic_error("functional: image shape " + image.real.shape.str() + " differs from the network input " +
                           net.input.str());
  std::vector<Tensor> out(net.layers.size());
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    if (l.type == LayerType::Input) {
      out[i] = image.real;
      continue;
    }
    out[i] = Tensor(l.out);
    if (!l.has_weights()) {
      std::vector<const Tensor*> in;
      for (int p : l.inputs) in.push_back(&out[size_t(p)]);
      digital_rows(l, in, out[i], 0, l.out.h);
      continue;
    }
    QuantLayer& ql = q.at(int(i));
    const Tensor& x = out[size_t(l.inputs[0])];
    if (!(ql.input.scale > 0)) {
      if (!calibrating) throw std::logic_error("functional: layer '" + l.name + "' has no input scale; calibrate first");
      // The image itself, or the image flattened: the codes can be the pixels.
      int source = l.inputs[0];
      while (net.layers[size_t(source)].type == LayerType::Flatten) source = net.layers[size_t(source)].inputs[0];
      const bool pixels = source == 0 && image.from_uint8 && !ql.input.is_signed && ql.input.bits >= kPixelBits;
      double max_abs = 0;
      for (double v : x.v) max_abs = std::max(max_abs, std::fabs(v));
      ql.input.scale = pixels ? kPixelScale : ql.input.calibrated_scale(max_abs);
    }
    std::vector<int64_t> codes(x.v.size());
    quantize_rows(ql.input, x, 0, x.shape.h, codes);
    std::vector<int64_t> acc = integer_macs(l, ql, codes);
    const int64_t positions = l.out.h * l.out.w;
    for (int64_t oc = 0; oc < l.out.c; ++oc)
      for (int64_t p = 0; p < positions; ++p)
        out[i].v[size_t(oc * positions + p)] = ql.real(double(acc[size_t(oc * positions + p)]), oc);
  }
  return out;
}

}  // namespace

std::vector<int64_t> integer_macs(const Layer& l, const QuantLayer& ql, const std::vector<int64_t>& codes) {
  const Window w = window_of(l);
  const int64_t off = ql.input.offset();
  const int64_t H = l.in.h, W = l.in.w, positions = l.out.h * l.out.w;
  std::vector<int64_t> acc(size_t(l.out.c * positions), 0);
  for (int64_t oc = 0; oc < l.out.c; ++oc) {
    const int64_t g = oc / w.cout_per_group;
    const int32_t* qrow = ql.q.data() + oc * w.rows;
    for (int64_t y = 0; y < l.out.h; ++y)
      for (int64_t x = 0; x < l.out.w; ++x) {
        int64_t a = 0;
        for (int64_t r = 0; r < w.rows; ++r) {
          const int64_t iy = y * w.stride_h - w.pad_h + w.dy(r);
          const int64_t ix = x * w.stride_w - w.pad_w + w.dx(r);
          // Padding is zero: its code is the offset, its signed value 0.
          if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
          const int64_t c = g * w.cin_per_group + w.channel(r);
          a += int64_t(qrow[r]) * (codes[size_t((c * H + iy) * W + ix)] - off);
        }
        acc[size_t(oc * positions + y * l.out.w + x)] = a;
      }
  }
  return acc;
}

std::vector<Tensor> run_reference(const Network& net, const QuantizedNet& q, const InputImage& image) {
  QuantizedNet copy = q;  // forward() only writes scales while calibrating
  return forward(net, copy, image, false);
}

void calibrate(const Network& net, QuantizedNet& q, const InputImage& image) { forward(net, q, image, true); }

void calibrate(const Network& net, QuantizedNet& q, const std::vector<InputImage>& images) {
  std::vector<double> scale(net.layers.size(), 0.0);
  for (const InputImage& image : images) {
    QuantizedNet one = q;
    forward(net, one, image, true);
    for (int i : net.weight_layers()) scale[size_t(i)] = std::max(scale[size_t(i)], one.at(i).input.scale);
  }
  for (int i : net.weight_layers())
    if (!(q.at(i).input.scale > 0)) q.at(i).input.scale = scale[size_t(i)];
}

}  // namespace tessera::functional

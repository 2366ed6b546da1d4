#include "arch/ap/compiler/fold.hpp"

#include <string>

namespace tessera::ap::compiler {

int64_t FoldedLayer::nonzeros() const {
  int64_t n = 0;
  for (size_t o = 0; o < plus.size(); ++o) n += int64_t(plus[o].size() + minus[o].size());
  return n;
}

quant::WeightDims weight_dims(const Layer& l) {
  if (l.type == LayerType::Conv2d) return {l.out_channels, l.in_channels_per_group(), l.kernel_h, l.kernel_w};
  if (l.type == LayerType::Linear) return {l.out_channels, l.in.size(), 1, 1};
  throw InputError(l.loc, l.name, std::string("layer type ") + to_string(l.type) +
                                      " has no weights for the AP compiler (conv2d and linear only)");
}

FoldedLayer fold_weights(const Layer& l, const quant::TernaryWeights& w) {
  quant::WeightDims d = weight_dims(l);
  const auto& g = w.dims;
  if (g.cout != d.cout || g.cin != d.cin || g.kh != d.kh || g.kw != d.kw || int64_t(w.values.size()) != d.size()) {
    auto s = [](const quant::WeightDims& x) {
      return std::to_string(x.cout) + "x" + std::to_string(x.cin) + "x" + std::to_string(x.kh) + "x" +
             std::to_string(x.kw);
    };
    throw InputError(l.loc, l.name, "ternary weights are " + s(g) + "; the layer needs " + s(d));
  }
  FoldedLayer f;
  f.groups = int(l.group_count());
  f.inputs = d.per_output();
  f.outputs_per_group = d.cout / f.groups;
  f.taps = d.kh * d.kw;
  f.plus.resize(size_t(d.cout));
  f.minus.resize(size_t(d.cout));
  for (int64_t o = 0; o < d.cout; ++o)
    for (int64_t i = 0; i < f.inputs; ++i) {
      int8_t v = w.values[size_t(o * f.inputs + i)];
      if (v > 0) f.plus[o].push_back(int32_t(i));
      else if (v < 0) f.minus[o].push_back(int32_t(i));
    }
  return f;
}

}  // namespace tessera::ap::compiler

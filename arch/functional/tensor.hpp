// A layer's real-valued output for one image: channels x height x width in C
// order, double precision. The functional model keeps one per network layer.
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/ir/network.hpp"

namespace tessera::functional {

struct Tensor {
  Shape shape;
  std::vector<double> v;

  Tensor() = default;
  explicit Tensor(const Shape& s) : shape(s), v(size_t(s.size()), 0.0) {}
  int64_t index(int64_t c, int64_t y, int64_t x) const { return (c * shape.h + y) * shape.w + x; }
  double at(int64_t c, int64_t y, int64_t x) const { return v[size_t(index(c, y, x))]; }
  double& at(int64_t c, int64_t y, int64_t x) { return v[size_t(index(c, y, x))]; }
};

}  // namespace tessera::functional

// How a sweep draws its points from the axes: an interface plus
// implementations registered by name and chosen by `[sampler] impl`
// (grid, zip, random, lhs; sim/sweep/samplers/).
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "sim/sweep/spec.hpp"
#include "workloads/base/registry.hpp"

namespace tessera::sweep {

class Sampler {
 public:
  virtual ~Sampler() = default;
  // One row per point, one value per axis (in the axes' order).
  virtual std::vector<std::vector<AxisValue>> sample(const std::vector<Axis>& axes) const = 0;
  // Grid and zip visit listed values: a range axis needs a step.
  virtual bool enumerates() const = 0;
  // How many rows sample() returns, without drawing them (saturates at
  // INT64_MAX): a sweep's size is checked before anything is allocated.
  virtual int64_t count(const std::vector<Axis>& axes) const = 0;
};

using SamplerRegistry = Registry<Sampler>;

// A value of a range axis at u in [0, 1) (log-uniform, lattice and integer
// rounding as the axis asks).
AxisValue draw_in_range(const Axis& a, double u);

// random and lhs: how many points they draw, and the seed of their stream.
struct DrawCount {
  int64_t samples;
  uint64_t seed;
  DrawCount(const io::Section& s, const char* sampler);
};

// Uniform doubles in [0, 1) from a 64-bit Mersenne twister, computed the same
// way on every platform (std::uniform_real_distribution is not).
class Uniform {
 public:
  explicit Uniform(uint64_t seed) : rng_(seed) {}
  double operator()() { return double(rng_() >> 11) * 0x1.0p-53; }
  uint64_t below(uint64_t n) { return uint64_t((*this)() * double(n)); }

 private:
  std::mt19937_64 rng_;
};

}  // namespace tessera::sweep

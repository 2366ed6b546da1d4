// The random source of every device model: std::mt19937_64 seeded through
// splitmix64, with its own uniform and normal samplers so that a seed gives
// bit-identical draws with any standard library (std::normal_distribution's
// algorithm is implementation-defined).
#pragma once

#include <cstdint>
#include <random>

namespace tessera::device {

uint64_t splitmix64(uint64_t& state);

class Rng {
 public:
  explicit Rng(uint64_t seed);
  // An independent stream for (seed, stream id): one per tile, per layer, per
  // Monte-Carlo run, so results do not depend on the order streams are used in.
  static Rng stream(uint64_t seed, uint64_t stream_id);

  uint64_t bits() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform();
  // Standard normal (Box-Muller; the second value of each pair is kept for the next call).
  double normal();

 private:
  std::mt19937_64 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace tessera::device

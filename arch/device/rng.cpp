#include "arch/device/rng.hpp"

#include <cmath>

namespace tessera::device {

uint64_t splitmix64(uint64_t& s) {
  uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

Rng::Rng(uint64_t seed) {
  uint64_t s = seed;
  engine_.seed(splitmix64(s));
}

Rng Rng::stream(uint64_t seed, uint64_t stream_id) {
  uint64_t s = seed;
  uint64_t a = splitmix64(s);
  s = a ^ stream_id;
  return Rng(splitmix64(s));
}

double Rng::uniform() { return double(engine_() >> 11) * 0x1.0p-53; }

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  const double two_pi = 2.0 * std::acos(-1.0);
  double u1 = 1.0 - uniform();  // (0, 1]: log stays finite
  double u2 = uniform();
  double r = std::sqrt(-2.0 * std::log(u1));
  spare_ = r * std::sin(two_pi * u2);
  has_spare_ = true;
  return r * std::cos(two_pi * u2);
}

}  // namespace tessera::device

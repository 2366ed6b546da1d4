#include "arch/device/gaussian.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "workloads/io/toml_reader.hpp"

namespace tessera::device {

namespace {
// NACIM's device names: RRAM1 has rate 1, FeFET2 rate 2.
struct RramDevice : GaussianDevice {
  RramDevice() : GaussianDevice(1.0) {}
};
struct FefetDevice : GaussianDevice {
  FefetDevice() : GaussianDevice(2.0) {}
};
}  // namespace

TESSERA_DEVICE(RramDevice, "rram", "RRAM: Gaussian programming variation (NACIM), device rate 1 by default")
TESSERA_DEVICE(FefetDevice, "fefet", "FeFET: Gaussian programming variation (NACIM), device rate 2 by default")

void GaussianParams::load(const io::Section& s) {
  sigma = s.number("sigma", "conductance variation, relative to g_max (0: ideal cells)", 0.0, 0, 10);
  device_rate = s.number("device_rate", "NACIM device rate s: mid-band devices get s times the variation (RRAM1 1, FeFET2 2, RRAM4 4, FeFET6 6)",
                         device_rate, 1, 1e3);
  band_lo = s.number("band_lo", "lower end of the mid band of g/g_max (NACIM: 0.25)", band_lo, 0, 1);
  band_hi = s.number("band_hi", "upper end of the mid band of g/g_max (NACIM: 0.75)", band_hi, 0, 1);
  s.check(band_lo <= band_hi, "band_hi", "must not be below band_lo");
  band_fraction = s.number("band_fraction", "share of weights assumed in the mid band, for the normaliser (NACIM: 0.4)",
                           band_fraction, 0, 1);
}

void GaussianDevice::load(const io::Section& s) { p_.load(s); }

double GaussianDevice::sigma_us(double x) const {
  const double s = p_.device_rate;
  const double norm = std::sqrt(p_.band_fraction * s * s + 1.0 - p_.band_fraction);
  const bool mid = x > p_.band_lo && x < p_.band_hi;
  return p_.sigma * (mid ? s : 1.0) / norm * g_max();
}

void GaussianDevice::program_cells(ProgrammedCells& p, Rng& rng) const {
  for (size_t i = 0; i < p.size(); ++i) {
    const double g_t = p.g_target[i];
    p.g_prog[i] = float(std::max(0.0, g_t + sigma_us(g_t / g_max()) * rng.normal()));
  }
}

void GaussianDevice::read_cells(const ProgrammedCells& p, double, Rng&, float* g) const {
  std::copy(p.g_prog.begin(), p.g_prog.end(), g);
}

double sliced_weight_sigma(double sigma, int weight_bits, int bits_per_cell) {
  if (bits_per_cell < 1 || weight_bits < bits_per_cell || weight_bits % bits_per_cell != 0)
    throw std::invalid_argument("sliced_weight_sigma: weight_bits must be a multiple of bits_per_cell");
  const int slices = weight_bits / bits_per_cell;
  double sum = 0;
  for (int k = 0; k < slices; ++k) sum += std::pow(2.0, 2.0 * bits_per_cell * k);
  return sigma * (std::pow(2.0, bits_per_cell) - 1) * std::sqrt(sum) / (std::pow(2.0, weight_bits) - 1);
}

}  // namespace tessera::device

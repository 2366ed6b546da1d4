// RRAM and FeFET as NACIM's group models them: a Gaussian conductance
// variation drawn once at programming, sigma relative to g_max,
//   g_prog = max(0, g_T + sigma_eff(x) g_max N),  x = g_T / g_max,
// with no drift and no read noise.
//
// Device rate s (imc-facts section 3, NACIM: RRAM1 s=1, FeFET2 s=2, RRAM4
// s=4, FeFET6 s=6): devices in the middle band band_lo < x < band_hi get s
// times the variation of the others, and all are divided by
// sqrt(f s^2 + 1 - f) with f = band_fraction, so that the mean variance over
// a weight distribution with a fraction f in the band stays sigma^2.
#pragma once

#include "arch/device/device.hpp"

namespace tessera::device {

struct GaussianParams {
  double sigma = 0.0;         // required: variation relative to g_max
  double device_rate = 1.0;   // s; the implementation sets its NACIM default
  double band_lo = 0.25, band_hi = 0.75;  // NACIM: 0.25 < |w|/max < 0.75 gets s times the noise
  double band_fraction = 0.4;             // NACIM: normaliser sqrt(0.4 s^2 + 0.6)

  void load(const io::Section& s);
};

class GaussianDevice : public Device {
 public:
  explicit GaussianDevice(double default_rate) { p_.device_rate = default_rate; }
  const GaussianParams& params() const { return p_; }
  // Standard deviation of g_prog in uS for a target x = g_T / g_max.
  double sigma_us(double x) const;

 protected:
  void load(const io::Section& s) override;
  void program_cells(ProgrammedCells& p, Rng& rng) const override;
  void read_cells(const ProgrammedCells& p, double t_inference, Rng& rng, float* g) const override;

 private:
  GaussianParams p_;
};

// Weight-level variation when a weight_bits weight is split into slices of
// bits_per_cell devices, each device varying by `sigma` of its own range:
//   sigma_w / max|W| = sigma (2^b - 1) sqrt(sum_k 2^(2 b k)) / (2^B - 1).
// For 8-bit weights over four 2-bit devices this is NACIM's 0.778 sigma.
double sliced_weight_sigma(double sigma, int weight_bits, int bits_per_cell);

}  // namespace tessera::device

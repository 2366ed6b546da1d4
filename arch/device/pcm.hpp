// Phase-change memory: AIHWKit's statistical PCM model (PCMLikeNoiseModel),
// as imc-facts section 3 gives it. With x = g_T / g_max and N a standard
// normal drawn per device:
//   programming  sigma_prog = (c0 + c1 x + c2 x^2) g_max / g_ref;  g_prog = max(0, g_T + sigma_prog N)
//   drift        mu_nu = clip(a ln x + b, lo, hi), sigma_nu likewise; nu = |mu_nu + sigma_nu N|
//                t = t_inference + t0;  g_drift = g_prog (t / t0)^-nu
//   read noise   Q_s = min(q / max((|g_prog| / g_max)^e, floor), q_max)
//                sigma = Q_s sqrt(ln((t + t_read) / (2 t_read)));  g = max(0, g_drift + |g_drift| sigma N)
// Programming noise and nu are drawn at programming; read noise at every read.
#pragma once

#include <vector>

#include "arch/device/device.hpp"

namespace tessera::device {

// Defaults: AIHWKit PCMLikeNoiseModel (fits of Nandakumar et al. 2019), imc-facts section 3.
struct PcmParams {
  std::vector<double> prog_coeff{0.26348, 1.9650, -1.1731};  // sigma_prog polynomial, uS at g_ref
  double prog_ref_g_max_us = 25.0;  // g_max the polynomial was fitted at
  double mu_nu_slope = -0.0155, mu_nu_offset = 0.0244, mu_nu_min = 0.049, mu_nu_max = 0.1;
  double sigma_nu_slope = -0.0125, sigma_nu_offset = -0.0059, sigma_nu_min = 0.008, sigma_nu_max = 0.045;
  double t0_s = 20.0;
  double read_q = 0.0088, read_exponent = 0.65, read_floor = 1e-3, read_q_max = 0.2;
  double t_read_s = 250e-9;
  // Scales for sweeps (1: the published model).
  double prog_noise_scale = 1.0, drift_scale = 1.0, read_noise_scale = 1.0;

  void load(const io::Section& s);
};

class PcmDevice : public Device {
 public:
  const PcmParams& params() const { return p_; }

  // The model's terms, for tests and reports (x = g_T / g_max).
  double sigma_prog_us(double x) const;
  double mu_nu(double x) const;
  double sigma_nu(double x) const;
  double q_s(double x) const;
  double read_time_term(double t_inference) const;  // sqrt(ln((t + t_read) / (2 t_read))), t = t_inference + t0
  double drift_factor(double t_inference, double nu) const;  // (t / t0)^-nu

 protected:
  void load(const io::Section& s) override;
  void program_cells(ProgrammedCells& p, Rng& rng) const override;
  void read_cells(const ProgrammedCells& p, double t_inference, Rng& rng, float* g) const override;

 private:
  PcmParams p_;
};

}  // namespace tessera::device

#include "arch/device/pcm.hpp"

#include <algorithm>
#include <cmath>

#include "workloads/io/toml_reader.hpp"

namespace tessera::device {

TESSERA_DEVICE(PcmDevice, "pcm", "AIHWKit statistical PCM: programming noise, drift, 1/f read noise")

void PcmParams::load(const io::Section& s) {
  prog_coeff = s.number_list("prog_coeff", "sigma_prog polynomial c0 + c1 x + c2 x^2 in uS at prog_ref_g_max_us (AIHWKit)",
                             prog_coeff);
  s.check(prog_coeff.size() == 3, "prog_coeff", "expected 3 coefficients (c0, c1, c2)");
  prog_ref_g_max_us = s.number("prog_ref_g_max_us", "g_max at which prog_coeff was fitted (AIHWKit: 25 uS)",
                               prog_ref_g_max_us, 1e-6, 1e6);
  mu_nu_slope = s.number("mu_nu_slope", "drift exponent mean: slope a of a ln x + b (AIHWKit)", mu_nu_slope);
  mu_nu_offset = s.number("mu_nu_offset", "drift exponent mean: offset b (AIHWKit)", mu_nu_offset);
  mu_nu_min = s.number("mu_nu_min", "drift exponent mean: lower clip (AIHWKit)", mu_nu_min, 0, 10);
  mu_nu_max = s.number("mu_nu_max", "drift exponent mean: upper clip (AIHWKit)", mu_nu_max, 0, 10);
  s.check(mu_nu_min <= mu_nu_max, "mu_nu_max", "must not be below mu_nu_min");
  sigma_nu_slope = s.number("sigma_nu_slope", "drift exponent spread: slope (AIHWKit)", sigma_nu_slope);
  sigma_nu_offset = s.number("sigma_nu_offset", "drift exponent spread: offset (AIHWKit)", sigma_nu_offset);
  sigma_nu_min = s.number("sigma_nu_min", "drift exponent spread: lower clip (AIHWKit)", sigma_nu_min, 0, 10);
  sigma_nu_max = s.number("sigma_nu_max", "drift exponent spread: upper clip (AIHWKit)", sigma_nu_max, 0, 10);
  s.check(sigma_nu_min <= sigma_nu_max, "sigma_nu_max", "must not be below sigma_nu_min");
  t0_s = s.number("t0_s", "time of the programming read, seconds (AIHWKit: 20)", t0_s, 1e-12, 1e12);
  read_q = s.number("read_q", "1/f read noise magnitude at x = 1 (AIHWKit: 0.0088)", read_q, 0, 10);
  read_exponent = s.number("read_exponent", "1/f read noise: exponent of x (AIHWKit: 0.65)", read_exponent, 0, 10);
  read_floor = s.number("read_floor", "1/f read noise: lower bound of x^exponent (AIHWKit: 1e-3)", read_floor, 1e-12, 1);
  read_q_max = s.number("read_q_max", "1/f read noise: upper bound of Q_s (AIHWKit: 0.2)", read_q_max, 0, 10);
  t_read_s = s.number("t_read_s", "duration of one read, seconds (AIHWKit: 250 ns)", t_read_s, 1e-15, 1);
  prog_noise_scale = s.number("prog_noise_scale", "multiplies the programming noise", prog_noise_scale, 0, 1e3);
  drift_scale = s.number("drift_scale", "multiplies the drift exponent's mean and spread", drift_scale, 0, 1e3);
  read_noise_scale = s.number("read_noise_scale", "multiplies the read noise", read_noise_scale, 0, 1e3);
}

void PcmDevice::load(const io::Section& s) { p_.load(s); }

double PcmDevice::sigma_prog_us(double x) const {
  const auto& c = p_.prog_coeff;
  return (c[0] + c[1] * x + c[2] * x * x) * g_max() / p_.prog_ref_g_max_us;
}

// ln x -> -inf as x -> 0: the clipped value is then the bound the line heads for.
static double clipped_line(double slope, double offset, double lo, double hi, double x) {
  if (x <= 0) return slope < 0 ? hi : lo;
  return std::clamp(slope * std::log(x) + offset, lo, hi);
}

double PcmDevice::mu_nu(double x) const {
  return clipped_line(p_.mu_nu_slope, p_.mu_nu_offset, p_.mu_nu_min, p_.mu_nu_max, x);
}

double PcmDevice::sigma_nu(double x) const {
  return clipped_line(p_.sigma_nu_slope, p_.sigma_nu_offset, p_.sigma_nu_min, p_.sigma_nu_max, x);
}

double PcmDevice::q_s(double x) const {
  return std::min(p_.read_q / std::max(std::pow(std::fabs(x), p_.read_exponent), p_.read_floor), p_.read_q_max);
}

double PcmDevice::read_time_term(double t_inference) const {
  const double t = t_inference + p_.t0_s;
  return std::sqrt(std::log((t + p_.t_read_s) / (2.0 * p_.t_read_s)));
}

double PcmDevice::drift_factor(double t_inference, double nu) const {
  return std::pow((t_inference + p_.t0_s) / p_.t0_s, -nu);
}

void PcmDevice::program_cells(ProgrammedCells& p, Rng& rng) const {
  p.nu.resize(p.size());
  for (size_t i = 0; i < p.size(); ++i) {
    const double g_t = p.g_target[i];
    const double x = g_t / g_max();
    // Two draws per device in a fixed order: programming noise, then drift exponent.
    const double n_prog = rng.normal();
    const double n_nu = rng.normal();
    p.g_prog[i] = float(std::max(0.0, g_t + p_.prog_noise_scale * sigma_prog_us(x) * n_prog));
    p.nu[i] = float(std::fabs(p_.drift_scale * (mu_nu(x) + sigma_nu(x) * n_nu)));
  }
}

void PcmDevice::read_cells(const ProgrammedCells& p, double t_inference, Rng& rng, float* g) const {
  const double term = read_time_term(t_inference);
  for (size_t i = 0; i < p.size(); ++i) {
    const double g_prog = p.g_prog[i];
    const double g_drift = g_prog * drift_factor(t_inference, p.nu[i]);
    const double sigma = p_.read_noise_scale * q_s(g_prog / g_max()) * term;
    g[i] = float(std::max(0.0, g_drift + std::fabs(g_drift) * sigma * rng.normal()));
  }
}

}  // namespace tessera::device

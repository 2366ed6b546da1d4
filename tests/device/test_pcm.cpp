// AIHWKit's statistical PCM model: the terms against the reference table of
// imc-facts section 3, and the sampled conductances against the terms.
#include <gtest/gtest.h>

#include <cstring>

#include "arch/device/pcm.hpp"
#include "device_helpers.hpp"

using namespace tessera::device;
using namespace tessera::device::test;

namespace {
std::unique_ptr<PcmDevice> pcm(const std::string& extra = "") { return make_as<PcmDevice>("impl = 'pcm'\n" + extra); }
constexpr double kHour = 3600, kDay = 86400;
}  // namespace

// Reference table, x = g / g_max: sigma_prog (uS), mu_nu, sigma_nu, Q_s, each
// to the digits printed (a tolerance of half a unit in the last digit).
TEST(Pcm, ReproducesTheReferenceTableOfDeviceTerms) {
  auto d = pcm();
  ASSERT_NE(d, nullptr);
  EXPECT_NEAR(d->sigma_prog_us(0.1), 0.448, 0.0005);
  EXPECT_NEAR(d->sigma_prog_us(0.5), 0.953, 0.0005);
  EXPECT_NEAR(d->sigma_prog_us(1.0), 1.055, 0.0005);
  EXPECT_NEAR(d->mu_nu(0.1), 0.060, 0.0005);
  EXPECT_NEAR(d->mu_nu(0.5), 0.049, 0.0005);  // clipped at the lower bound
  EXPECT_NEAR(d->mu_nu(1.0), 0.049, 0.0005);
  EXPECT_NEAR(d->sigma_nu(0.1), 0.023, 0.0005);
  EXPECT_NEAR(d->sigma_nu(0.5), 0.008, 0.0005);
  EXPECT_NEAR(d->sigma_nu(1.0), 0.008, 0.0005);
  EXPECT_NEAR(d->q_s(0.1), 0.039, 0.0005);
  EXPECT_NEAR(d->q_s(0.5), 0.014, 0.0005);
  EXPECT_NEAR(d->q_s(1.0), 0.0088, 0.00005);
  // Clips: ln x -> -inf at x = 0 gives the upper bounds; Q_s is capped at 0.2.
  EXPECT_EQ(d->mu_nu(0.0), 0.1);
  EXPECT_EQ(d->sigma_nu(0.0), 0.045);
  EXPECT_EQ(d->q_s(0.0), 0.2);
}

TEST(Pcm, ReproducesTheReferenceTableOfTimeTerms) {
  auto d = pcm();
  EXPECT_NEAR(d->read_time_term(1), 4.19, 0.005);
  // The table prints 4.77: the exact 4.7648 rounded twice (to 4.765, then 4.77).
  EXPECT_NEAR(d->read_time_term(kHour), 4.765, 0.0005);
  EXPECT_NEAR(d->read_time_term(kDay), 5.09, 0.005);
  EXPECT_NEAR(d->read_time_term(30 * kDay), 5.41, 0.005);
  const double t[] = {1, kHour, kDay, 30 * kDay};
  const double at_049[] = {0.998, 0.775, 0.664, 0.562};
  const double at_01[] = {0.995, 0.595, 0.433, 0.308};
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(d->drift_factor(t[i], 0.049), at_049[i], 0.0005) << t[i];
    EXPECT_NEAR(d->drift_factor(t[i], 0.1), at_01[i], 0.0005) << t[i];
  }
}

TEST(Pcm, ProgrammingNoiseAndDriftExponentStatistics) {
  auto d = pcm();
  const int n = 200000;
  for (double x : {0.1, 0.5}) {
    std::vector<float> target(n, float(x * 25.0));
    Rng rng(7);
    ProgrammedCells p = d->program(target, 1000, 200, rng);
    std::vector<double> g(p.g_prog.begin(), p.g_prog.end()), nu(p.nu.begin(), p.nu.end());
    Stats sg = stats(g), sn = stats(nu);
    // Standard errors: sigma / sqrt(n) for the mean, ~ sigma / sqrt(2n) relative for the std.
    EXPECT_NEAR(sg.mean, x * 25.0, 5 * d->sigma_prog_us(x) / std::sqrt(n)) << x;
    EXPECT_NEAR(sg.std / d->sigma_prog_us(x), 1.0, 0.01) << x;
    EXPECT_NEAR(sn.mean / d->mu_nu(x), 1.0, 0.01) << x;
    EXPECT_NEAR(sn.std / d->sigma_nu(x), 1.0, 0.02) << x;
  }
}

TEST(Pcm, DriftFollowsEachDevicesExponentWithoutReadNoise) {
  auto d = pcm("read_noise_scale = 0\n");
  std::vector<float> target = {2.5f, 12.5f, 25.0f, 0.0f};
  Rng rng(11);
  ProgrammedCells p = d->program(target, 2, 2, rng);
  for (double t : {1.0, kHour, kDay}) {
    auto g = d->read(p, t, rng);
    for (size_t i = 0; i < g.size(); ++i)
      EXPECT_FLOAT_EQ(g[i], float(p.g_prog[i] * std::pow((t + 20.0) / 20.0, -double(p.nu[i])))) << i << " at " << t;
  }
}

TEST(Pcm, ReadNoiseIsRedrawnPerReadWithTheModelsSpread) {
  auto d = pcm();
  const int n = 100000;
  std::vector<float> target(n, 12.5f);
  Rng rng(3);
  ProgrammedCells p = d->program(target, 100, 1000, rng);
  auto a = d->read(p, kHour, rng);
  auto b = d->read(p, kHour, rng);
  EXPECT_NE(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0);
  // z = (g - g_drift) / (|g_drift| Q_s(g_prog / g_max) sqrt-ln term) is standard normal.
  std::vector<double> z;
  for (int i = 0; i < n; ++i) {
    double g_drift = p.g_prog[i] * d->drift_factor(kHour, p.nu[i]);
    double sigma = d->q_s(p.g_prog[i] / 25.0) * d->read_time_term(kHour);
    z.push_back((a[i] - g_drift) / (g_drift * sigma));
  }
  Stats s = stats(z);
  EXPECT_NEAR(s.mean, 0.0, 0.015);
  EXPECT_NEAR(s.std, 1.0, 0.01);
}

TEST(Pcm, SameSeedSameBits) {
  auto d = pcm();
  std::vector<float> target(5000);
  for (size_t i = 0; i < target.size(); ++i) target[i] = float(i % 26);
  auto run = [&](uint64_t seed) {
    Rng rng(seed);
    ProgrammedCells p = d->program(target, 50, 100, rng);
    auto g = d->read(p, kDay, rng);
    g.insert(g.end(), p.nu.begin(), p.nu.end());
    return g;
  };
  auto a = run(42), b = run(42), c = run(43);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0);
  EXPECT_NE(std::memcmp(a.data(), c.data(), a.size() * sizeof(float)), 0);
}

TEST(Pcm, ParametersComeFromTheSection) {
  auto d = pcm("g_max_us = 50\nt0_s = 10\nprog_coeff = [1.0, 0.0, 0.0]\n");
  EXPECT_EQ(d->g_max(), 50.0);
  EXPECT_DOUBLE_EQ(d->sigma_prog_us(0.3), 1.0 * 50 / 25);  // polynomial fitted at 25 uS, scaled to g_max
  EXPECT_DOUBLE_EQ(d->drift_factor(10, 0.5), std::pow(2.0, -0.5));
  std::string e = error_of([] { pcm("prog_coeff = [1.0]\n"); });
  EXPECT_NE(e.find("prog_coeff: expected 3 coefficients"), std::string::npos) << e;
  e = error_of([] { pcm("t_reed_s = 1e-7\n"); });
  EXPECT_NE(e.find("device.toml:2:1: t_reed_s: unknown key (did you mean 't_read_s'?)"), std::string::npos) << e;
}

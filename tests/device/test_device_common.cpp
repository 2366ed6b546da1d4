// The registry, the Gaussian (RRAM/FeFET) and SRAM models, and the options
// every device shares: levels, stuck-at faults, IR drop. Plus the sampler.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "arch/device/gaussian.hpp"
#include "arch/device/ir_drop.hpp"
#include "arch/device/pcm.hpp"
#include "device_helpers.hpp"

using namespace tessera;
using namespace tessera::device;
using namespace tessera::device::test;

TEST(Rng, NormalSamplerHasStandardMoments) {
  Rng rng(2024);
  const int n = 400000;
  std::vector<double> v(n);
  int within_one = 0;
  double third = 0;
  for (auto& x : v) {
    x = rng.normal();
    within_one += std::fabs(x) < 1.0;
    third += x * x * x;
  }
  Stats s = stats(v);
  EXPECT_NEAR(s.mean, 0.0, 0.008);  // 5 standard errors
  EXPECT_NEAR(s.std, 1.0, 0.006);
  EXPECT_NEAR(third / n, 0.0, 0.02);
  EXPECT_NEAR(double(within_one) / n, 0.682689, 0.004);  // P(|N| < 1)
}

TEST(Rng, StreamsAreReproducibleAndDistinct) {
  Rng a = Rng::stream(5, 0), b = Rng::stream(5, 0), c = Rng::stream(5, 1), d = Rng::stream(6, 0);
  uint64_t xa = a.bits();
  EXPECT_EQ(xa, b.bits());
  EXPECT_NE(xa, c.bits());
  EXPECT_NE(xa, d.bits());
  Rng u(1);
  for (int i = 0; i < 1000; ++i) {
    double x = u.uniform();
    ASSERT_GE(x, 0.0);
    ASSERT_LT(x, 1.0);
  }
}

TEST(DeviceRegistry, ListsAndSelectsImplementations) {
  EXPECT_EQ(Registry<Device>::names(), "fefet, pcm, rram, sram");
  EXPECT_EQ(make_device("impl = 'sram'")->impl(), "sram");
  EXPECT_NE(dynamic_cast<PcmDevice*>(make_device("impl = 'pcm'").get()), nullptr);
  std::string e = error_of([] { make_device("impl = 'mram'"); });
  EXPECT_NE(e.find("device.toml:1:8: impl: unknown value 'mram'; allowed: fefet, pcm, rram, sram"), std::string::npos) << e;
  e = error_of([] { make_device("levels = 4"); });
  EXPECT_NE(e.find("impl: missing required string"), std::string::npos) << e;
  e = error_of([] { make_device("impl = 'rram'\nsigma = -0.1"); });
  EXPECT_NE(e.find("sigma: value -0.1 is out of range"), std::string::npos) << e;
  EXPECT_DOUBLE_EQ(make_as<GaussianDevice>("impl = 'rram'")->sigma_us(0.5), 0.0);  // ideal by default
  // Another implementation's key (rram's sigma) is a warning naming file, line, key and
  // whose key it is: `--set device.d.impl=sram` on a file written for rram leaves it
  // behind. A key no implementation reads is an error.
  testing::internal::CaptureStderr();
  EXPECT_EQ(make_device("impl = 'sram'\nsigma = 0.1")->impl(), "sram");
  EXPECT_EQ(make_device("impl = 'sram'\nsigma = 0.1")->impl(), "sram");  // the same warning once
  EXPECT_EQ(make_device("impl = 'sram'\n\nt0_s = 20")->impl(), "sram");
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "warning: device.toml:2:1: sigma: ignored: a parameter of impl = \"fefet\" or \"rram\", not of impl = \"sram\"\n"
            "warning: device.toml:3:1: t0_s: ignored: a parameter of impl = \"pcm\", not of impl = \"sram\"\n");
  e = error_of([] { make_device("impl = 'sram'\nsigmaa = 0.1"); });
  EXPECT_NE(e.find("sigmaa: unknown key"), std::string::npos) << e;
  e = error_of([] { make_device("impl = 'sram'\nlevels = 1"); });
  EXPECT_NE(e.find("levels: one level cannot hold a weight"), std::string::npos) << e;
  e = error_of([] { make_device("impl = 'sram'\nstuck_at_min = 0.7\nstuck_at_max = 0.5"); });
  EXPECT_NE(e.find("stuck_at_min + stuck_at_max must not exceed 1"), std::string::npos) << e;
}

TEST(DeviceRegistry, DescribeModeListsEveryImplementationsParameters) {
  auto doc = io::Document::describer();
  Device::create(doc.root());
  std::vector<std::string> paths;
  for (const auto& p : doc.described()) paths.push_back(p.path);
  // Shared options once; each implementation's own parameters under its variant.
  for (const char* key : {"impl", "g_max_us", "levels", "stuck_at_min", "wire_resistance_ohm", "{impl=pcm}.prog_coeff",
                          "{impl=pcm}.t0_s", "{impl=pcm}.t_read_s", "{impl=rram}.sigma", "{impl=fefet}.device_rate"})
    EXPECT_NE(std::find(paths.begin(), paths.end(), key), paths.end()) << key;
  EXPECT_EQ(std::count(paths.begin(), paths.end(), "g_max_us"), 1);
  for (const auto& p : doc.described()) {
    if (p.path == "g_max_us") {
      EXPECT_EQ(p.default_value, "25");
    }
    if (p.path == "{impl=rram}.device_rate") {
      EXPECT_EQ(p.default_value, "1");
    }
    if (p.path == "{impl=fefet}.device_rate") {
      EXPECT_EQ(p.default_value, "2");
    }
  }
}

TEST(Gaussian, SigmaWithNacimDeviceRates) {
  auto rram = make_as<GaussianDevice>("impl = 'rram'\nsigma = 0.1");
  auto fefet = make_as<GaussianDevice>("impl = 'fefet'\nsigma = 0.1");
  auto rram4 = make_as<GaussianDevice>("impl = 'rram'\nsigma = 0.1\ndevice_rate = 4");
  EXPECT_EQ(rram->params().device_rate, 1.0);
  EXPECT_EQ(fefet->params().device_rate, 2.0);
  // Rate 1: 0.1 * 25 uS everywhere.
  EXPECT_DOUBLE_EQ(rram->sigma_us(0.5), 2.5);
  EXPECT_DOUBLE_EQ(rram->sigma_us(0.9), 2.5);
  // Rate 2: normaliser sqrt(0.4 * 4 + 0.6) = sqrt(2.2); mid band gets twice the variation.
  EXPECT_NEAR(fefet->sigma_us(0.5), 0.1 * 2 / std::sqrt(2.2) * 25, 1e-12);
  EXPECT_NEAR(fefet->sigma_us(0.1), 0.1 / std::sqrt(2.2) * 25, 1e-12);
  // Rate 4: sqrt(0.4 * 16 + 0.6) = sqrt(7).
  EXPECT_NEAR(rram4->sigma_us(0.3), 0.4 / std::sqrt(7.0) * 25, 1e-12);
  EXPECT_NEAR(rram4->sigma_us(0.75), 0.1 / std::sqrt(7.0) * 25, 1e-12);  // band is open at 0.75
  // 8-bit weights over four 2-bit devices: sigma_w = 0.778 sigma max|W|.
  EXPECT_NEAR(sliced_weight_sigma(1.0, 8, 2), 0.778, 0.0005);
  EXPECT_DOUBLE_EQ(sliced_weight_sigma(0.5, 4, 4), 0.5);  // one device per weight
}

TEST(Gaussian, SampledVariationAndNoDrift) {
  auto fefet = make_as<GaussianDevice>("impl = 'fefet'\nsigma = 0.1");
  const int n = 100000;
  for (double x : {0.5, 0.9}) {
    std::vector<float> target(n, float(25 * x));
    Rng rng(99);
    ProgrammedCells p = fefet->program(target, 1, n, rng);
    Stats s = stats(std::vector<double>(p.g_prog.begin(), p.g_prog.end()));
    EXPECT_NEAR(s.mean, 25 * x, 5 * fefet->sigma_us(x) / std::sqrt(n)) << x;
    EXPECT_NEAR(s.std / fefet->sigma_us(x), 1.0, 0.012) << x;
    EXPECT_TRUE(p.nu.empty());
    auto g1 = fefet->read(p, 1, rng), g2 = fefet->read(p, 30 * 86400.0, rng);
    EXPECT_EQ(g1, std::vector<float>(p.g_prog.begin(), p.g_prog.end()));
    EXPECT_EQ(g1, g2);
  }
}

TEST(Sram, IsIdeal) {
  auto d = make_device("impl = 'sram'");
  std::vector<float> target = {0, 3.5f, 25};
  Rng rng(1);
  auto p = d->program(target, 1, 3, rng);
  EXPECT_EQ(d->read(p, 86400, rng), target);
}

TEST(DeviceOptions, LevelsQuantiseTargets) {
  auto d = make_device("impl = 'sram'\nlevels = 5");  // 0, 6.25, 12.5, 18.75, 25 uS
  std::vector<float> target = {3.1f, 3.2f, 10.0f, 24.0f, 25.0f, 0.0f};
  Rng rng(1);
  auto p = d->program(target, 2, 3, rng);
  EXPECT_EQ(p.g_target, (std::vector<float>{0.0f, 6.25f, 12.5f, 25.0f, 25.0f, 0.0f}));
  auto e = make_device("impl = 'sram'\nlevels = 3\ng_min_us = 1\ng_max_us = 5");  // 1, 3, 5
  EXPECT_EQ(e->quantize(0.0f), 1.0f);
  EXPECT_EQ(e->quantize(2.1f), 3.0f);
  EXPECT_EQ(e->quantize(4.5f), 5.0f);
}

TEST(DeviceOptions, StuckAtFaultsAreDrawnPerDeviceAndStay) {
  auto d = make_device("impl = 'pcm'\nstuck_at_min = 0.1\nstuck_at_max = 0.05\ng_min_us = 0.5");
  const int n = 100000;
  std::vector<float> target(n, 12.5f);
  Rng rng(17);
  auto p = d->program(target, 100, 1000, rng);
  int at_min = 0, at_max = 0;
  for (auto s : p.stuck) at_min += s == Stuck::AtMin, at_max += s == Stuck::AtMax;
  // Binomial: 4 standard deviations.
  EXPECT_NEAR(at_min, 0.1 * n, 4 * std::sqrt(n * 0.1 * 0.9));
  EXPECT_NEAR(at_max, 0.05 * n, 4 * std::sqrt(n * 0.05 * 0.95));
  auto g = d->read(p, 86400, rng);
  for (int i = 0; i < n; ++i) {
    // Stuck devices read their stuck value exactly; the others have drifted below the 12.5 uS target.
    const float expect = p.stuck[i] == Stuck::AtMin ? 0.5f : p.stuck[i] == Stuck::AtMax ? 25.0f : -1.0f;
    if (expect >= 0) {
      ASSERT_EQ(g[i], expect) << i;
    } else {
      ASSERT_NE(g[i], 0.5f) << i;
      ASSERT_LT(g[i], 12.5f * 1.3f) << i;
    }
  }
}

TEST(DeviceOptions, IrDropAttenuatesByPosition) {
  // 2 x 2 array, 10 ohm per segment, 25 uS everywhere. Cell (i, j) sees
  // 10 * (j + 1 + 2 - i) ohm: (0,0) 30, (0,1) 40, (1,0) 20, (1,1) 30.
  auto d = make_device("impl = 'sram'\nwire_resistance_ohm = 10");
  std::vector<float> target(4, 25.0f);
  Rng rng(1);
  auto g = d->read(d->program(target, 2, 2, rng), 1, rng);
  EXPECT_FLOAT_EQ(g[0], float(25 / (1 + 25e-6 * 30)));
  EXPECT_FLOAT_EQ(g[1], float(25 / (1 + 25e-6 * 40)));
  EXPECT_FLOAT_EQ(g[2], float(25 / (1 + 25e-6 * 20)));
  EXPECT_FLOAT_EQ(g[3], g[0]);
  EXPECT_DOUBLE_EQ(ir_drop_factor(25, 0, 0, 2, 0), 1.0);
}

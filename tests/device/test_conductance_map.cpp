// Weight-to-conductance mapping and global drift compensation.
#include <gtest/gtest.h>

#include "arch/device/conductance_map.hpp"
#include "arch/device/drift_compensation.hpp"
#include "arch/device/pcm.hpp"
#include "device_helpers.hpp"

using namespace tessera::device;
using namespace tessera::device::test;

TEST(ConductanceMap, DifferentialPairPerTile) {
  std::vector<float> w = {0.5f, -1.0f, 0.25f, 0.0f};
  ConductancePair p = weights_to_conductances(w, 25.0);
  EXPECT_DOUBLE_EQ(p.scale, 25.0);  // g_max / max|W| = 25 / 1
  EXPECT_EQ(p.g_plus, (std::vector<float>{12.5f, 0, 6.25f, 0}));
  EXPECT_EQ(p.g_minus, (std::vector<float>{0, 25.0f, 0, 0}));
  std::vector<float> back(4);
  conductances_to_weights(p.g_plus.data(), p.g_minus.data(), 4, p.scale, back.data());
  EXPECT_EQ(back, w);
  ConductancePair z = weights_to_conductances(std::vector<float>(3, 0.0f), 25.0);
  EXPECT_EQ(z.scale, 0.0);
  EXPECT_EQ(z.g_plus, std::vector<float>(3, 0.0f));
}

TEST(DriftCompensation, UndoesAUniformDrift) {
  // Every device drifts with nu = 0.049: outputs shrink by (3620 / 20)^-0.049 = 0.7751 after 1 h.
  auto d = make_as<PcmDevice>("impl = 'pcm'\nread_noise_scale = 0\nprog_noise_scale = 0");
  std::vector<float> w = {0.2f, -0.4f, 0.9f, -1.0f, 0.3f, 0.6f};  // 2 x 3, rows = inputs
  ConductancePair c = weights_to_conductances(w, d->g_max());
  Rng rng(5);
  ProgrammedCells gp = d->program(c.g_plus, 2, 3, rng), gm = d->program(c.g_minus, 2, 3, rng);
  std::fill(gp.nu.begin(), gp.nu.end(), 0.049f);
  std::fill(gm.nu.begin(), gm.nu.end(), 0.049f);
  const std::vector<float> probe = {1.0f, 1.0f};
  auto mvm = [&](double t) {
    auto a = d->read(gp, t, rng), b = d->read(gm, t, rng);
    std::vector<float> y(3, 0.0f);
    for (int j = 0; j < 3; ++j)
      for (int i = 0; i < 2; ++i) y[j] += probe[i] * (a[i * 3 + j] - b[i * 3 + j]);
    return y;
  };
  GlobalDriftCompensation comp;
  auto y0 = mvm(0);
  comp.calibrate(y0.data(), y0.size());
  EXPECT_NEAR(comp.reference(), (0.8 + 0.1 + 1.5) / 3 * 25, 1e-4);  // column sums -0.8, -0.1, 1.5, times s = 25
  auto y1 = mvm(3600);
  double f = comp.factor(y1.data(), y1.size());
  EXPECT_NEAR(f, 1.0 / d->drift_factor(3600, 0.049) * d->drift_factor(0, 0.049), 1e-5);
  for (int j = 0; j < 3; ++j) EXPECT_NEAR(y1[j] * f, y0[j], 1e-4);
  std::vector<float> zeros(3, 0.0f);
  EXPECT_EQ(comp.factor(zeros.data(), 3), 1.0);
}

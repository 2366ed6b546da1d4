// TWN ternary weights and uniform activation codes against hand calculations.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "workloads/quant/ternary.hpp"

using namespace tessera;
using namespace tessera::quant;

namespace {
TernaryParams params(double factor, bool per_channel) {
  TernaryParams p;
  p.threshold_factor = factor;
  p.per_channel = per_channel;
  return p;
}
}  // namespace

TEST(Ternary, DefaultsAreTwnPaper) {
  TernaryParams p = TernaryParams::defaults();
  EXPECT_DOUBLE_EQ(p.threshold_factor, 0.7);
  EXPECT_FALSE(p.per_channel);
  EXPECT_EQ(ActivationQuantParams::defaults().bits, 4);
}

TEST(Ternary, LayerWiseHandCase) {
  // mean|w| = 4/6, D = 0.7 * 4/6 = 0.4667; kept: 1.0, -0.5, -2.0 -> alpha = 3.5/3.
  std::vector<float> w{1.0f, -0.5f, 0.2f, -2.0f, 0.0f, 0.3f};
  TernaryWeights t = ternarize(w, {2, 3, 1, 1}, params(0.7, false));
  EXPECT_EQ(t.values, (std::vector<int8_t>{1, -1, 0, -1, 0, 0}));
  ASSERT_EQ(t.alpha.size(), 1u);
  EXPECT_NEAR(t.threshold[0], 0.7 * 4.0 / 6.0, 1e-6);
  EXPECT_NEAR(t.alpha_of(1), 3.5 / 3.0, 1e-6);
  EXPECT_EQ(t.at(1, 0, 0, 0), -1);
  EXPECT_EQ(t.count(0), 3);
}

TEST(Ternary, PerChannelHandCase) {
  // Channel 0: mean 1.7/3, D = 0.425 -> +1 -1 0, alpha 0.75.
  // Channel 1: mean 2.3/3, D = 0.575 -> -1 0 0, alpha 2.
  std::vector<float> w{1.0f, -0.5f, 0.2f, -2.0f, 0.0f, 0.3f};
  TernaryWeights t = ternarize(w, {2, 3, 1, 1}, params(0.75, true));
  EXPECT_EQ(t.values, (std::vector<int8_t>{1, -1, 0, -1, 0, 0}));
  ASSERT_EQ(t.alpha.size(), 2u);
  EXPECT_NEAR(t.threshold_of(0), 0.75 * 1.7 / 3.0, 1e-6);
  EXPECT_NEAR(t.threshold_of(1), 0.75 * 2.3 / 3.0, 1e-6);
  EXPECT_NEAR(t.alpha_of(0), 0.75, 1e-6);
  EXPECT_NEAR(t.alpha_of(1), 2.0, 1e-6);
}

TEST(Ternary, ThresholdIsStrictAndEmptyScaleIsZero) {
  // factor 1 on |w| = 1 everywhere: D = 1, no |w| > D.
  TernaryWeights t = ternarize({1, -1, 1, -1}, {1, 1, 2, 2}, params(1.0, false));
  EXPECT_EQ(t.count(0), 4);
  EXPECT_EQ(t.alpha[0], 0.0f);
}

TEST(Ternary, GaussianSparsityMatchesTheory) {
  // D = 0.7 E|w| = 0.7 sqrt(2/pi) sigma; P(|w| > D) = 2 (1 - Phi(0.5585)) = 0.5765.
  std::mt19937_64 rng(7);
  std::normal_distribution<float> g(0.0f, 0.1f);
  std::vector<float> w(64 * 64 * 9);
  for (auto& v : w) v = g(rng);
  TernaryWeights t = ternarize(w, {64, 64, 3, 3}, params(0.7, false));
  double nz = 1.0 - double(t.count(0)) / double(w.size());
  EXPECT_NEAR(nz, 0.5765, 0.01);
  EXPECT_NEAR(double(t.count(1)) / double(t.count(-1)), 1.0, 0.05);
  // E[|w| | |w| > D] for a normal: sigma * phi(z) / (1 - Phi(z)) with z = 0.5585: 1.1842 sigma.
  EXPECT_NEAR(t.alpha[0], 0.11842, 0.001);
}

TEST(Ternary, BadInputs) {
  EXPECT_THROW(ternarize({1, 2, 3}, {1, 1, 2, 2}, params(0.7, false)), InputError);
  EXPECT_THROW(ternarize({1, NAN, 3, 4}, {1, 1, 2, 2}, params(0.7, false)), InputError);
  auto doc = io::Document::from_string("threshold_factor = 0.75\nper_channel = true\n", "t.toml");
  TernaryParams p = TernaryParams::read(doc.root());
  EXPECT_DOUBLE_EQ(p.threshold_factor, 0.75);
  EXPECT_TRUE(p.per_channel);
  auto bad = io::Document::from_string("threshold = 0.75\n", "t.toml");
  EXPECT_THROW(TernaryParams::read(bad.root()), InputError);
  auto neg = io::Document::from_string("threshold_factor = -1\n", "t.toml");
  EXPECT_THROW(TernaryParams::read(neg.root()), InputError);
}

TEST(ActivationQuant, UniformCodes) {
  UniformQuantizer q(4, 1.5);  // step 0.1
  EXPECT_EQ(q.levels(), 15);
  EXPECT_NEAR(q.step(), 0.1, 1e-12);
  EXPECT_EQ(q.code(-1.0), 0);
  EXPECT_EQ(q.code(0.04), 0);
  EXPECT_EQ(q.code(0.06), 1);
  EXPECT_EQ(q.code(0.72), 7);
  EXPECT_EQ(q.code(1.46), 15);
  EXPECT_EQ(q.code(9.0), 15);
  EXPECT_NEAR(q.value(7), 0.7, 1e-12);
  // Every code round-trips.
  for (int c = 0; c <= 15; ++c) EXPECT_EQ(q.code(q.value(c)), c);
}

TEST(ActivationQuant, FitUsesDataMaximum) {
  ActivationQuantParams p = ActivationQuantParams::defaults();
  UniformQuantizer q = UniformQuantizer::fit({0.0f, 3.0f, -1.0f, 1.0f}, p);
  EXPECT_NEAR(q.step(), 0.2, 1e-7);
  EXPECT_EQ(q.codes({0.0f, 3.0f, -1.0f, 1.0f}), (std::vector<int32_t>{0, 15, 0, 5}));
  p.bits = 2;
  p.clip_max = 0.3;
  UniformQuantizer q2 = UniformQuantizer::fit({5.0f}, p);
  EXPECT_EQ(q2.code(5.0), 3);
  EXPECT_EQ(q2.code(0.1), 1);
  EXPECT_THROW(UniformQuantizer(0, 1.0), InputError);
}

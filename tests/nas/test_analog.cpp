// Analog arrays in training and evaluation: quantisers, per-array scaling and
// digital partial sums (hand-computed), noise statistics, straight-through
// gradients, and geometry taken from the mapper.
#include <gtest/gtest.h>

#include "arch/config/arch_config.hpp"
#include "arch/mapping/mapping.hpp"
#include "nas/adc_tensor.hpp"
#include "nas/analog_mvm.hpp"
#include "nas/ir_model.hpp"
#include "workloads/ir/builder.hpp"
#include "workloads/zoo/zoo.hpp"

using namespace tessera;
using namespace tessera::nas;

namespace {

// No quantisation, no noise, an ADC range nothing reaches: analog must equal exact.
AnalogParams ideal() {
  AnalogParams p;
  p.enabled = true;
  p.dac_bits = p.adc_bits = 0;
  p.out_noise = 0;
  p.weight_noise = 0;
  p.out_bound = 1e6;
  return p;
}

ArrayGeometry geom(int rows, int cols, int dac, int adc, int groups_per_array = 1) {
  return {true, rows, cols, groups_per_array, dac, adc, nullptr};
}

double max_diff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

}  // namespace

TEST(Analog, QuantiserSteps) {
  EXPECT_EQ(converter_steps(7), 126);  // AIHWKit's 7-bit DAC
  EXPECT_EQ(converter_steps(9), 510);  // and 9-bit ADC
  EXPECT_EQ(converter_steps(8), 254);  // AnalogNAS-Bench
  // Step 2 / 126: 0.3 -> 19 steps = 0.301587; -0.71 -> -45 steps = -0.714286; 1.2 clips to 1.
  auto q = quantize(torch::tensor({0.3, -0.71, 1.2}, torch::kFloat64), 1.0, 126);
  EXPECT_NEAR(q[0].item<double>(), 19.0 / 63, 1e-12);
  EXPECT_NEAR(q[1].item<double>(), -45.0 / 63, 1e-12);
  EXPECT_EQ(q[2].item<double>(), 1.0);
  auto c = quantize(torch::tensor({13.5, -2.25}, torch::kFloat64), 12.0, 0);  // clip only
  EXPECT_EQ(c[0].item<double>(), 12.0);
  EXPECT_EQ(c[1].item<double>(), -2.25);
}

// One ADC: the tensor form equals functional::AdcTransfer::convert value by
// value, for a crossbar column's ADC (power-of-two step, per-column steps)
// and for AIHWKit's symmetric one, including ties and both clamps.
TEST(Analog, TensorAdcEqualsTheScalarTransferFunction) {
  std::vector<double> s;
  for (int i = -40; i <= 700; ++i) s.push_back(0.5 * i);
  const torch::Tensor v = torch::tensor(s, torch::kFloat64);
  const functional::Adc col = functional::Adc::for_array(128, 1, 2, 8).with_range(200);  // step 1
  const functional::Adc coarse = functional::Adc::for_array(128, 1, 2, 6);               // step 8
  for (const functional::AdcTransfer& t : {col.transfer(), coarse.transfer(), functional::AdcTransfer::symmetric(9, 12.0),
                                          functional::AdcTransfer::symmetric(4, 100.0)}) {
    const torch::Tensor got = adc_convert(v, t);
    for (size_t i = 0; i < s.size(); ++i) ASSERT_EQ(got[int64_t(i)].item<double>(), t.convert(s[i])) << s[i];
  }
  // Per-column steps broadcast over rows (the chip evaluation's form), float32.
  const torch::Tensor m = torch::tensor(s, torch::kFloat32).view({-1, 1}).expand({int64_t(s.size()), 2});
  const functional::Adc full = functional::Adc::for_array(128, 1, 2, 8);  // step 2
  const torch::Tensor steps = torch::tensor({1.0f, 2.0f}).view({1, 2});
  const torch::Tensor got = adc_convert(m, steps, 0, 255);
  for (size_t i = 0; i < s.size(); ++i) {
    ASSERT_EQ(got[int64_t(i)][0].item<float>(), float(col.convert(s[i]))) << s[i];
    ASSERT_EQ(got[int64_t(i)][1].item<float>(), float(full.convert(s[i]))) << s[i];
  }
}

TEST(Analog, PerArrayScalingAndDigitalPartialSums) {
  // x = [0.9, 0.3], W = [[0.5, -0.2], [0.25, 1.0]]; 3-bit DAC (step 1/3),
  // 3-bit ADC with bound 3 (step 1). Exact product: [0.525, 0.12].
  auto x = torch::tensor({0.9f, 0.3f}).reshape({1, 2});
  auto w = torch::tensor({0.5f, -0.2f, 0.25f, 1.0f}).reshape({2, 2});
  AnalogParams p;
  p.out_noise = 0;
  p.out_bound = 3;
  // One array: alpha 0.9, x' = [1, 1/3], max|W| 1: y = [0.5833, 0.1333] -> ADC [1, 0] -> [0.9, 0].
  auto one = analog_matmul(x, w, geom(2, 2, 3, 3), p, false);
  EXPECT_NEAR(one[0][0].item<float>(), 0.9f, 1e-6);
  EXPECT_NEAR(one[0][1].item<float>(), 0.0f, 1e-6);
  // One row per array: row 0 (alpha 0.9, max|W| 0.5): y = [1, -0.4] -> [1, 0] -> [0.45, 0];
  // row 1 (alpha 0.3, max|W| 1): y = [0.25, 1] -> [0, 1] -> [0, 0.3]. Sum [0.45, 0.3].
  auto two = analog_matmul(x, w, geom(1, 2, 3, 3), p, false);
  EXPECT_NEAR(two[0][0].item<float>(), 0.45f, 1e-6);
  EXPECT_NEAR(two[0][1].item<float>(), 0.3f, 1e-6);
  // One column per array gives the same as two columns here (scales are per array: row 0 col 1 has max 0.2).
  // Row 0, col 1: max|W| 0.2, y = -1 -> -1 -> -0.9 * 0.2 = -0.18; row 1 col 0: max 0.25, y = 1 -> 0.3 * 0.25.
  auto four = analog_matmul(x, w, geom(1, 1, 3, 3), p, false);
  EXPECT_NEAR(four[0][0].item<float>(), 0.45f + 0.075f, 1e-6);
  EXPECT_NEAR(four[0][1].item<float>(), -0.18f + 0.3f, 1e-6);
}

TEST(Analog, ParallelRowsConvertEachPhase) {
  // x = [0.9, 0.3], W = [[0.5, -0.2], [0.25, 1.0]] on one array (alpha 0.9,
  // max|W| 1, x' = [1, 1/3]); 3-bit ADC with bound 0.3 (step 0.1).
  auto x = torch::tensor({0.9f, 0.3f}).reshape({1, 2});
  auto w = torch::tensor({0.5f, -0.2f, 0.25f, 1.0f}).reshape({2, 2});
  AnalogParams p;
  p.out_noise = 0;
  p.out_bound = 0.3;
  // All rows at once: y = [0.5833, 0.1333] -> [0.3 (clipped), 0.1] -> x 0.9 = [0.27, 0.09].
  auto all = analog_matmul(x, w, geom(2, 2, 3, 3), p, false);
  EXPECT_NEAR(all[0][0].item<float>(), 0.27f, 1e-6);
  EXPECT_NEAR(all[0][1].item<float>(), 0.09f, 1e-6);
  // One row per phase, the array's scales kept: [0.5, -0.2] -> [0.3, -0.2] and
  // [0.0833, 0.3333] -> [0.1, 0.3]; sum [0.4, 0.1] x 0.9 = [0.36, 0.09].
  ArrayGeometry g = geom(2, 2, 3, 3);
  g.parallel_rows = 1;
  auto phased = analog_matmul(x, w, g, p, false);
  EXPECT_NEAR(phased[0][0].item<float>(), 0.36f, 1e-6);
  EXPECT_NEAR(phased[0][1].item<float>(), 0.09f, 1e-6);
}

TEST(Analog, AdcClipsAtTheOutputBound) {
  auto x = torch::full({1, 20}, 0.5f);
  auto w = torch::full({20, 1}, 2.0f);
  AnalogParams p;
  p.out_noise = 0;  // bound 12: y = 20 full-scale products clip to 12
  auto y = analog_matmul(x, w, geom(512, 512, 7, 9), p, false);
  EXPECT_NEAR(y.item<float>(), 12 * 0.5f * 2.0f, 1e-5);
}

TEST(Analog, OutputAndWeightNoiseStatistics) {
  torch::manual_seed(1);
  AnalogParams p = ideal();
  p.out_noise = 0.06;
  // 100000 identical input rows: y = 1 + 0.06 N, scaled by alpha = 1, max|W| = 1.
  auto y = analog_matmul(torch::ones({100000, 1}), torch::ones({1, 1}), geom(512, 512, 0, 0), p, false);
  EXPECT_NEAR(y.mean().item<double>(), 1.0, 0.001);
  EXPECT_NEAR(y.std().item<double>(), 0.06, 0.0006);
  // Training weight noise: w + 0.1 max|W| N per weight, none in evaluation.
  p = ideal();
  p.weight_noise = 0.1;
  auto w = torch::full({1, 100000}, 0.5f);
  w[0][0] = -2.0f;  // max|W| = 2
  auto yt = analog_matmul(torch::ones({1, 1}), w, geom(1, 100000, 0, 0), p, true).narrow(1, 1, 99999);
  EXPECT_NEAR(yt.mean().item<double>(), 0.5, 0.003);
  EXPECT_NEAR(yt.std().item<double>(), 0.2, 0.002);
  auto ye = analog_matmul(torch::ones({1, 1}), w, geom(1, 100000, 0, 0), p, false);
  EXPECT_TRUE(torch::equal(ye, w));
}

TEST(Analog, GradientsPassStraightThroughToCleanWeights) {
  torch::manual_seed(2);
  auto x = torch::randn({5, 7}, torch::requires_grad());
  auto w = torch::randn({7, 3}, torch::requires_grad());
  AnalogParams p;
  p.weight_noise = 0.1;
  analog_matmul(x, w, geom(4, 2, 4, 4), p, true).sum().backward();
  // d(sum)/dW = x^T 1 whatever the quantisers did; the weight noise is a constant.
  EXPECT_LT(max_diff(w.grad(), x.detach().sum(0).unsqueeze(1).expand({7, 3})), 1e-5);
  EXPECT_EQ(x.grad().sizes().vec(), (std::vector<int64_t>{5, 7}));
}

TEST(Analog, IdealArraysReproduceExactLayers) {
  torch::manual_seed(3);
  NetBuilder b("t", {4, 9, 9});
  b.conv(6, 3, 2, 1, 2, NetBuilder::kLast, "grouped");  // 2 groups: 18 rows, 3 outputs each
  b.conv(6, 3, 1, 1, 6, NetBuilder::kLast, "depthwise");
  b.flatten();
  b.linear(5, NetBuilder::kLast, "fc");
  Network n = b.build();
  Layer& d = n.layers[n.find("grouped")];
  d.dilation_h = d.dilation_w = 2;
  d.pad_h = d.pad_w = 2;
  n.finalize();
  IrModel m(n);
  m->eval();
  auto x = torch::randn({3, 4, 9, 9});
  auto exact = m->forward_all(x);
  // Small arrays (several row and column blocks), and depthwise groups packed three to an array.
  std::vector<ArrayGeometry> g(n.layers.size());
  g[n.find("grouped")] = geom(5, 2, 0, 0);
  g[n.find("depthwise")] = geom(27, 3, 0, 0, 3);
  g[n.find("fc")] = geom(40, 2, 0, 0);
  m->set_analog(ideal(), g);
  auto analog = m->forward_all(x);
  for (size_t i = 1; i < n.layers.size(); ++i) EXPECT_LT(max_diff(analog[i], exact[i]), 1e-4) << n.layers[i].name;
}

TEST(Analog, GeometryFromTheMapper) {
  Network n = zoo::build("fmnist-cnn");
  ArchConfig arch = load_arch(std::string(TESSERA_SOURCE_DIR) + "/configs/arch/pcm-8b.toml");
  auto g = array_geometry(n, map_network(n, arch), arch);
  const ArrayGeometry& fc = g[n.find("fc")];
  // 256 x 256 arrays holding one 8-bit weight per differential column pair: 128 weights per array.
  EXPECT_TRUE(fc.analog);
  EXPECT_EQ(fc.rows, 256);
  EXPECT_EQ(fc.cols, 128);
  EXPECT_EQ(fc.adc_bits, 8);
  EXPECT_EQ(fc.dac_bits, 8);
  EXPECT_FALSE(g[n.find("conv1") + 1].analog);  // batchnorm: digital
  AnalogParams p;
  p.arch = std::string(TESSERA_SOURCE_DIR) + "/configs/arch/pcm-8b.toml";
  EXPECT_EQ(array_geometry_for(n, p)[n.find("conv2")].cols, 128);
  p.arch.clear();
  EXPECT_EQ(array_geometry_for(n, p)[n.find("conv2")].cols, 512);
}

// Zoo networks: shapes and multiply-accumulate counts against published totals.
#include <gtest/gtest.h>

#include "workloads/zoo/zoo.hpp"

using namespace tessera;

TEST(Zoo, Vgg8MatchesNeuroSimDefinition) {
  Network n = zoo::build("vgg8");
  // imc-facts section 6: 615.9 M MACs.
  EXPECT_NEAR(double(n.macs()), 615.9e6, 0.05e6);
  int fc1 = n.find("fc1");
  ASSERT_GE(fc1, 0);
  EXPECT_EQ(n.layers[fc1].matrix_rows(), 8192);
  EXPECT_EQ(n.layers[n.find("fc2")].out.c, 10);
  EXPECT_EQ(n.weight_layers().size(), 8u);
}

TEST(Zoo, ResNet18MatchesPublishedTotals) {
  Network n = zoo::build("resnet18");
  // He et al. 2016: 1.8 GFLOPs (MACs); 11.7 M parameters (weights of conv + fc, no BN).
  EXPECT_NEAR(double(n.macs()) / 1e9, 1.82, 0.01);
  EXPECT_NEAR(double(n.weights()) / 1e6, 11.68, 0.05);
  const Layer& c1 = n.layers[n.find("conv1")];
  EXPECT_EQ(c1.out, (Shape{64, 112, 112}));
  EXPECT_EQ(n.layers.back().out, (Shape{1000, 1, 1}));
  // 20 weight layers: 17 3x3/7x7 convs, 3 downsample convs, fc... 16 + 1 + 3 + 1 = 21.
  EXPECT_EQ(n.weight_layers().size(), 21u);
}

TEST(Zoo, ResNet20MatchesPublishedTotals) {
  Network n = zoo::build("resnet20");
  EXPECT_NEAR(double(n.macs()) / 1e6, 40.6, 0.5);
  EXPECT_NEAR(double(n.weights()) / 1e6, 0.27, 0.01);
  EXPECT_EQ(n.weight_layers().size(), 20u);
  EXPECT_EQ(n.layers.back().out, (Shape{10, 1, 1}));
}

TEST(Zoo, FashionMnistCnnShapes) {
  Network n = zoo::build("fmnist-cnn");
  EXPECT_EQ(n.input, (Shape{1, 28, 28}));
  EXPECT_EQ(n.layers[n.find("fc")].matrix_rows(), 64 * 3 * 3);
  // 28*28*16*9 + 14*14*32*16*9 + 7*7*64*32*9 + 576*10
  EXPECT_EQ(n.macs(), 28 * 28 * 16 * 9 + 14 * 14 * 32 * 16 * 9 + 7 * 7 * 64 * 32 * 9 + 576 * 10);
}

TEST(Zoo, DepthwiseNetworkCountsGroups) {
  Network n = zoo::build("mobilenet-tiny");
  const Layer& dw = n.layers[n.find("dw1")];
  EXPECT_EQ(dw.groups, 32);
  EXPECT_EQ(dw.matrix_rows(), 9);
  EXPECT_EQ(dw.matrix_cols(), 1);
  EXPECT_EQ(dw.weights(), 9 * 32);
  EXPECT_EQ(dw.macs(), 9 * 32 * 32 * 32);
}

TEST(Zoo, PrecisionParameters) {
  Network n = zoo::build("vgg8:wbits=16,abits=4");
  EXPECT_EQ(n.layers[n.find("conv1")].weight_bits, 16);
  EXPECT_EQ(n.layers[n.find("conv1")].activation_bits, 4);
}

TEST(Zoo, AnalogNasFamily) {
  Network a = zoo::build("analognas:stem=16,blocks=2-2,branches=1-2,widen=0.5-0.5");
  // Group widths: 16 -> 24 -> 36.
  EXPECT_EQ(a.layers[a.find("g1.b0.br0.conv1")].out.c, 24);
  EXPECT_EQ(a.layers[a.find("g2.b0.br1.conv1")].out.c, 36);
  EXPECT_EQ(a.layers[a.find("g2.b0.br1.conv1")].out.h, 16);
  // Sampling is deterministic in the seed and stays inside the space.
  for (int seed = 0; seed < 50; ++seed) {
    auto s1 = zoo::sample_analognas(seed, 10, {3, 32, 32});
    auto s2 = zoo::sample_analognas(seed, 10, {3, 32, 32});
    EXPECT_EQ(s1.blocks, s2.blocks);
    ASSERT_GE(s1.blocks.size(), 1u);
    ASSERT_LE(s1.blocks.size(), 4u);
    for (size_t g = 0; g < s1.blocks.size(); ++g) {
      EXPECT_GE(s1.blocks[g], 1);
      EXPECT_LE(s1.blocks[g], 15);
      EXPECT_GE(s1.branches[g], 1);
      EXPECT_LE(s1.branches[g], 4);
      EXPECT_GE(s1.widen[g], 0.5);
      EXPECT_LE(s1.widen[g], 0.8 + 1e-9);
    }
  }
  Network r = zoo::build("analognas:seed=3");
  EXPECT_GT(r.macs(), 0);
}

TEST(Zoo, BadSpecsAreInputErrors) {
  EXPECT_THROW(zoo::build("nosuchnet"), InputError);
  EXPECT_THROW(zoo::build("vgg8:wbits=0"), InputError);
  EXPECT_THROW(zoo::build("vgg8:colour=red"), InputError);
  EXPECT_THROW(zoo::build("analognas:widen=0.9"), InputError);
  EXPECT_THROW(zoo::build("analognas:blocks=1-1-1-1-1"), InputError);
  try {
    zoo::build("resnet18:classes=x");
  } catch (const InputError& e) {
    EXPECT_EQ(e.key(), "classes");
    EXPECT_NE(std::string(e.what()).find("not an integer"), std::string::npos);
  }
}

TEST(Zoo, ParametricCnnDefaultsAreFmnistCnn) {
  Network c = zoo::build("cnn");
  Network f = zoo::build("fmnist-cnn");
  ASSERT_EQ(c.layers.size(), f.layers.size());
  for (size_t i = 0; i < c.layers.size(); ++i) {
    EXPECT_EQ(c.layers[i].name, f.layers[i].name);
    EXPECT_EQ(c.layers[i].out, f.layers[i].out);
  }
  EXPECT_EQ(c.macs(), f.macs());
}

TEST(Zoo, ParametricCnnPerLayerKernelsAndWidths) {
  Network n = zoo::build("cnn:kernels=3-5-7,widths=8-16-24,pool=1-1-0");
  EXPECT_EQ(n.layers[n.find("conv2")].kernel_h, 5);
  EXPECT_EQ(n.layers[n.find("conv3")].kernel_h, 7);
  EXPECT_EQ(n.layers[n.find("conv3")].out, (Shape{24, 7, 7}));  // two pools: 28 -> 7, no third
  // conv2: 5*5*8 rows, 16 columns; fc reads 24*7*7 inputs.
  EXPECT_EQ(n.layers[n.find("conv2")].matrix_rows(), 5 * 5 * 8);
  EXPECT_EQ(n.layers[n.find("fc")].matrix_rows(), 24 * 7 * 7);
  // Pooling stops at 1x1 however deep the network is.
  Network d = zoo::build("cnn:kernels=3-3-3-3-3-3,widths=4");
  EXPECT_EQ(d.layers[d.find("conv6")].out, (Shape{4, 1, 1}));
  Network rgb = zoo::build("cnn:kernels=3,input=3x32x32,classes=100");
  EXPECT_EQ(rgb.layers.back().out, (Shape{100, 1, 1}));
  EXPECT_THROW(zoo::build("cnn:kernels=4"), InputError);
  EXPECT_THROW(zoo::build("cnn:kernels=3-3,widths=8-8-8"), InputError);
  EXPECT_THROW(zoo::build("cnn:input=28x28"), InputError);
}

TEST(Zoo, AnalogNasFamilyForAnyInputShape) {
  Network a = zoo::build("analognas:stem=8,blocks=1-1,input=1x28x28");
  EXPECT_EQ(a.input, (Shape{1, 28, 28}));
  EXPECT_EQ(a.layers[a.find("stem")].matrix_rows(), 9);
  EXPECT_EQ(a.layers[a.find("g2.b0.br0.conv1")].out.h, 14);
}

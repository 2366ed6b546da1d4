// The libtorch model built from the IR: every layer's output shape and the
// parameter count are the IR's; add zero-extends, concat stacks channels.
#include <gtest/gtest.h>

#include "nas/ir_model.hpp"
#include "workloads/ir/builder.hpp"
#include "workloads/zoo/zoo.hpp"

using namespace tessera;
using namespace tessera::nas;

namespace {

// Every layer type, with stride, padding, dilation, groups and a channel-extending add.
Network all_layer_types() {
  NetBuilder b("all-types", {3, 12, 12});
  b.conv(8, 3, 1, NetBuilder::kSame, 1, NetBuilder::kLast, "stem");
  b.batchnorm();
  int r = b.relu();
  int dil = b.conv(8, 3, 1, 1, 2, r, "dilated");  // made dilation 2, padding 2 below
  int grp = b.conv(16, 3, 2, 1, 4, r, "grouped");   // (12 + 2 - 3) / 2 + 1 = 6
  int pool = b.maxpool(2, 2, 0, dil);                // 6 x 6
  b.add({pool, grp});                                // 8 channels zero-extended to 16
  int avg = b.avgpool(3, 1, 1);
  int cat = b.concat({avg, grp});
  b.global_avgpool(cat);
  b.flatten();
  b.linear(5, NetBuilder::kLast, "fc");
  Network n = b.build();
  Layer& d = n.layers[n.find("dilated")];
  d.dilation_h = d.dilation_w = 2;
  d.pad_h = d.pad_w = 2;  // 12 + 4 - 2 * 2 - 1 + 1 = 12: shape unchanged
  n.finalize();
  return n;
}

int64_t ir_parameters(const Network& n) {
  int64_t p = 0;
  for (const auto& l : n.layers) {
    p += l.weights();
    if (l.has_weights() && l.bias) p += l.out_channels;
    if (l.type == LayerType::BatchNorm) p += 2 * l.in.c;  // scale and shift
  }
  return p;
}

}  // namespace

TEST(IrModel, ShapesAndParameterCountsMatchTheIr) {
  torch::manual_seed(0);
  std::vector<Network> nets = {zoo::build("fmnist-cnn"), zoo::build("resnet20"), zoo::build("mobilenet-tiny"),
                               zoo::build("analognas:seed=4"), all_layer_types()};
  for (const Network& net : nets) {
    IrModel m(net);
    auto outs = m->forward_all(torch::randn({2, net.input.c, net.input.h, net.input.w}));
    ASSERT_EQ(outs.size(), net.layers.size()) << net.name;
    for (size_t i = 0; i < outs.size(); ++i) {
      const Shape& s = net.layers[i].out;
      EXPECT_EQ(outs[i].sizes().vec(), (std::vector<int64_t>{2, s.c, s.h, s.w}))
          << net.name << " layer " << net.layers[i].name;
    }
    auto y = m->forward(torch::randn({3, net.input.c, net.input.h, net.input.w}));
    EXPECT_EQ(y.sizes().vec(), (std::vector<int64_t>{3, net.layers.back().out.size()})) << net.name;

    int64_t weights = 0, params = 0;
    for (int i : net.weight_layers())
      weights += (net.layers[i].type == LayerType::Conv2d ? m->conv(i)->weight : m->linear(i)->weight).numel();
    for (const auto& p : m->parameters()) params += p.numel();
    EXPECT_EQ(weights, net.weights()) << net.name;
    EXPECT_EQ(params, ir_parameters(net)) << net.name;
  }
}

TEST(IrModel, GroupedAndDilatedConvolutionsKeepTheirOptions) {
  Network n = all_layer_types();
  IrModel m(n);
  const auto& g = m->conv(n.find("grouped"))->options;
  EXPECT_EQ(g.groups(), 4);
  EXPECT_EQ(g.stride()->at(0), 2);
  EXPECT_EQ(m->conv(n.find("grouped"))->weight.sizes().vec(), (std::vector<int64_t>{16, 2, 3, 3}));
  EXPECT_EQ(m->conv(n.find("dilated"))->options.dilation()->at(1), 2);
}

TEST(IrModel, AddZeroExtendsAndConcatStacks) {
  // x has 4 channels of 1x1: [1, 2, 3, 4]. conv "a" (1x1, 2 outputs) is set to
  // a0 = 10 x0, a1 = x3. add(a, x) = [a0 + x0, a1 + x1, x2, x3] = [11, 6, 3, 4];
  // concat(a, x) = [10, 4, 1, 2, 3, 4].
  NetBuilder b("addcat", {4, 1, 1});
  int a = b.conv(2, 1, 1, 0, 1, 0, "a");
  b.add({a, 0});
  b.concat({a, 0});
  Network n = b.build();
  IrModel m(n);
  {
    torch::NoGradGuard ng;
    auto& w = m->conv(a)->weight;
    w.zero_();
    w[0][0][0][0] = 10;
    w[1][3][0][0] = 1;
  }
  auto outs = m->forward_all(torch::tensor({1.0f, 2.0f, 3.0f, 4.0f}).reshape({1, 4, 1, 1}));
  auto add = outs[n.find("add2")].flatten();
  auto cat = outs.back().flatten();
  EXPECT_TRUE(torch::equal(add, torch::tensor({11.0f, 6.0f, 3.0f, 4.0f}))) << add;
  EXPECT_TRUE(torch::equal(cat, torch::tensor({10.0f, 4.0f, 1.0f, 2.0f, 3.0f, 4.0f}))) << cat;
}

TEST(IrModel, ModuleNamesHaveNoDots) {
  EXPECT_EQ(module_name(7, "layer1.0.conv1"), "7_layer1_0_conv1");
  IrModel m(zoo::build("resnet20"));
  for (const auto& item : m->named_parameters()) EXPECT_EQ(item.key().find("layer1.0"), std::string::npos);
}

// Network IR: shape inference and checks.
#include <gtest/gtest.h>

#include "workloads/ir/builder.hpp"

using namespace tessera;

TEST(Ir, ConvShapeInferenceWithStrideDilationPadding) {
  NetBuilder b("t", {3, 32, 32});
  b.conv(8, 3, 2, 1);  // (32 + 2 - 2 - 1)/2 + 1 = 16
  EXPECT_EQ(b.shape(NetBuilder::kLast), (Shape{8, 16, 16}));
  Network n = b.build();
  n.layers.push_back(n.layers.back());
  Layer& d = n.layers.back();
  d.name = "dilated";
  d.inputs = {1};
  d.dilation_h = d.dilation_w = 2;
  d.stride_h = d.stride_w = 1;
  d.pad_h = d.pad_w = 0;
  n.finalize();  // (16 - 2*2 - 1)/1 + 1 = 12
  EXPECT_EQ(n.layers.back().out, (Shape{8, 12, 12}));
}

TEST(Ir, PoolingAndGlobalPooling) {
  NetBuilder b("t", {4, 9, 9});
  b.maxpool(3, 2, 1);  // (9 + 2 - 3)/2 + 1 = 5
  EXPECT_EQ(b.shape(NetBuilder::kLast), (Shape{4, 5, 5}));
  b.avgpool(2, 2);
  EXPECT_EQ(b.shape(NetBuilder::kLast), (Shape{4, 2, 2}));
  b.global_avgpool();
  EXPECT_EQ(b.shape(NetBuilder::kLast), (Shape{4, 1, 1}));
  b.flatten();
  b.linear(3);
  EXPECT_EQ(b.shape(NetBuilder::kLast), (Shape{3, 1, 1}));
}

TEST(Ir, ConcatAddsChannelsAddZeroExtends) {
  NetBuilder b("t", {4, 8, 8});
  int a = b.conv(6, 1);
  int c = b.conv(10, 3, 1, 1, 1, 0);
  int cat = b.concat({a, c});
  EXPECT_EQ(b.shape(cat), (Shape{16, 8, 8}));
  int s = b.add({a, c});
  EXPECT_EQ(b.shape(s), (Shape{10, 8, 8}));
}

TEST(Ir, ConsumersAndMacs) {
  NetBuilder b("t", {2, 4, 4});
  int c = b.conv(3, 3);
  b.relu(c);
  b.relu(c);
  Network n = b.build();
  auto cons = n.consumers();
  EXPECT_EQ(cons[c].size(), 2u);
  EXPECT_EQ(n.macs(), 4 * 4 * 3 * 2 * 9);
}

TEST(Ir, RejectsBadLayers) {
  NetBuilder b("t", {3, 8, 8});
  EXPECT_THROW(b.conv(8, 3, 1, 1, 2), InputError);   // 3 channels not divisible by 2 groups
  EXPECT_THROW(b.conv(8, 11, 1, 0), InputError);     // kernel larger than input
  EXPECT_THROW(b.maxpool(2, 2, 2), InputError);      // padding above half the kernel
  NetBuilder b2("t", {3, 8, 8});
  int x = b2.conv(4, 3);
  int y = b2.maxpool(2, 2, 0, 0);
  EXPECT_THROW(b2.add({x, y}), InputError);          // 8x8 + 4x4
}

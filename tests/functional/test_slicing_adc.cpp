// ADC, weight and input slicing, and a tiny layer worked out by hand through
// DACs, arrays, ADCs and shift-and-add, under offset and differential encoding.
#include <gtest/gtest.h>

#include "arch/functional/adc.hpp"
#include "arch/functional/slicing.hpp"
#include "functional_helpers.hpp"
#include "workloads/ir/builder.hpp"

using namespace tessera;
using namespace tessera::functional;
using tessera::functional::test::preset;

TEST(Adc, StepFromFullScale) {
  // ISAAC: 128 rows x 1-bit DAC x 2-bit cells: FS = 384; 8 bits cover 0..255, so k = 1.
  Adc a = Adc::for_array(128, 1, 2, 8);
  EXPECT_EQ(a.full_scale, 384);
  EXPECT_EQ(a.step_log2, 1);
  EXPECT_EQ(a.convert(3.0), 4);      // round(1.5) = 2 steps of 2
  EXPECT_EQ(a.convert(2.9), 2);      // round(1.45) = 1
  EXPECT_EQ(a.convert(384.0), 384);
  EXPECT_EQ(a.convert(600.0), 510);  // clamped at code 255
  EXPECT_EQ(a.convert(-3.0), 0);
  // 9 bits: 512 codes >= 385 values, k = 0 and integers convert exactly.
  Adc b = Adc::for_array(128, 1, 2, 9);
  EXPECT_EQ(b.step_log2, 0);
  for (int s = 0; s <= 384; ++s) EXPECT_EQ(b.convert(double(s)), s);
  // FS + 1 exactly a power of two times 2^bits: 3 rows x 1 x 1 = 3, 2 bits: 4 codes >= 4 values.
  EXPECT_EQ(Adc::for_array(3, 1, 1, 2).step_log2, 0);
  EXPECT_EQ(Adc::for_array(4, 1, 1, 2).step_log2, 1);
  // 4-bit DAC and cells over 256 rows: FS = 256 * 15 * 15 = 57600 -> 8 bits need k = 8 (65536 >= 57601).
  EXPECT_EQ(Adc::for_array(256, 4, 4, 8).step_log2, 8);
}

TEST(Slicing, WeightDigitsAndColumns) {
  WeightSlicing off{4, 2, SignedEncoding::Offset};
  EXPECT_EQ(off.slices(), 2);
  EXPECT_EQ(off.cols_per_weight(), 2);
  EXPECT_EQ(off.offset(), 8);
  // q = -3 -> u = 5 = 01 01.
  EXPECT_EQ(off.stored(-3, false), 5);
  EXPECT_EQ(off.digit(5, 0), 1);
  EXPECT_EQ(off.digit(5, 1), 1);
  EXPECT_EQ(off.column(3, 1, false), 7);
  WeightSlicing diff{4, 2, SignedEncoding::Differential};
  EXPECT_EQ(diff.cols_per_weight(), 4);
  EXPECT_EQ(diff.offset(), 0);
  EXPECT_EQ(diff.stored(-3, false), 0);
  EXPECT_EQ(diff.stored(-3, true), 3);
  EXPECT_EQ(diff.column(1, 1, true), 7);  // weight 1: columns 4..7 = s0+, s0-, s1+, s1-
  // Bits not a multiple of the cell: 5 bits in 3 digits of 2, the top one holding one bit.
  WeightSlicing odd{5, 2, SignedEncoding::Offset};
  EXPECT_EQ(odd.slices(), 3);
  EXPECT_EQ(odd.stored(15, false), 31);
  EXPECT_EQ(odd.digit(31, 2), 1);

  InputSlicing in{3, 1};
  EXPECT_EQ(in.cycles(), 3);
  EXPECT_EQ(in.digit(5, 0), 1);
  EXPECT_EQ(in.digit(5, 1), 0);
  EXPECT_EQ(in.digit(5, 2), 1);
  InputSlicing in2{5, 2};
  EXPECT_EQ(in2.cycles(), 3);
  EXPECT_EQ(in2.digit(27, 0), 3);  // 27 = 01 10 11
  EXPECT_EQ(in2.digit(27, 1), 2);
  EXPECT_EQ(in2.digit(27, 2), 1);
  EXPECT_EQ(in2.shift(2), 4);
}

namespace {

// A linear layer of 3 inputs and 2 outputs, 4-bit weights and 3-bit inputs,
// q = [[3, -2, 1], [-7, 0, 5]], x = [5, 2, 7], unit scales: the exact outputs
// are 3*5 - 2*2 + 7 = 18 and -35 + 35 = 0.
struct Tiny {
  Network net;
  ArchConfig arch;
  Mapping map;
  Program prog;
  QuantizedNet q;
  InputImage image;
  explicit Tiny(std::vector<std::string> sets) {
    NetBuilder b("tiny", {3, 1, 1}, 4, 3);
    b.linear(2, NetBuilder::kLast, "fc");
    net = b.build();
    arch = preset("isaac", sets);
    map = map_network(net, arch);
    prog = compile(net, arch, map);
    q.layers.resize(net.layers.size());
    QuantLayer& l = q.at(1);
    l.layer = 1;
    l.weight_bits = 4;
    l.q = {3, -2, 1, -7, 0, 5};
    l.weight_scale = {1.0};
    l.input = {3, false, 1.0};
    image.real = Tensor(net.input);
    image.real.v = {5, 2, 7};
  }
  std::vector<double> run(Datapath& dp) { return dp.run(image); }
};

}  // namespace

TEST(TinyLayer, OffsetEncodingByHand) {
  Tiny t({"tile_class.isaac.adc.bits=4"});
  Datapath dp(t.net, t.arch, t.map, t.prog, t.q, {});
  const CrossbarArray& a = dp.array(0, 0, 0);
  ASSERT_EQ(a.rows, 3);
  ASSERT_EQ(a.cols, 5);  // 2 weights x 2 slices + the reference column
  // u = q + 8 = [[11, 6, 9], [1, 8, 13]] as (low, high) 2-bit digits; the reference column at the top level 3.
  const std::vector<int32_t> want = {3, 2, 1, 0, 3,   // row 0: 11 = 10 11, 1 = 00 01
                                     2, 1, 0, 2, 3,   // row 1: 6 = 01 10, 8 = 10 00
                                     1, 2, 1, 3, 3};  // row 2: 9 = 10 01, 13 = 11 01
  EXPECT_EQ(a.digits, want);
  EXPECT_EQ(a.ref_col, 4);
  EXPECT_EQ(a.adc.full_scale, 9);  // 3 rows x 1 x 3
  EXPECT_EQ(a.adc.step_log2, 0);   // 4 bits cover 0..15
  // Per column sum over cycles: 130 = 11*5 + 6*2 + 9*7, minus 8 * (5 + 2 + 7) = 18; 112 - 112 = 0.
  EXPECT_EQ(t.run(dp), (std::vector<double>{18, 0}));
  EXPECT_EQ(t.run(dp), logits_of(run_reference(t.net, t.q, t.image)));
}

TEST(TinyLayer, CoarseAdcByHand) {
  // 2-bit ADC: k = 2 (4 codes x 4 >= 10 values), values 0, 4, 8, 12.
  Tiny t({"tile_class.isaac.adc.bits=2"});
  Datapath dp(t.net, t.arch, t.map, t.prog, t.q, {});
  EXPECT_EQ(dp.adc_step_log2(0), 2);
  // Input bits per cycle (LSB first): [1,0,1], [0,1,1], [1,0,1]. Column sums and conversions:
  //   col 0 (digits 3,2,1): 4, 3, 4 -> 4, 4, 4 -> 4 + 8 + 16 = 28
  //   col 1 (digits 2,1,2): 4, 3, 4 -> 28
  //   col 2 (digits 1,0,1): 2, 1, 2 -> 4, 0, 4 -> 4 + 0 + 16 = 20 (2/4 rounds up, 1/4 down)
  //   col 3 (digits 0,2,3): 3, 5, 3 -> 4, 4, 4 -> 28
  //   ref   (digits 3,3,3): 6, 6, 6 -> 8, 8, 8 -> 56
  // out0 = 28 + 4 * 28 - 8 * 56 / 3 = 140 - 149.33; out1 = 20 + 4 * 28 - 149.33.
  std::vector<double> out = t.run(dp);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_DOUBLE_EQ(out[0], 140 - 8 * 56 / 3.0);
  EXPECT_DOUBLE_EQ(out[1], 132 - 8 * 56 / 3.0);
}

TEST(Adc, RangeSetsTheStep) {
  const Adc full = Adc::for_array(128, 1, 2, 8);  // FS = 384
  EXPECT_EQ(full.range, 384);
  // A range of 100 fits 8 bits exactly; 4 bits need 2^(4+3) >= 101.
  EXPECT_EQ(full.with_range(100).step_log2, 0);
  EXPECT_EQ(Adc::for_array(128, 1, 2, 4).with_range(100).step_log2, 3);
  EXPECT_EQ(full.with_range(100).convert(300.0), 255);  // clips at the top code
  EXPECT_EQ(full.with_range(0).range, 1);               // an all-zero column still has one step
  EXPECT_EQ(full.with_range(1000).range, 384);          // never beyond the worst case
  // AIHWKit's 9-bit ADC over +-12: 510 steps of 24/510, codes -255..255.
  const AdcTransfer t = AdcTransfer::symmetric(9, 12.0);
  EXPECT_DOUBLE_EQ(t.step, 24.0 / 510);
  EXPECT_EQ(t.min_code, -255);
  EXPECT_EQ(t.max_code, 255);
  EXPECT_DOUBLE_EQ(t.convert(100.0), 12.0);
  EXPECT_DOUBLE_EQ(t.convert(-0.5 * t.step), 0.0);  // half up
  EXPECT_DOUBLE_EQ(t.convert(0.5 * t.step), t.step);
}

// The tiny layer with a 2-bit ADC (see CoarseAdcByHand for its column sums per
// cycle: col 0: 4,3,4; col 1: 4,3,4; col 2: 2,1,2; col 3: 3,5,3; ref: 6,6,6).
TEST(TinyLayer, CalibratedRangePerColumnByHand) {
  Tiny t({"tile_class.isaac.adc.bits=2", "tile_class.isaac.adc.range.mode=calibrated",
          "tile_class.isaac.adc.range.scope=column"});
  Datapath dp(t.net, t.arch, t.map, t.prog, t.q, {});
  EXPECT_EQ(dp.adc_step_log2(0), 2);  // full range until calibrated
  dp.calibrate_adc({t.image});
  // Peaks 4, 4, 2, 5, 6: k = 1 (8 >= 5), 1, 0 (4 >= 3), 1, 1.
  const CrossbarArray& a = dp.array(0, 0, 0);
  std::vector<int> k;
  for (const Adc& c : a.adcs) k.push_back(c.step_log2);
  EXPECT_EQ(k, (std::vector<int>{1, 1, 0, 1, 1}));
  EXPECT_EQ(a.adcs[3].range, 5);
  // col 0: 4,4,4 -> 28; col 1: 28; col 2 exact: 2 + 2 + 8 = 12; col 3: 4,6,4 -> 32; ref: 6,6,6 -> 42.
  // out0 = 28 + 4 * 28 - 8 * 42 / 3 = 28; out1 = 12 + 4 * 32 - 112 = 28 (full range: -9.3, -17.3).
  EXPECT_EQ(t.run(dp), (std::vector<double>{28, 28}));
}

TEST(TinyLayer, CalibratedRangePerArrayAndClipRatio) {
  // One range per array: the peak 6 gives k = 1 for every column; col 2 then reads 2,2,2 -> 14.
  Tiny t({"tile_class.isaac.adc.bits=2", "tile_class.isaac.adc.range.mode=calibrated"});
  Datapath dp(t.net, t.arch, t.map, t.prog, t.q, {});
  dp.calibrate_adc({t.image});
  EXPECT_EQ(dp.adc_step_log2(0), 1);
  EXPECT_EQ(t.run(dp), (std::vector<double>{28, 30}));
  // A clip ratio of 0.5: R = ceil(4.5) = 5, k = 1 everywhere, no calibration run needed.
  Tiny c({"tile_class.isaac.adc.bits=2", "tile_class.isaac.adc.range.mode=clip", "tile_class.isaac.adc.range.clip_ratio=0.5"});
  Datapath dc(c.net, c.arch, c.map, c.prog, c.q, {});
  EXPECT_EQ(dc.adc_step_log2(0), 1);
  EXPECT_EQ(c.run(dc), (std::vector<double>{28, 30}));
  // Settings carry over to another datapath of the same chip (the evaluation's device draws).
  Datapath other(t.net, t.arch, t.map, t.prog, t.q, {});
  other.set_adc_settings(dp.adc_settings());
  EXPECT_EQ(t.run(other), (std::vector<double>{28, 30}));
}

TEST(TinyLayer, DifferentialEncodingByHand) {
  Tiny t({"tile_class.isaac.adc.bits=4", "mapping.signed_weights=differential"});
  Datapath dp(t.net, t.arch, t.map, t.prog, t.q, {});
  const CrossbarArray& a = dp.array(0, 0, 0);
  ASSERT_EQ(a.cols, 8);  // 2 weights x 2 slices x (q+, q-); no reference column
  EXPECT_EQ(a.ref_col, -1);
  // Columns per weight: s0+, s0-, s1+, s1-. q+ = [[3,0,1],[0,0,5]], q- = [[0,2,0],[7,0,0]].
  const std::vector<int32_t> want = {3, 0, 0, 0, 0, 3, 0, 1,   // 3 | -7 = 01 11
                                     0, 2, 0, 0, 0, 0, 0, 0,   // -2 | 0
                                     1, 0, 0, 0, 1, 0, 1, 0};  // 1 | 5 = 01 01
  EXPECT_EQ(a.digits, want);
  EXPECT_EQ(t.run(dp), (std::vector<double>{18, 0}));
}

TEST(TinyLayer, TwoBitDacs) {
  // 3-bit inputs over 2-bit DACs: 2 input cycles (x = 5 -> 1, 1; 2 -> 2, 0; 7 -> 3, 1); FS = 3 * 3 * 3 = 27 -> 5 bits exact.
  Tiny t({"tile_class.isaac.adc.bits=5", "tile_class.isaac.dac.bits=2"});
  Datapath dp(t.net, t.arch, t.map, t.prog, t.q, {});
  EXPECT_EQ(dp.array(0, 0, 0).adc.full_scale, 27);
  EXPECT_EQ(dp.adc_step_log2(0), 0);
  EXPECT_EQ(t.run(dp), (std::vector<double>{18, 0}));
}

TEST(TinyLayer, SignedInputsUseTheCodeOffset) {
  // x = [-3, 2, 1] as 3-bit signed codes (offset 4): [1, 6, 5]; out0 = -9 - 4 + 1 = -12, out1 = 21 + 5 = 26.
  Tiny t({"tile_class.isaac.adc.bits=4"});
  t.image.real.v = {-3, 2, 1};
  t.q.at(1).input.is_signed = true;
  Datapath dp(t.net, t.arch, t.map, t.prog, t.q, {});
  EXPECT_EQ(t.run(dp), (std::vector<double>{-12, 26}));
  EXPECT_EQ(logits_of(run_reference(t.net, t.q, t.image)), (std::vector<double>{-12, 26}));
}

TEST(PackedArrays, DepthwiseBlocksHoldTheOffsetOffDiagonal) {
  // Depthwise 3x3 over 4 channels: 4 groups of 9 rows x 1 column packed into one array.
  NetBuilder b("dw", {4, 5, 5}, 4, 3);
  b.conv(4, 3, 1, 1, 4, NetBuilder::kLast, "dw");
  test::Rig s(b.build(), preset("isaac", {"tile_class.isaac.adc.bits=9"}));
  ASSERT_EQ(s.map.layers[1].tiling.groups_per_xbar, 4);
  Datapath dp(s.net, s.arch, s.map, s.prog, s.q, {});
  const CrossbarArray& a = dp.array(0, 0, 0);
  ASSERT_EQ(a.rows, 36);
  ASSERT_EQ(a.cols, 4 * 2 + 1);
  for (int lr = 0; lr < a.rows; ++lr)
    for (int w = 0; w < 4; ++w) {
      const int64_t q = w == lr / 9 ? s.q.at(1).q[size_t(w * 9 + lr % 9)] : 0;
      EXPECT_EQ(a.digits[size_t(lr * a.cols + 2 * w)], (q + 8) & 3) << lr << " " << w;
      EXPECT_EQ(a.digits[size_t(lr * a.cols + 2 * w + 1)], (q + 8) >> 2) << lr << " " << w;
    }
  EXPECT_EQ(dp.run(s.image), s.reference());
}

// The ternary-layer compiler: operation counts by hand, shift counts of both
// layouts by hand, and step-by-step execution on the functional racetrack AP
// against the integer reference, with counts equal to the analytical ones.
#include <gtest/gtest.h>

#include <random>

#include "arch/ap/compiler/compile.hpp"
#include "arch/ap/compiler/cost.hpp"
#include "arch/ap/compiler/execute.hpp"
#include "arch/ap/compiler/fold.hpp"
#include "arch/ap/compiler/reference.hpp"
#include "workloads/ir/builder.hpp"

using namespace tessera;
using namespace tessera::ap;
using namespace tessera::ap::compiler;

namespace {

quant::TernaryWeights ternary(const quant::WeightDims& d, const std::vector<int8_t>& v) {
  quant::TernaryWeights t;
  t.dims = d;
  t.values = v;
  t.alpha = {1.0f};
  t.threshold = {0.0f};
  return t;
}

quant::TernaryWeights random_ternary(const quant::WeightDims& d, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> g(0.0f, 1.0f);
  std::vector<float> w(size_t(d.size()));
  for (auto& v : w) v = g(rng);
  return quant::ternarize(w, d, quant::TernaryParams::defaults());
}

CompilerParams params(bool cse, LayoutKind layout, int acc_bits = 0, int chunk = 0) {
  CompilerParams p = CompilerParams::defaults();
  p.cse = cse;
  p.layout = layout;
  p.accumulator_bits = acc_bits;
  p.chunk_inputs = chunk;
  return p;
}

// 4 inputs -> 3 outputs: o0 = x0 + x1 + x2, o1 = x0 + x1 - x3, o2 = -x0 - x1 + x2.
Network small_linear() {
  NetBuilder b("lin", Shape{4, 1, 1}, 2, 4);
  b.flatten();
  b.linear(3);
  return b.build();
}
const std::vector<int8_t> kBank{1, 1, 1, 0, 1, 1, 0, -1, -1, -1, 1, 0};

}  // namespace

TEST(Compiler, FoldingListsAddsAndSubtracts) {
  Network n = small_linear();
  const Layer& l = n.layers.back();
  FoldedLayer f = fold_weights(l, ternary({3, 4, 1, 1}, kBank));
  EXPECT_EQ(f.plus[1], (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(f.minus[1], (std::vector<int32_t>{3}));
  EXPECT_EQ(f.minus[2], (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(f.nonzeros(), 9);
}

TEST(Compiler, CseSavingsOnHandBank) {
  Network n = small_linear();
  const Layer& l = n.layers.back();
  auto w = ternary({3, 4, 1, 1}, kBank);
  RtmParams rtm = RtmParams::defaults();
  ApParams ap = ApParams::defaults();
  // Without CSE each output adds its first positive term and the next out of
  // place, then the third in place: 6 add/sub, no copies.
  Program before = compile_layer(l, w, params(false, LayoutKind::BitPlane), ap, rtm);
  EXPECT_EQ(before.stats.addsub, 6);
  EXPECT_EQ(before.stats.copies, 0);
  EXPECT_EQ(before.stats.mcm_adders, 6);
  // With CSE: t = x0 + x1, then o0 = x2 + t, o1 = t - x3, o2 = x2 - t.
  Program after = compile_layer(l, w, params(true, LayoutKind::BitPlane), ap, rtm);
  EXPECT_EQ(after.stats.addsub, 4);
  EXPECT_EQ(after.stats.copies, 0);
  EXPECT_EQ(after.stats.temps, 1);
  EXPECT_EQ(after.stats.mcm_adders, 4);
  // Auto accumulator: o1 lies in [-15, 30], o2 in [-30, 15]: 6 bits; one position, one DBC of rows.
  EXPECT_EQ(after.accumulator_bits, 6);
  EXPECT_EQ(after.rows, 32);
  EXPECT_EQ(after.tiles(), 1);
}

// A hand-written program: acc = in0 + in1 + in2 (4-bit inputs, 6-bit accumulator).
namespace {
Step addsub(int32_t dst, int32_t base, int base_bits, int32_t src, int src_bits, int bits) {
  Step s;
  s.op = Op::Add;
  s.dst = dst, s.base = base, s.base_bits = int16_t(base_bits), s.src = src, s.src_bits = int16_t(src_bits);
  s.bits = int16_t(bits);
  return s;
}
Program three_input_sum() {
  Program p;
  p.positions = 1;
  p.rows = 32;
  p.activation_bits = 4;
  p.accumulator_bits = 6;
  p.fields = {{Role::Input, 0, 4}, {Role::Input, 1, 4}, {Role::Input, 2, 4}, {Role::Accumulator, 0, 6}};
  p.steps = {
      addsub(3, 0, 4, 1, 4, 5),  // acc <- in0 + in1: [0, 30], 5 bits, out of place
      addsub(3, 3, 5, 2, 4, 6),  // acc += in2: [0, 45], 6 bits
  };
  for (const Step& s : p.steps) expand(s, [&](const BitOp& b) { p.stats.passes += b.passes; });
  return p;
}
}  // namespace

TEST(Compiler, ShiftsOfFieldMajorLayoutByHand) {
  // One group: in0 at domains 0-3, in1 4-7, in2 8-11, acc 12-17, all under
  // port 0 (static choice), track starting at offset 0. Per bit: read src,
  // read base, write dst.
  //  acc <- in0 + in1: bit 0: 4 (4), 0 (4), 12 (12); bits 1-3: 7 + 4 + 12;
  //                    bit 4 (both operands past their bits): write 16 (1)   -> 90
  //  acc += in2: bit 0: 8 (8), 12 (4), 12 (0); bits 1-3: 3 + 4;
  //              bit 4: read and write 16 (1); bit 5: write 17 (1)          -> 35
  RtmParams rtm = RtmParams::defaults();
  Program p = three_input_sum();
  Layout l = Layout::build(LayoutKind::FieldMajor, p.fields, rtm);
  EXPECT_EQ(l.groups(), 1);
  EXPECT_EQ(l.at(3, 0).domain, 12);
  std::vector<Dbc> g(1, Dbc(rtm));
  EXPECT_EQ(trace_shifts(p, l, g), (std::vector<int64_t>{90, 35}));
  ProgramCost c = analyse(p, l, rtm, ApParams::defaults());
  EXPECT_EQ(c.rtm.shifts, 125);
  // Passes: 1 + 16 + 2 (bit 4 zero-extends in1), 1 + 16 + 2 * 2.
  EXPECT_EQ(c.passes, 19 + 21);
  EXPECT_EQ(c.rtm.reads, 8 + 9);
  EXPECT_EQ(c.rtm.writes, 5 + 6);
}

TEST(Compiler, ShiftsOfBitPlaneLayoutByHand) {
  // Planes: inputs bit j in group j (slot 0 at domain 0, slot 1 at domain 32
  // under port 1, slot 2 at domain 1), accumulator bit j in group 4 + j at
  // domain 0. Only in2 moves: each of its 4 planes shifts once.
  RtmParams rtm = RtmParams::defaults();
  Program p = three_input_sum();
  Layout l = Layout::build(LayoutKind::BitPlane, p.fields, rtm);
  EXPECT_EQ(l.groups(), 10);
  EXPECT_EQ(l.at(1, 2).group, 2);
  EXPECT_EQ(l.at(1, 2).domain, 32);
  EXPECT_EQ(l.at(2, 3).domain, 1);
  EXPECT_EQ(l.at(3, 5).group, 9);
  std::vector<Dbc> g(10, Dbc(rtm));
  EXPECT_EQ(trace_shifts(p, l, g), (std::vector<int64_t>{0, 4}));
  // Nearest ports find the same: domain 1 is one shift from port 0.
  RtmParams near = rtm;
  near.choice = PortChoice::Nearest;
  EXPECT_EQ(analyse(p, l, near, ApParams::defaults()).rtm.shifts, 4);
  // Eager ports return after every access: in1 (domain 32, port 1) is free,
  // in2's 4 reads cost 2 each.
  RtmParams eager = rtm;
  eager.update = PortUpdate::Eager;
  EXPECT_EQ(analyse(p, l, eager, ApParams::defaults()).rtm.shifts, 8);
}

TEST(Compiler, ShiftsOfMixedLayoutByHand) {
  // Inputs packed in group 0 (in0 at 0-3, in1 4-7, in2 8-11), accumulator bit
  // j in plane group 1 + j at domain 0: only the input group moves.
  //  acc <- in0 + in1: bit 0: 4 (4), 0 (4); bits 1-3: 5 + 4; bit 4: none -> 35
  //  acc += in2: bit 0: 8 (5); bits 1-3: 1 each; bits 4, 5: none          -> 8
  RtmParams rtm = RtmParams::defaults();
  Program p = three_input_sum();
  Layout l = Layout::build(LayoutKind::Mixed, p.fields, rtm);
  EXPECT_EQ(l.groups(), 7);
  std::vector<Dbc> g(7, Dbc(rtm));
  EXPECT_EQ(trace_shifts(p, l, g), (std::vector<int64_t>{35, 8}));
}

// Runs a layer on the functional racetrack AP and checks outputs against the
// direct-loop reference and counts against the analytical model.
namespace {
void check_layer(const Layer& l, const quant::TernaryWeights& w, const CompilerParams& cp, int rows,
                 uint64_t seed) {
  RtmParams rtm = RtmParams::defaults();
  ApParams ap = ApParams::defaults();
  ap.rows = rows;
  Program p = compile_layer(l, w, cp, ap, rtm);
  Layout lay = Layout::build(cp.layout, p.fields, rtm);
  std::mt19937 rng(static_cast<uint32_t>(seed));
  std::vector<int32_t> x(size_t(l.in.size()));
  for (auto& v : x) v = int32_t(rng() % (1u << l.activation_bits));
  Execution ex = execute(p, lay, rtm, l, x);
  std::vector<int64_t> want = reference_ternary_layer(l, w, x, p.accumulator_bits);
  ASSERT_EQ(ex.outputs.size(), want.size());
  int negatives = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(ex.outputs[i], want[i]) << l.name << " output " << i;
    negatives += want[i] < 0;
  }
  EXPECT_GT(negatives, 0);
  ProgramCost c = analyse(p, lay, rtm, ap);
  EXPECT_EQ(ex.cam.compares, c.compares());
  EXPECT_EQ(ex.cam.writes, c.cam_writes());
  EXPECT_EQ(ex.rtm.reads, c.rtm.reads);
  EXPECT_EQ(ex.rtm.writes, c.rtm.writes);
  EXPECT_EQ(ex.rtm.shifts, c.rtm.shifts);
}
}  // namespace

TEST(CompilerExecution, ConvMatchesReferenceAllOptions) {
  // 6 -> 5 channels, 3x3, pad 1 on 12x11: 132 positions = 4 full tiles of 32 rows and one of 4.
  NetBuilder b("c", Shape{6, 12, 11}, 2, 4);
  int id = b.conv(5, 3, 1, 1);
  Network n = b.build();
  const Layer& l = n.layers[id];
  auto w = random_ternary(weight_dims(l), 1);
  for (bool cse : {false, true})
    for (LayoutKind k : {LayoutKind::FieldMajor, LayoutKind::BitPlane, LayoutKind::Mixed})
      for (int acc : {0, 5})        // 5 bits wrap: sums of 54 4-bit inputs
        for (int chunk : {0, 18}) {  // all inputs, or chunks of 2 channels
          SCOPED_TRACE(testing::Message() << "cse " << cse << " layout " << to_string(k) << " acc " << acc
                                          << " chunk " << chunk);
          check_layer(l, w, params(cse, k, acc, chunk), 32, 7);
        }
}

TEST(CompilerExecution, WrapAtAccumulatorWidthIsExercised) {
  NetBuilder b("c", Shape{6, 5, 5}, 2, 4);
  int id = b.conv(4, 3, 1, 1);
  Network n = b.build();
  const Layer& l = n.layers[id];
  auto w = random_ternary(weight_dims(l), 3);
  std::mt19937 rng(9);
  std::vector<int32_t> x(size_t(l.in.size()));
  for (auto& v : x) v = int32_t(rng() % 16);
  auto exact = reference_ternary_layer(l, w, x, 64), wrapped = reference_ternary_layer(l, w, x, 5);
  int differ = 0;
  for (size_t i = 0; i < exact.size(); ++i) differ += exact[i] != wrapped[i];
  EXPECT_GT(differ, 0);
  check_layer(l, w, params(true, LayoutKind::BitPlane, 5, 0), 32, 9);
}

TEST(CompilerExecution, StridedGroupedAndLinearLayers) {
  NetBuilder b("g", Shape{4, 9, 9}, 2, 4);
  int grouped = b.conv(6, 3, 2, 1, 2);  // 2 groups, stride 2
  int point = b.conv(8, 1, 2, 0);       // 1x1 downsample
  b.flatten();
  int fc = b.linear(7);
  Network n = b.build();
  for (int id : {grouped, point, fc}) {
    const Layer& l = n.layers[id];
    auto w = random_ternary(weight_dims(l), uint64_t(id));
    for (bool cse : {false, true}) {
      SCOPED_TRACE(l.name);
      check_layer(l, w, params(cse, LayoutKind::BitPlane, 0, 0), 32, uint64_t(id));
      check_layer(l, w, params(cse, LayoutKind::FieldMajor, 6, 8), 64, uint64_t(id) + 1);
    }
  }
}

TEST(CompilerExecution, PortPoliciesAgreeWithAnalysis) {
  NetBuilder b("c", Shape{3, 10, 10}, 2, 4);
  int id = b.conv(4, 3, 1, 1);
  Network n = b.build();
  const Layer& l = n.layers[id];
  auto w = random_ternary(weight_dims(l), 5);
  for (PortUpdate u : {PortUpdate::Lazy, PortUpdate::Eager})
    for (PortChoice c : {PortChoice::Static, PortChoice::Nearest}) {
      RtmParams rtm = RtmParams::defaults();
      rtm.update = u;
      rtm.choice = c;
      ApParams ap = ApParams::defaults();
      ap.rows = 32;
      CompilerParams cp = params(true, LayoutKind::BitPlane);
      Program p = compile_layer(l, w, cp, ap, rtm);
      Layout lay = Layout::build(cp.layout, p.fields, rtm);
      std::vector<int32_t> x(size_t(l.in.size()), 15);
      Execution ex = execute(p, lay, rtm, l, x);
      ProgramCost cost = analyse(p, lay, rtm, ap);
      EXPECT_EQ(ex.rtm.shifts, cost.rtm.shifts);
      EXPECT_EQ(ex.outputs, reference_ternary_layer(l, w, x, p.accumulator_bits));
    }
}

TEST(Compiler, BadInputsAreInputErrors) {
  NetBuilder b("c", Shape{3, 8, 8}, 2, 4);
  int conv = b.conv(4, 3, 1, 1);
  int pool = b.maxpool(2, 2);
  Network n = b.build();
  RtmParams rtm = RtmParams::defaults();
  ApParams ap = ApParams::defaults();
  const Layer& l = n.layers[conv];
  auto w = random_ternary(weight_dims(l), 1);
  EXPECT_THROW(compile_layer(n.layers[pool], w, CompilerParams::defaults(), ap, rtm), InputError);
  EXPECT_THROW(compile_layer(l, random_ternary({4, 2, 3, 3}, 1), CompilerParams::defaults(), ap, rtm), InputError);
  EXPECT_THROW(compile_layer(l, w, params(true, LayoutKind::BitPlane, 3), ap, rtm), InputError);
  Layer wide = l;
  wide.activation_bits = 20;
  EXPECT_THROW(compile_layer(wide, w, CompilerParams::defaults(), ap, rtm), InputError);
  Program p = compile_layer(l, w, CompilerParams::defaults(), ap, rtm);
  Layout lay = Layout::build(LayoutKind::BitPlane, p.fields, rtm);
  EXPECT_THROW(execute(p, lay, rtm, l, std::vector<int32_t>(size_t(l.in.size()), 16)), InputError);
  auto doc = io::Document::from_string("layout = \"diagonal\"\n", "c.toml");
  EXPECT_THROW(CompilerParams::read(doc.root()), InputError);
}

TEST(Compiler, BitsNeeded) {
  EXPECT_EQ(bits_needed(0, 0), 1);
  EXPECT_EQ(bits_needed(0, 1), 1);
  EXPECT_EQ(bits_needed(0, 15), 4);
  EXPECT_EQ(bits_needed(0, 16), 5);
  EXPECT_EQ(bits_needed(-1, 0), 1);
  EXPECT_EQ(bits_needed(-16, 15), 5);
  EXPECT_EQ(bits_needed(-17, 15), 6);
  EXPECT_EQ(bits_needed(-15, 30), 6);
}

TEST(Compiler, CseSavingsPinnedOnTieBank) {
  // 5 inputs -> 4 outputs: o0 = x0 + x1 + x2 + x3, o1 = x0 + x1 - x2 - x3,
  // o2 = x0 + x1 + x4, o3 = x2 + x3 - x4 (test_cse: t5 = x0 + x1 before
  // t6 = x2 + x3, a tie broken by the smaller pair). Without CSE: 3 + 3 + 2 + 2
  // add/sub; with it: 2 temps, then one add/sub per output.
  NetBuilder b("lin", Shape{5, 1, 1}, 2, 4);
  b.flatten();
  b.linear(4);
  Network n = b.build();
  const Layer& l = n.layers.back();
  auto w = ternary({4, 5, 1, 1}, {1, 1, 1, 1, 0, 1, 1, -1, -1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, -1});
  RtmParams rtm = RtmParams::defaults();
  ApParams ap = ApParams::defaults();
  Program before = compile_layer(l, w, params(false, LayoutKind::Mixed), ap, rtm);
  Program after = compile_layer(l, w, params(true, LayoutKind::Mixed), ap, rtm);
  EXPECT_EQ(before.stats.addsub, 10);
  EXPECT_EQ(before.stats.mcm_adders, 10);
  EXPECT_EQ(after.stats.temps, 2);
  EXPECT_EQ(after.stats.addsub, 6);
  EXPECT_EQ(after.stats.mcm_adders, 6);
  EXPECT_EQ(after.stats.copies, 0);
  check_layer(l, w, params(true, LayoutKind::Mixed), 32, 1);
}

namespace {
bool same_program(const Program& a, const Program& b) {
  if (a.fields.size() != b.fields.size() || a.steps.size() != b.steps.size()) return false;
  for (size_t i = 0; i < a.fields.size(); ++i)
    if (a.fields[i].role != b.fields[i].role || a.fields[i].slot != b.fields[i].slot ||
        a.fields[i].width != b.fields[i].width)
      return false;
  for (size_t i = 0; i < a.steps.size(); ++i) {
    const Step &x = a.steps[i], &y = b.steps[i];
    if (x.op != y.op || x.src_sign != y.src_sign || x.base_sign != y.base_sign || x.bits != y.bits ||
        x.src_bits != y.src_bits || x.base_bits != y.base_bits || x.dst != y.dst || x.src != y.src || x.base != y.base)
      return false;
  }
  return a.stats.passes == b.stats.passes && a.stats.temps == b.stats.temps;
}
}  // namespace

TEST(Compiler, SameSeedSameProgram) {
  // 48 -> 40 channels, 3x3: chunks of 5 channels; CSE on. Two compilations of
  // weights from the same seed give the same program, step for step, and the
  // same cost; another seed gives another program.
  NetBuilder b("c", Shape{48, 6, 6}, 2, 4);
  int id = b.conv(40, 3, 1, 1);
  Network n = b.build();
  const Layer& l = n.layers[id];
  RtmParams rtm = RtmParams::defaults();
  ApParams ap = ApParams::defaults();
  CompilerParams cp = params(true, LayoutKind::Mixed, 0, 45);
  Program p1 = compile_layer(l, random_ternary(weight_dims(l), 17), cp, ap, rtm);
  Program p2 = compile_layer(l, random_ternary(weight_dims(l), 17), cp, ap, rtm);
  Program p3 = compile_layer(l, random_ternary(weight_dims(l), 18), cp, ap, rtm);
  EXPECT_GT(p1.stats.temps, 0);
  EXPECT_TRUE(same_program(p1, p2));
  EXPECT_FALSE(same_program(p1, p3));
  Layout lay = Layout::build(cp.layout, p1.fields, rtm);
  ProgramCost c1 = analyse(p1, lay, rtm, ap), c2 = analyse(p2, Layout::build(cp.layout, p2.fields, rtm), rtm, ap);
  EXPECT_EQ(c1.rtm, c2.rtm);
  EXPECT_EQ(c1.passes, c2.passes);
}

TEST(Compiler, AnalysisEqualsATileByTileDbcReplay) {
  // analyse() replays static-port programs through precomputed offsets and
  // stops once a tile repeats; replaying every tile through Dbc must agree,
  // shifts per role included. 300 positions on 64 rows: 5 tiles, the last partial.
  NetBuilder b("c", Shape{7, 15, 20}, 2, 4);
  int id = b.conv(9, 3, 1, 1);
  Network n = b.build();
  const Layer& l = n.layers[id];
  auto w = random_ternary(weight_dims(l), 4);
  ApParams ap = ApParams::defaults();
  ap.rows = 64;
  for (PortUpdate u : {PortUpdate::Lazy, PortUpdate::Eager})
    for (LayoutKind k : {LayoutKind::FieldMajor, LayoutKind::BitPlane, LayoutKind::Mixed})
      for (bool cse : {false, true}) {
        SCOPED_TRACE(testing::Message() << "eager " << (u == PortUpdate::Eager) << " layout " << to_string(k)
                                        << " cse " << cse);
        RtmParams rtm = RtmParams::defaults();
        rtm.update = u;
        Program p = compile_layer(l, w, params(cse, k, 0, 27), ap, rtm);
        Layout lay = Layout::build(k, p.fields, rtm);
        ASSERT_EQ(p.tiles(), 5);
        std::vector<Dbc> g(size_t(lay.groups()), Dbc(rtm));
        int64_t roles[3] = {0, 0, 0};
        for (int64_t t = 0; t < p.tiles(); ++t) trace_shifts(p, lay, g, roles);
        RtmCounts want;
        for (const Dbc& d : g) want += d.counts();
        ProgramCost c = analyse(p, lay, rtm, ap);
        EXPECT_EQ(c.rtm, want);
        for (int r = 0; r < 3; ++r) EXPECT_EQ(c.shifts_by_role[r], roles[r]) << "role " << r;
      }
}

// The standalone hardware datapath against the integer reference on zoo
// networks: exact with ideal devices and lossless ADCs (k = 0), a reported
// error with ISAAC's 8-bit ADCs, and deterministic device variation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "arch/compile/programmed_conductance.hpp"
#include "arch/cost/cost_table.hpp"
#include "arch/functional/compare.hpp"
#include "functional_helpers.hpp"
#include "workloads/ir/builder.hpp"

using namespace tessera;
using namespace tessera::functional;
using tessera::functional::test::preset;
using tessera::functional::test::Rig;

namespace {
// ISAAC arrays: 128 rows x 1-bit DACs x 2-bit cells, FS = 384: 9 ADC bits make k = 0.
const std::vector<std::string> kLossless = {"tile_class.isaac.adc.bits=9"};

void expect_exact(const std::string& spec, std::vector<std::string> sets) {
  Rig s(zoo::build(spec), preset("isaac", sets));
  Datapath dp(s.net, s.arch, s.map, s.prog, s.q, {});
  for (int h = 0; h < dp.hosts(); ++h) EXPECT_EQ(dp.adc_step_log2(h), 0);
  std::vector<double> hw = dp.run(s.image);
  std::vector<double> ref = s.reference();
  LogitComparison c = compare_logits(hw, ref);
  EXPECT_TRUE(c.exact) << spec << ": max error " << c.max_abs_error;
  EXPECT_EQ(hw, ref);
  // Every intermediate layer too, not only the logits: the rows some layer
  // reads (the hardware leaves rows no layer reads uncomputed).
  std::vector<Tensor> outs = run_reference(s.net, s.q, s.image);
  for (size_t i = 0; i < outs.size(); ++i) {
    const Tensor& hwt = dp.output(int(i));
    for (int64_t c = 0; c < hwt.shape.c; ++c)
      for (int64_t y = 0; y < s.prog.rows_read[i]; ++y)
        for (int64_t x = 0; x < hwt.shape.w; ++x)
          ASSERT_EQ(hwt.at(c, y, x), outs[i].at(c, y, x)) << s.net.layers[i].name << " " << c << " " << y << " " << x;
  }
}
}  // namespace

TEST(Exact, Mlp) { expect_exact("mlp", kLossless); }
TEST(Exact, FashionMnistCnn) { expect_exact("fmnist-cnn", kLossless); }
TEST(Exact, FashionMnistCnnDifferential) {
  expect_exact("fmnist-cnn", {"tile_class.isaac.adc.bits=9", "mapping.signed_weights=differential"});
}
TEST(Exact, MobilenetTinyDepthwise) { expect_exact("mobilenet-tiny", kLossless); }
TEST(Exact, Resnet20ResidualAdds) { expect_exact("resnet20", kLossless); }
TEST(Exact, Resnet20ReplicatedTwoBitDacs) {
  // 2-bit DACs: FS = 128 * 3 * 3 = 1152 -> 11 bits; replicas split every row's columns.
  expect_exact("resnet20", {"tile_class.isaac.adc.bits=11", "tile_class.isaac.dac.bits=2", "mapping.replicate=balance"});
}
TEST(Exact, FourBitWeightsAndActivations) { expect_exact("fmnist-cnn:wbits=4,abits=4", kLossless); }

TEST(Exact, SignedInputsAndSignedImage) {
  // conv -> conv without ReLU (a signed input) on an image with negative values.
  NetBuilder b("signed", {2, 6, 6});
  b.conv(4, 3);
  b.conv(4, 3);
  b.relu();
  b.flatten();
  b.linear(3);
  Rig s(b.build(), preset("isaac", kLossless));
  InputImage im;
  im.real = Tensor(s.net.input);
  for (size_t i = 0; i < im.real.v.size(); ++i) im.real.v[i] = double(int(i * 37 % 19) - 9) / 4.0;
  s.use_image(im);
  EXPECT_TRUE(s.q.at(1).input.is_signed);
  EXPECT_TRUE(s.q.at(2).input.is_signed);
  EXPECT_FALSE(s.q.at(5).input.is_signed);
  EXPECT_EQ(s.hardware(), s.reference());
}

// Rows read in parallel: 32 rows of 2-bit cells with 1-bit DACs sum to at most
// 96, which 7 ADC bits convert exactly; all 128 rows at once (FS = 384) do not.
TEST(ParallelRows, PhasesMakeSmallAdcsExact) {
  expect_exact("fmnist-cnn", {"tile_class.isaac.adc.bits=7", "tile_class.isaac.crossbar.parallel_rows=32"});
  Rig s(zoo::build("fmnist-cnn"), preset("isaac", {"tile_class.isaac.adc.bits=7"}));
  Datapath dp(s.net, s.arch, s.map, s.prog, s.q, {});
  EXPECT_GT(dp.adc_step_log2(1), 0);
  EXPECT_FALSE(compare_logits(dp.run(s.image), s.reference()).exact);
}

TEST(FiniteAdc, IsaacEightBitsReportsAnError) {
  Rig s(zoo::build("fmnist-cnn"), preset("isaac"));
  Datapath dp(s.net, s.arch, s.map, s.prog, s.q, {});
  EXPECT_EQ(dp.adc_step_log2(0), 0);  // conv1: 9 rows, FS = 27
  EXPECT_EQ(dp.adc_step_log2(1), 1);  // conv2: full 128-row arrays, FS = 384 > 255
  std::vector<double> hw = dp.run(s.image);
  LogitComparison c = compare_logits(hw, s.reference());
  EXPECT_FALSE(c.exact);
  EXPECT_GT(c.max_abs_error, 0);
  EXPECT_GT(c.rms_error, 0);
  EXPECT_LE(c.rms_error, c.max_abs_error);
  // The same hardware gives the same answer twice.
  EXPECT_EQ(dp.run(s.image), hw);
}

TEST(Devices, NoisyRramIsDeterministicPerSeed) {
  Rig s(zoo::build("fmnist-cnn"), preset("isaac", {"tile_class.isaac.adc.bits=9", "device.rram.sigma=0.1"}));
  std::vector<double> a = s.hardware(1), b = s.hardware(1), c = s.hardware(2);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  LogitComparison e = compare_logits(a, s.reference());
  EXPECT_FALSE(e.exact);
  EXPECT_GT(e.max_abs_error, 0);
  // Read-back conductances differ from the digits, by about sigma of the top level.
  Datapath dp(s.net, s.arch, s.map, s.prog, s.q, {});
  const CrossbarArray& arr = dp.array(1, 0, 0);
  double dev = 0;
  for (size_t i = 0; i < arr.read.size(); ++i) dev = std::max(dev, std::fabs(double(arr.read[i]) - arr.digits[i]));
  EXPECT_GT(dev, 0.1);
}

TEST(Devices, IdealReadBackIsTheDigits) {
  Rig s(zoo::build("mlp"), preset("isaac"));
  Datapath dp(s.net, s.arch, s.map, s.prog, s.q, {});
  const CrossbarArray& a = dp.array(0, 0, 0);
  for (size_t i = 0; i < a.read.size(); ++i) ASSERT_EQ(a.read[i], float(a.digits[i])) << i;
}

TEST(Devices, PcmDriftDependsOnReadTime) {
  Rig s(zoo::build("mlp"), preset("pcm-8b"));
  std::vector<double> early = s.hardware(1, 1.0), late = s.hardware(1, 1e6);
  EXPECT_EQ(early, s.hardware(1, 1.0));
  EXPECT_NE(early, late);
}

// Known weights: a layer's cell reads cost V^2 G t at the mean conductance
// its arrays read, not at the device's mean (docs/cost-model.md).
namespace {
const double kGMin = 10.0 / 17, kGMax = 10.0;  // neurosim-rram22: R_on 100 kOhm, on/off 17, two levels

// Every weight code set to `code`; the programmed mean by hand from the
// offset encoding: u = code + 128 cut into eight 1-bit digits, and the
// reference column all at the top digit.
double mean_by_hand(const Datapath& dp, int h, int code) {
  const int ones_per_weight = __builtin_popcount(unsigned(code + 128));
  double ones = 0, cells = 0;
  for (int r = 0; r < dp.replicas(h); ++r)
    for (int x = 0; x < dp.arrays(h, r); ++x) {
      const CrossbarArray& a = dp.array(h, r, x);
      ones += double(a.rows) * (double(a.weights()) * ones_per_weight + (a.ref_col >= 0 ? 1 : 0));
      cells += double(a.rows) * a.cols;
    }
  return (ones * kGMax + (cells - ones) * kGMin) / cells;
}
}  // namespace

TEST(ProgrammedConductance, MeanReadConductanceByHand) {
  for (int code : {0, -128, 127, -1}) {
    Rig s(zoo::build("mlp"), preset("neurosim-rram22"));
    for (auto& l : s.q.layers) std::fill(l.q.begin(), l.q.end(), code);
    Datapath dp(s.net, s.arch, s.map, s.prog, s.q, {});
    const std::vector<double> g = dp.read_conductances_us();
    ASSERT_EQ(int(g.size()), dp.hosts());
    for (int h = 0; h < dp.hosts(); ++h) EXPECT_NEAR(g[h], mean_by_hand(dp, h, code), 1e-5) << "code " << code << " host " << h;
  }
  // Differential encoding with every weight 0: every cell at g_min.
  Rig d(zoo::build("mlp"), preset("neurosim-rram22", {"mapping.signed_weights=differential"}));
  for (auto& l : d.q.layers) std::fill(l.q.begin(), l.q.end(), 0);
  Datapath dp(d.net, d.arch, d.map, d.prog, d.q, {});
  for (double g : dp.read_conductances_us()) EXPECT_NEAR(g, kGMin, 1e-6);
}

TEST(ProgrammedConductance, CellReadsArePricedAtTheProgrammedMean) {
  Rig s(zoo::build("mlp"), preset("neurosim-rram22"));
  for (auto& l : s.q.layers) std::fill(l.q.begin(), l.q.end(), -128);  // u = 0: only the reference column conducts g_max
  Datapath dp(s.net, s.arch, s.map, s.prog, s.q, {});
  const std::vector<double> g = dp.read_conductances_us();
  const Program before = s.prog;
  price_programmed_conductance(s.prog, s.arch, g);
  const CostTable cost(s.arch);
  const auto& xb = s.arch.tile_classes[0].crossbar;
  EXPECT_DOUBLE_EQ(xb.priced_cell_g_us, 0.5 * (kGMin + kGMax));
  for (size_t h = 0; h < s.prog.hosts.size(); ++h) {
    EXPECT_EQ(s.prog.hosts[h].cell_conductance_us, g[h]);
    EXPECT_LT(g[h], xb.priced_cell_g_us);
    for (size_t t = 0; t < s.prog.hosts[h].tiles.size(); ++t) {
      const EventCounts& a = before.hosts[h].tiles[t].events_per_position;
      const EventCounts& b = s.prog.hosts[h].tiles[t].events_per_position;
      for (int e = 0; e < kEvents; ++e) {
        if (Event(e) != Event::CellRead) {
          EXPECT_EQ(a.n[e], b.n[e]) << to_string(Event(e));
        }
      }
      // Energy of one cell read now: input activity x V^2 x G_programmed x t (uS V^2 ns = fJ).
      const double per_cell_pj = cost.energy_pj(0, Event::CellRead) * b[Event::CellRead] / a[Event::CellRead];
      EXPECT_NEAR(per_cell_pj, xb.input_activity * xb.read_voltage_v * xb.read_voltage_v * g[h] * xb.read_pulse_ns * 1e-3,
                  1e-12);
    }
  }
  EXPECT_THROW(price_programmed_conductance(s.prog, s.arch, g), std::logic_error);
}

TEST(ProgrammedConductance, PinnedAndSramCellsAreLeftAlone) {
  for (const char* arch : {"isaac", "neurosim-sram22"}) {
    Rig s(zoo::build("mlp"), preset(arch));
    Datapath dp(s.net, s.arch, s.map, s.prog, s.q, {});
    const Program before = s.prog;
    EXPECT_EQ(s.arch.tile_classes[0].crossbar.priced_cell_g_us, 0) << arch;
    price_programmed_conductance(s.prog, s.arch, dp.read_conductances_us());
    for (size_t h = 0; h < s.prog.hosts.size(); ++h) {
      EXPECT_LT(s.prog.hosts[h].cell_conductance_us, 0) << arch;
      for (size_t t = 0; t < s.prog.hosts[h].tiles.size(); ++t)
        EXPECT_EQ(before.hosts[h].tiles[t].events_per_position.n, s.prog.hosts[h].tiles[t].events_per_position.n) << arch;
    }
  }
}

// The physical cost model (issue 9): each axis against a hand-computed case
// and a monotonicity check, the physical limits, leakage, and bad values.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/presets.hpp"

#include "arch/analytical/model.hpp"
#include "arch/cost/cost_table.hpp"
#include "arch/cost/pricing.hpp"
#include "arch/cost/technology.hpp"
#include "sim/report/report.hpp"
#include "workloads/ir/builder.hpp"
#include "workloads/zoo/zoo.hpp"

using namespace tessera;
using tessera::testing::isaac;
using tessera::testing::preset;

namespace {

ArchConfig rram(const std::vector<std::string>& sets = {}) { return preset("neurosim-rram22", sets); }
// Nothing pinned, not even the sample-and-hold the NeuroSim presets leave out.
ArchConfig priced(const std::vector<std::string>& sets = {}) {
  return load_arch(std::string(TESSERA_TEST_DATA) + "/arch/priced_22nm.toml", sets);
}
std::string set_node(int nm) { return "chip.technology.node_nm=" + std::to_string(nm); }
const int kNodes[] = {130, 90, 65, 45, 32, 22, 20, 16, 14, 10, 7};

// Stillmaker-Baas energy polynomial at a node and supply, by hand.
double poly(double a, double b, double c, double v) { return a * v * v + b * v + c; }

}  // namespace

// --- technology node ---

namespace {
// Stillmaker-Baas delay fits by hand: a V^3 + b V^2 + c V + d.
double cubic(double a, double b, double c, double d, double v) { return ((a * v + b) * v + c) * v + d; }
const double kHp32 = cubic(-1047, 2982, -2797, 873.5, 0.9);  // the reference: 32 nm, high performance, 0.9 V
}  // namespace

TEST(CostModel, DelayScalingByHand) {
  Technology t;
  t.node_nm = 32;
  t.vdd_v = 0.9;
  EXPECT_DOUBLE_EQ(t.delay_vs(32), 1.0);
  t.node_nm = 130;
  t.vdd_v = 1.3;
  EXPECT_NEAR(t.delay_vs(32), cubic(-76.65, 334.9, -493.4, 275.8, 1.3) / kHp32, 1e-12);
  t.flavour = "lstp";  // one bulk model at 130 nm
  EXPECT_NEAR(t.delay_vs(32), cubic(-76.65, 334.9, -493.4, 275.8, 1.3) / kHp32, 1e-12);
  t.node_nm = 32;
  t.vdd_v = 0.9;
  EXPECT_NEAR(t.delay_vs(32), cubic(-325.9, 1374, -1922, 913.2, 0.9) / kHp32, 1e-12);  // 7.0x: low-power models are slow
  // 22 nm: coefficients interpolated between 32 and 20 nm at t = ln(32/22)/ln(32/20).
  t.node_nm = 22;
  t.vdd_v = 0.8;
  t.flavour = "hp";
  const double f = std::log(32.0 / 22) / std::log(32.0 / 20);
  auto mix = [&](double x32, double x20) { return x32 + f * (x20 - x32); };
  EXPECT_NEAR(t.delay_vs(32), cubic(mix(-1047, 0), mix(2982, 34.63), mix(-2797, -66.37), mix(873.5, 41.15), 0.8) / kHp32, 1e-12);
  // Each flavour gets faster with the node at nominal supply, within the
  // bulk models (130 to 32 nm) and the multi-gate ones (20 to 7 nm); low
  // power is slower than high performance wherever they differ.
  auto at = [](int nm, const char* flavour) {
    return preset("neurosim-rram22", {set_node(nm), std::string("chip.technology.flavour=\"") + flavour + "\""}).tech;
  };
  for (const char* fl : {"hp", "lstp"}) {
    for (auto run : {std::vector<int>{130, 90, 65}, std::vector<int>{20, 16, 14, 10, 7}})
      for (size_t i = 1; i < run.size(); ++i) EXPECT_LT(at(run[i], fl).delay_fit(), at(run[i - 1], fl).delay_fit()) << fl << " " << run[i];
  }
  EXPECT_LT(at(32, "hp").delay_fit(), at(45, "hp").delay_fit());
  EXPECT_LT(at(45, "hp").delay_fit(), at(65, "hp").delay_fit());
  for (int nm : {45, 32, 22, 20, 16, 14, 10, 7}) EXPECT_GT(at(nm, "lstp").delay_fit(), at(nm, "hp").delay_fit()) << nm;
  // A supply where the fits stop describing a circuit is an input error.
  EXPECT_THROW(rram({set_node(7), "chip.technology.vdd_v=2.0"}), InputError);
}

TEST(CostModel, DigitalLatencyFollowsNodeAndClock) {
  // One stage: 1/1.28 ns at 32 nm (ISAAC's digital units take one ADC sample per cycle at 1.28 GS/s).
  EXPECT_EQ(isaac().tile_classes[0].ima.shift_add.latency_cycles, 1);
  // NeuroSim preset: 22 nm low power at 0.8 V, 1 GHz.
  ArchConfig a = rram();
  const double stage = 1.0 / 1.28 * a.tech.delay_fit() / kHp32;
  EXPECT_GT(stage, 2.0);
  EXPECT_EQ(a.tile_classes[0].ima.shift_add.latency_cycles, int(std::ceil(stage * 1.0)));
  EXPECT_EQ(a.tile_classes[0].reduce.latency_cycles, int(std::ceil(stage * 1.0)));
  EXPECT_EQ(a.tile_classes[0].activation.latency_cycles, int(std::ceil(stage * 1.0)));
  // A faster clock needs more cycles, a smaller node fewer; a given latency stays.
  EXPECT_GT(rram({"chip.clock_ghz=3"}).tile_classes[0].ima.shift_add.latency_cycles, a.tile_classes[0].ima.shift_add.latency_cycles);
  EXPECT_LT(rram({set_node(7)}).tile_classes[0].ima.shift_add.latency_cycles, a.tile_classes[0].ima.shift_add.latency_cycles);
  EXPECT_EQ(rram({"tile_class.pe.ima.shift_add.latency_cycles=1"}).tile_classes[0].ima.shift_add.latency_cycles, 1);
  // 130 nm (one bulk model), 1 GHz: 1/1.28 ns x D(130, 1.3 V) / D(32, 0.9 V).
  EXPECT_EQ(rram({set_node(130)}).tile_classes[0].pooling.latency_cycles,
            int(std::ceil(1.0 / 1.28 * cubic(-76.65, 334.9, -493.4, 275.8, 1.3) / kHp32)));
  // The SAR's bit cycle is digital timing too: 0.1 ns at 32 nm, scaled.
  ArchConfig sar = rram({set_node(130), "tile_class.pe.adc.cost=\"sar\"", "tile_class.pe.adc.bits=8"});
  EXPECT_NEAR(sar.tile_classes[0].adc.conversion_ns(), 8 * 0.1 * cubic(-76.65, 334.9, -493.4, 275.8, 1.3) / kHp32, 1e-12);
}

TEST(CostModel, NodeScalingByHand) {
  // A 16-bit adder (the reduce unit, unpinned) at 45 nm and its nominal 1.0 V:
  // Horowitz's 32-bit add (0.1 pJ, 137 um^2 at 45 nm, 0.9 V) x 16/32 x E(45, 1.0 V) / E(45, 0.9 V).
  ArchConfig a = rram({set_node(45), "tile_class.pe.reduce.width_bits=16"});
  const double e45_10 = poly(1.103, -0.362, 0.2767, 1.0), e45_09 = poly(1.103, -0.362, 0.2767, 0.9);
  EXPECT_NEAR(a.tile_classes[0].reduce.energy_pj, 0.05 * e45_10 / e45_09, 1e-12);
  EXPECT_NEAR(a.tile_classes[0].reduce.area_mm2, 137e-6 / 2, 1e-15);
  // 32 nm at 0.9 V: the 32 nm polynomial; area factor 0.46 (Stillmaker-Baas).
  ArchConfig b = rram({set_node(32), "tile_class.pe.reduce.width_bits=16"});
  EXPECT_NEAR(b.tile_classes[0].reduce.energy_pj, 0.05 * poly(0.9559, -0.7823, 0.471, 0.9) / e45_09, 1e-12);
  EXPECT_NEAR(b.tile_classes[0].reduce.area_mm2, 137e-6 / 2 * 0.46, 1e-15);
}

TEST(CostModel, SmallerNodeCheaperAndSmaller) {
  double e_prev = 1e9, a_prev = 1e9, cell_prev = 1e9, buf_prev = 1e9;
  for (int nm : kNodes) {
    ArchConfig a = rram({set_node(nm)});
    const auto& t = a.tile_classes[0];
    EXPECT_LT(t.reduce.energy_pj, e_prev) << nm;
    EXPECT_LT(t.reduce.area_mm2, a_prev) << nm;
    EXPECT_LT(t.crossbar.area_um2_per_cell, cell_prev) << nm;
    EXPECT_LT(t.buffer.read_energy_pj_per_bit, buf_prev) << nm;
    e_prev = t.reduce.energy_pj;
    a_prev = t.reduce.area_mm2;
    cell_prev = t.crossbar.area_um2_per_cell;
    buf_prev = t.buffer.read_energy_pj_per_bit;
  }
}

TEST(CostModel, PinnedFiguresIgnoreTheNode) {
  // ISAAC's published table stays as given whatever the node.
  ArchConfig a = isaac(), b = isaac({set_node(7)});
  EXPECT_EQ(a.tile_classes[0].adc.energy_pj(), b.tile_classes[0].adc.energy_pj());
  EXPECT_EQ(a.tile_classes[0].buffer.area_mm2, b.tile_classes[0].buffer.area_mm2);
  EXPECT_EQ(a.tile_classes[0].reduce.energy_pj, b.tile_classes[0].reduce.energy_pj);
  EXPECT_EQ(CostTable::sum(CostTable(a).chip_leakage_mw()), 0.0);  // included in the paper's powers
}

// --- cells per device ---

TEST(CostModel, CellReadEnergyByHand) {
  // RRAM 1T1R: activity x V^2 x mean G x the column's sensing window: the bit
  // line settles (ln(2^5) C_bl / (32 x 0.18 x G_mean)) and one sense-amplifier
  // conversion (1 ns) = 0.18 x 0.55^2 x (10 + 10/17)/2 uS x t (fJ).
  ArchConfig a = rram();
  const double g_mean = 0.5 * (10 + 10.0 / 17);
  const double f = 0.022, c_bl = 128 * (std::sqrt(48.0) * f * 0.2 + f * 1.0);
  const double settle = std::log(32.0) * c_bl / (32 * 0.18 * g_mean);
  EXPECT_NEAR(a.tile_classes[0].crossbar.read_ns, settle, 1e-12);
  EXPECT_NEAR(a.tile_classes[0].crossbar.read_pulse_ns, settle + 1.0, 1e-12);
  EXPECT_NEAR(a.tile_classes[0].crossbar.read_energy_fj_per_cell, 0.18 * 0.55 * 0.55 * g_mean * (settle + 1.0), 1e-9);
  // Area: 48 F^2 at 22 nm.
  EXPECT_NEAR(a.tile_classes[0].crossbar.area_um2_per_cell, 48 * 0.022 * 0.022, 1e-12);
  // A higher conductance costs more; the SRAM cell's area is 280 F^2.
  ArchConfig hi = rram({"device.rram.g_max_us=20", "device.rram.g_min_us=1"});
  EXPECT_GT(hi.tile_classes[0].crossbar.read_energy_fj_per_cell, a.tile_classes[0].crossbar.read_energy_fj_per_cell);
  ArchConfig s = preset("neurosim-sram22");
  EXPECT_NEAR(s.tile_classes[0].crossbar.area_um2_per_cell, 280 * 0.022 * 0.022, 1e-12);
  EXPECT_NE(s.tile_classes[0].crossbar.read_energy_fj_per_cell, a.tile_classes[0].crossbar.read_energy_fj_per_cell);
}

TEST(CostModel, CellAreaAtLeastFourF2) {
  for (const char* c : {"1t1r", "crosspoint", "1fefet", "sram6t", "sram8t"}) EXPECT_GE(cell_structure(c).area_f2, 4.0) << c;
  for (int nm : kNodes) {
    ArchConfig a = rram({set_node(nm), "tile_class.pe.crossbar.cell=\"crosspoint\""});
    const double f2 = a.tech.f2_um2();
    EXPECT_GE(a.tile_classes[0].crossbar.area_um2_per_cell, 4 * f2 * (1 - 1e-12)) << nm;
  }
  EXPECT_THROW(rram({"tile_class.pe.crossbar.cell_area_f2=3"}), InputError);
}

// --- crossbar rows and columns ---

TEST(CostModel, WordAndBitLinesByHand) {
  // Word line of 128 columns of 1T1R cells (pitch sqrt(48) F) at 22 nm:
  // C = 128 x (pitch x 0.2 fF/um + F x 1 fF/um), switched at 0.8 V, 18% of rows driven.
  ArchConfig a = priced();
  const double f = 0.022, pitch = std::sqrt(48.0) * f;
  const double c_wl = 128 * (pitch * 0.2 + f * 1.0);
  EXPECT_NEAR(a.tile_classes[0].dac.energy_pj(), 0.18 * c_wl * 0.64 * 1e-3, 1e-12);
  // A read phase charges 128 bit lines of 128 rows at the 0.5 V read bias; the
  // sample-and-hold a 2^4 fF hold capacitor at 0.8 V.
  const double c_bl = 128 * (pitch * 0.2 + f * 1.0);
  EXPECT_NEAR(a.tile_classes[0].crossbar.phase_energy_pj, 128 * c_bl * 0.25 * 1e-3, 1e-12);
  EXPECT_NEAR(CostTable(a).energy_pj(0, Event::CrossbarRead), 128 * c_bl * 0.25 * 1e-3, 1e-12);
  EXPECT_NEAR(a.tile_classes[0].sample_hold.energy_pj, 16 * 0.64 * 1e-3, 1e-12);
}

TEST(CostModel, LongerLinesCostMore) {
  double dac = 0, bl = 0;
  for (int n : {32, 64, 128, 256, 512}) {
    ArchConfig a = priced({"tile_class.pe.crossbar.cols=" + std::to_string(n), "tile_class.pe.crossbar.rows=" + std::to_string(n),
                         "tile_class.pe.crossbar.parallel_rows=32", "tile_class.pe.adc.count=" + std::to_string(n / 2)});
    EXPECT_GT(a.tile_classes[0].dac.energy_pj(), dac) << n;
    EXPECT_GT(a.tile_classes[0].crossbar.phase_energy_pj / n, bl) << n;  // per column: a longer bit line
    dac = a.tile_classes[0].dac.energy_pj();
    bl = a.tile_classes[0].crossbar.phase_energy_pj / n;
  }
}

// --- rows read in parallel ---

TEST(CostModel, ParallelRowsPhasesByHand) {
  // ISAAC, one 3x3 convolution of 16 channels: 144 rows -> arrays of 128 and
  // 16 used rows, 65 used columns each. 32 rows in parallel: 4 + 1 phases.
  NetBuilder b("t", {16, 8, 8});
  b.conv(16, 3);
  Network n = b.build();
  ArchConfig a = isaac({"tile_class.isaac.crossbar.parallel_rows=32"});
  Program p = compile(n, a, map_network(n, a));
  const TileProgram& t = p.hosts[0].tiles[0];
  EXPECT_EQ(t.at(Stage::Mvm).occupancy, 8 * 4 * 128);  // 8 input cycles x 4 phases x max(read 128, convert 65)
  RunResult r = analytical_run(n, a, p);
  EXPECT_DOUBLE_EQ(r.hosts[0].events[Event::CrossbarRead], 64.0 * 8 * (4 + 1));
  EXPECT_DOUBLE_EQ(r.hosts[0].events[Event::AdcConversion], 64.0 * 8 * (65 * 4 + 65 * 1));
  EXPECT_DOUBLE_EQ(r.hosts[0].events[Event::CellRead], 64.0 * 8 * (128 * 65 + 16 * 65));  // every cell read once
  EXPECT_DOUBLE_EQ(r.hosts[0].events[Event::DacConversion], 64.0 * 8 * 144);                // every row driven once
}

TEST(CostModel, FewerParallelRowsSlowerAndCostlier) {
  Network n = zoo::build("vgg8");
  double cycles = 0, energy = 0;
  for (int p : {128, 64, 32, 16, 8}) {
    ArchConfig a = rram({"tile_class.pe.crossbar.parallel_rows=" + std::to_string(p)});
    CostTable cost(a);
    Program prog = compile(n, a, map_network(n, a));
    RunResult r = analytical_run(n, a, prog);
    double e = 0;
    for (size_t h = 0; h < prog.hosts.size(); ++h) e += cost.total_energy_pj(prog.hosts[h].tile_class, r.hosts[h].events);
    EXPECT_GT(double(r.cycles), cycles) << p;
    EXPECT_GT(e, energy) << p;
    cycles = double(r.cycles);
    energy = e;
  }
}

// --- ADC bits and type ---

TEST(CostModel, AdcTypesByHand) {
  // SAR at its FOM node (32 nm, 0.9 V, high-performance): the survey fit x 2^8 + the Schreier term at 175 dB; 8 bit cycles of 0.1 ns.
  ArchConfig a = rram({set_node(32), "chip.technology.flavour=\"hp\"", "tile_class.pe.adc.cost=\"sar\"", "tile_class.pe.adc.bits=8",
                      "tile_class.pe.adc.count=4"});
  const auto& adc = a.tile_classes[0].adc;
  EXPECT_NEAR(adc.energy_pj(), sar_fitted_fom_fj(32) * 1e-3 * 256 + 8 * 40e-3 * a.tech.energy_vs_horowitz() + 0.5 * std::pow(10.0, (6.02 * 8 + 1.76 - 175) / 10) * 1e12, 1e-9);
  EXPECT_NEAR(adc.conversion_ns(), 0.8, 1e-12);
  EXPECT_NEAR(adc.area_mm2(), 4.6875e-6 * 256, 1e-15);
  // Multi-level sense amplifier, 4 bits at 22 nm: 15 decisions of 10 fJ at 45 nm, 0.9 V, scaled to 22 nm, 0.8 V.
  ArchConfig s = rram();
  EXPECT_NEAR(s.tile_classes[0].adc.energy_pj(), 15 * 10e-3 * s.tech.energy_vs_horowitz(), 1e-12);
  EXPECT_NEAR(s.tile_classes[0].adc.conversion_ns(), 1.0, 1e-12);
}

TEST(CostModel, SarFomFittedToSurveyByHand) {
  // Energy per step at nominal resolution, (P / f_s - bit decisions) / 2^bits, of the four
  // survey entries (Kull 32 nm, Liu 130 nm, Harpe 90 nm, van Elzakker 65 nm),
  // each scaled to 32 nm by the Stillmaker-Baas energy ratio at the nodes'
  // nominal supplies, then the geometric mean.
  auto e = [](int nm, double v) {
    Technology t;
    t.node_nm = nm;
    t.vdd_v = v;
    return t.energy_vs_horowitz();
  };
  const double e32 = e(32, 0.9);
  // Each entry's energy per conversion less its bit decisions (40 fJ at 45 nm, 0.9 V, scaled to its node).
  auto step = [&](double mw, double msps, int bits, int nm, double v) { return (mw / msps * 1e6 - bits * 40 * e(nm, v)) / std::ldexp(1.0, bits); };
  const double product = step(3.1, 1200, 8, 32, 0.9) * step(0.826, 50, 10, 130, 1.3) * e32 / e(130, 1.3) * step(0.026, 10, 8, 90, 1.2) *
                         e32 / e(90, 1.2) * step(0.0019, 1, 10, 65, 1.1) * e32 / e(65, 1.1);
  EXPECT_NEAR(sar_fitted_fom_fj(32), std::pow(product, 0.25), 1e-9);
  // A smaller node's fit is lower (digital-like switching energy scales down).
  EXPECT_LT(sar_fitted_fom_fj(22), sar_fitted_fom_fj(32));
  EXPECT_LT(sar_fitted_fom_fj(32), sar_fitted_fom_fj(65));
}

TEST(CostModel, MoreAdcBitsCostMore) {
  for (const char* type : {"sar", "flash", "sense_amp"}) {
    double e = 0, area = 0, t = 0;
    for (int bits = 1; bits <= 10; ++bits) {
      ArchConfig a = rram({std::string("tile_class.pe.adc.cost=\"") + type + "\"", "tile_class.pe.adc.bits=" + std::to_string(bits)});
      const auto& adc = a.tile_classes[0].adc;
      EXPECT_GT(adc.energy_pj(), e) << type << bits;
      EXPECT_GT(adc.area_mm2(), area) << type << bits;
      if (std::string(type) == "sar") EXPECT_GT(adc.conversion_ns(), t) << bits;  // one bit per cycle
      else if (bits > 1) EXPECT_EQ(adc.conversion_ns(), t) << type;            // one decision
      e = adc.energy_pj();
      area = adc.area_mm2();
      t = adc.conversion_ns();
    }
  }
}

TEST(CostModel, OneBitDriverCheaperThanAnyConversion) {
  // Every row driven (activity 1); the cheapest conversion that digitises a
  // column sum (2 bits: a 1-bit "ADC" is a single sense amplifier).
  for (int nm : kNodes) {
    for (const char* type : {"sar", "flash", "sense_amp"}) {
      ArchConfig a = rram({set_node(nm), std::string("tile_class.pe.adc.cost=\"") + type + "\"", "tile_class.pe.adc.bits=2",
                           "tile_class.pe.crossbar.input_activity=1"});
      EXPECT_LT(a.tile_classes[0].dac.energy_pj(), a.tile_classes[0].adc.energy_pj()) << nm << " nm " << type;
    }
  }
}

// --- buffers and wires ---

TEST(CostModel, BufferByHand) {
  // 8 KB SRAM at 45 nm, 0.9 V: Horowitz's 10 pJ per 64-bit access; 32 KB: twice per bit.
  Technology t;
  t.node_nm = 45;
  t.vdd_v = 0.9;
  StorageParams s;
  s.bytes = 8192;
  price_storage(s, t);
  EXPECT_NEAR(s.read_energy_pj_per_bit, 10.0 / 64, 1e-12);
  EXPECT_NEAR(s.area_mm2, 8192 * 8 * 146 * 0.045 * 0.045 / 0.7 * 1e-6, 1e-12);
  StorageParams big;
  big.bytes = 32768;
  price_storage(big, t);
  EXPECT_NEAR(big.read_energy_pj_per_bit, 2 * 10.0 / 64, 1e-12);
}

TEST(CostModel, LargerBufferCostsMore) {
  double e = 0, area = 0;
  for (int kb : {1, 4, 16, 64, 256}) {
    ArchConfig a = rram({"tile_class.pe.buffer.bytes=" + std::to_string(kb * 1024)});
    EXPECT_GT(a.tile_classes[0].buffer.read_energy_pj_per_bit, e) << kb;
    EXPECT_GT(a.tile_classes[0].buffer.area_mm2, area) << kb;
    e = a.tile_classes[0].buffer.read_energy_pj_per_bit;
    area = a.tile_classes[0].buffer.area_mm2;
  }
}

TEST(CostModel, WiresFollowTilePitch) {
  // The bus spans the tile: a larger tile (more PEs) has a longer, costlier bus.
  ArchConfig small = rram({"tile_class.pe.imas=2", "tile_class.pe.count=900"}), big = rram({"tile_class.pe.imas=8"});
  EXPECT_GT(big.tile_classes[0].bus.energy_pj_per_bit, small.tile_classes[0].bus.energy_pj_per_bit);
  EXPECT_GT(big.noc.link_energy_pj_per_flit, small.noc.link_energy_pj_per_flit);
}

// --- leakage ---

TEST(CostModel, LeakagePositiveAndGrowsWithLatency) {
  Network n = zoo::build("fmnist-cnn");
  double leak_prev = 0;
  for (double ghz : {2.0, 1.0, 0.5}) {
    ArchConfig a = rram({"chip.clock_ghz=" + std::to_string(ghz)});
    CostTable cost(a);
    EXPECT_GT(CostTable::sum(cost.chip_leakage_mw()), 0.0);
    Mapping m = map_network(n, a);
    Program p = compile(n, a, m);
    RunResult r = analytical_run(n, a, p);
    Report rep = build_report(n, a, m, p, cost, r);
    const double leak = rep.energy_pj[static_cast<int>(Component::Leakage)];
    EXPECT_GT(leak, leak_prev) << ghz;
    leak_prev = leak;
  }
  // High-performance transistors leak more than low-standby-power ones.
  EXPECT_GT(CostTable::sum(CostTable(rram({"chip.technology.flavour=\"hp\""})).chip_leakage_mw()),
            CostTable::sum(CostTable(rram()).chip_leakage_mw()));
}

// --- read timing, column mux, write periphery and layout ---

TEST(CostModel, ReadPhaseSettlingFollowsRowsAndBits) {
  // More rows driven at once settle the bit line faster; a finer ADC needs a
  // closer settling; a pinned read time stays as given.
  double prev = 1e9;
  for (int p : {8, 16, 32, 64, 128}) {
    const double t = rram({"tile_class.pe.crossbar.parallel_rows=" + std::to_string(p)}).tile_classes[0].crossbar.read_ns;
    EXPECT_LT(t, prev) << p;
    prev = t;
  }
  prev = 0;
  for (int b : {2, 4, 6, 8}) {
    const double t = rram({"tile_class.pe.adc.bits=" + std::to_string(b)}).tile_classes[0].crossbar.read_ns;
    EXPECT_GT(t, prev) << b;
    prev = t;
  }
  EXPECT_EQ(rram({"tile_class.pe.crossbar.read_ns=10"}).tile_classes[0].crossbar.read_ns, 10.0);
  // SRAM: the read port (two stacked minimum transistors, I_on F / 2 V_dd at
  // LSTP's 500 uA/um) discharges a 280 F^2 cell's bit line.
  ArchConfig s = preset("neurosim-sram22");
  const double f = 0.022, c_bl = 128 * (std::sqrt(280.0) * f * 0.2 + f * 1.0);
  EXPECT_NEAR(s.tile_classes[0].crossbar.read_ns, std::log(32.0) * c_bl / (32 * 0.18 * 500 * f / 1.6), 1e-12);
}

TEST(CostModel, ColumnMuxByHand) {
  // 8 columns per sense amplifier: the selected transmission gate (2 F of
  // gate) switched at 0.8 V, the ADC node's 8 x 2 F of drains charged to 0.55 V.
  ArchConfig a = rram();
  const double f = 0.022;
  const double e = (2 * f * 0.64 + 8 * 2 * f * 0.55 * 0.55) * 1e-3;
  EXPECT_NEAR(a.tile_classes[0].crossbar.mux_energy_pj, e, 1e-15);
  EXPECT_NEAR(CostTable(a).energy_pj(0, Event::Sample), e, 1e-15);  // the presets' sample-and-hold is pinned to 0
  // Fewer ADCs: more columns on each ADC node.
  double prev = 0;
  for (int n : {128, 64, 32, 16}) {
    const double m = rram({"tile_class.pe.adc.count=" + std::to_string(n)}).tile_classes[0].crossbar.mux_energy_pj;
    EXPECT_GT(m, prev) << n;
    prev = m;
  }
  EXPECT_EQ(isaac().tile_classes[0].crossbar.mux_energy_pj, 0.0);  // ISAAC pins its cell figure
}

TEST(CostModel, WritePeripheryAndLayoutByHand) {
  // RRAM written at 2 V (> 0.8 V supply): 128 rows + 2 x 128 columns of level
  // shifters, 6 I/O transistors of 0.4 um (20 uA needs 0.04 um) at 0.27 um
  // gates: 6 x (0.4 + 0.54) x 0.81 um^2 each. The macro's empty corner is
  // A_row x A_col / A_array.
  ArchConfig a = rram();
  const auto& t = a.tile_classes[0];
  const double ls = 6 * (0.4 + 2 * 0.27) * 3 * 0.27;
  const double array = 128 * 128 * 48 * 0.022 * 0.022;
  const double row = 128 * (t.dac.area_mm2() * 1e6 + ls);
  const double col = 128 * (t.sample_hold.area_mm2 * 1e6 + 2 * ls) + (64 * t.adc.area_mm2() + 64 * t.ima.shift_add.area_mm2) * 1e6 / 4;
  EXPECT_NEAR(t.crossbar.periphery_um2, 384 * ls + row * col / array, 1e-6);
  EXPECT_NEAR(t.crossbar.area_mm2(), (array + t.crossbar.periphery_um2) * 1e-6, 1e-12);
  // Written at the supply: no shifters, only the corner of the read periphery.
  ArchConfig low = rram({"tile_class.pe.crossbar.write_voltage_v=0.8"});
  EXPECT_LT(low.tile_classes[0].crossbar.periphery_um2, t.crossbar.periphery_um2);
  // A higher write current widens the drivers (once above the I/O minimum
  // width: 0.4 um carries 200 uA, i.e. 100 uS at 2 V) and the 1T1R access
  // transistor. (With the cell free to grow the corner shrinks: a larger
  // array leaves thinner strips.)
  double prev_p = 0, prev_c = 0;
  for (double g : {100.0, 200.0, 400.0}) {
    const std::string gs = "device.rram.g_max_us=" + std::to_string(g);
    ArchConfig pinned_cell = rram({gs, "tile_class.pe.crossbar.cell_area_f2=48"});
    EXPECT_GT(pinned_cell.tile_classes[0].crossbar.periphery_um2, prev_p) << g;
    prev_p = pinned_cell.tile_classes[0].crossbar.periphery_um2;
    ArchConfig h = rram({gs});
    EXPECT_GT(h.tile_classes[0].crossbar.cell_area_f2, prev_c) << g;
    prev_c = h.tile_classes[0].crossbar.cell_area_f2;
  }
  // 400 uS at 2 V: 800 uA through a 500 uA/um access transistor = 72.7 F wide, cell 12 F x (72.7 + 2) F.
  EXPECT_NEAR(prev_c, 12 * (800.0 / 500 / 0.022 + 2), 1e-9);
  EXPECT_EQ(isaac().tile_classes[0].crossbar.periphery_um2, 0.0);  // ISAAC pins its array area
}

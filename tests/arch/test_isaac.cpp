// The ISAAC preset reproduces the paper's tile and chip totals (imc-facts section 1).
#include <gtest/gtest.h>

#include "../support/presets.hpp"

#include "arch/config/arch_config.hpp"
#include "arch/cost/cost_table.hpp"

using namespace tessera;
using tessera::testing::isaac;
using tessera::testing::preset;

namespace {
double c(const ComponentValues& v, Component k) { return v[static_cast<int>(k)]; }
}  // namespace

TEST(Isaac, ImaPowerAndArea) {
  CostTable t(isaac());
  const auto& p = t.tile_peak_mw(0);
  const auto& a = t.tile_area_mm2(0);
  // Per IMA (x12 per tile): ADC 16 mW, DAC 4 mW, S&H 10 uW, crossbars 2.4 mW,
  // shift-and-add 0.2 mW, input register 1.24 mW, output register 0.23 mW = 24.08 mW.
  EXPECT_NEAR(c(p, Component::Adc) / 12, 16.0, 1e-9);
  EXPECT_NEAR(c(p, Component::Dac) / 12, 4.0, 1e-9);
  EXPECT_NEAR(c(p, Component::SampleHold) / 12, 0.01, 1e-9);
  EXPECT_NEAR(c(p, Component::Crossbar) / 12, 2.4, 1e-9);
  EXPECT_NEAR(c(p, Component::ShiftAdd) / 12, 0.2, 1e-9);
  EXPECT_NEAR(c(p, Component::InputRegister) / 12, 1.24, 1e-9);
  EXPECT_NEAR(c(p, Component::ImaOutputRegister) / 12, 0.23, 1e-9);
  double ima_mw = (c(p, Component::Adc) + c(p, Component::Dac) + c(p, Component::SampleHold) + c(p, Component::Crossbar) +
                   c(p, Component::ShiftAdd) + c(p, Component::InputRegister) + c(p, Component::ImaOutputRegister)) / 12;
  EXPECT_NEAR(ima_mw, 24.08, 0.01);
  double ima_mm2 = (c(a, Component::Adc) + c(a, Component::Dac) + c(a, Component::SampleHold) + c(a, Component::Crossbar) +
                    c(a, Component::ShiftAdd) + c(a, Component::InputRegister) + c(a, Component::ImaOutputRegister)) / 12;
  EXPECT_NEAR(ima_mm2, 0.0131, 0.0001);
}

TEST(Isaac, TileTotalsWithinTwoPercent) {
  CostTable t(isaac());
  double mw = CostTable::sum(t.tile_peak_mw(0));
  double mm2 = CostTable::sum(t.tile_area_mm2(0));
  EXPECT_NEAR(mw, 330.0, 330.0 * 0.02);
  EXPECT_NEAR(mm2, 0.372, 0.372 * 0.02);
  // The router is shared by 4 tiles: 42 mW / 4, 0.151 mm^2 / 4.
  EXPECT_NEAR(c(t.tile_peak_mw(0), Component::Router), 10.5, 1e-9);
  EXPECT_NEAR(c(t.tile_area_mm2(0), Component::Router), 0.151 / 4, 1e-12);
}

TEST(Isaac, ChipTotalsWithinTwoPercent) {
  CostTable t(isaac());
  double w = CostTable::sum(t.chip_peak_mw()) / 1000;
  double mm2 = CostTable::sum(t.chip_area_mm2());
  EXPECT_NEAR(w, 55.4, 55.4 * 0.02);
  EXPECT_NEAR(mm2, 62.5, 62.5 * 0.02);
  // With the HyperTransport links: 65.8 W and 85.4 mm^2.
  EXPECT_NEAR(w + t.offchip_peak_mw() / 1000, 65.8, 65.8 * 0.02);
  EXPECT_NEAR(mm2 + t.offchip_area_mm2(), 85.4, 85.4 * 0.02);
}

TEST(Isaac, AdcBitsSweepScalesEnergy) {
  ArchConfig a6 = load_arch(std::string(TESSERA_SOURCE_DIR) + "/configs/arch/isaac.toml", {"tile_class.isaac.adc.bits=6"});
  CostTable t6(a6), t8(isaac());
  // The "scaled" model: energy and area follow 2^(bits - 8).
  EXPECT_NEAR(t6.energy_pj(0, Event::AdcConversion), t8.energy_pj(0, Event::AdcConversion) / 4, 1e-12);
  EXPECT_NEAR(c(t6.tile_area_mm2(0), Component::Adc), c(t8.tile_area_mm2(0), Component::Adc) / 4, 1e-12);
}

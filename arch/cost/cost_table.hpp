// The one cost table: energy per event, area and static power per component,
// derived once from the arch config (converter cost models applied). The
// analytical model and the simulator both price their event counts here.
#pragma once

#include <vector>

#include "arch/config/arch_config.hpp"
#include "arch/cost/events.hpp"

namespace tessera {

class CostTable {
 public:
  explicit CostTable(const ArchConfig& arch);

  double energy_pj(int tile_class, Event e) const { return energy_[tile_class][static_cast<int>(e)]; }
  // Energy of a set of counts on a tile class, by component (pJ).
  ComponentValues energy_by_component(int tile_class, const EventCounts& c) const;
  double total_energy_pj(int tile_class, const EventCounts& c) const;

  // One tile of a class: area, peak power (every unit busy at its peak rate)
  // and static power, by component. The router share is router / concentration.
  const ComponentValues& tile_area_mm2(int tile_class) const { return tile_area_[tile_class]; }
  const ComponentValues& tile_peak_mw(int tile_class) const { return tile_peak_[tile_class]; }
  const ComponentValues& tile_leakage_mw(int tile_class) const { return tile_leak_[tile_class]; }
  // The chip: all tiles plus global buffer (and the off-chip interface when
  // offchip.count_in_chip is set).
  const ComponentValues& chip_area_mm2() const { return chip_area_; }
  const ComponentValues& chip_peak_mw() const { return chip_peak_; }
  const ComponentValues& chip_leakage_mw() const { return chip_leak_; }
  // The off-chip interface on its own.
  double offchip_peak_mw() const { return offchip_peak_mw_; }
  double offchip_area_mm2() const { return offchip_area_mm2_; }

  static double sum(const ComponentValues& v);

 private:
  static void chip_events(const ArchConfig& a, std::array<double, kEvents>& e);
  std::vector<std::array<double, kEvents>> energy_;
  std::vector<ComponentValues> tile_area_, tile_peak_, tile_leak_;
  ComponentValues chip_area_{}, chip_peak_{}, chip_leak_{};
  double offchip_peak_mw_ = 0, offchip_area_mm2_ = 0;
};

}  // namespace tessera

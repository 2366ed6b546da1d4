#include "arch/cost/cost_table.hpp"

#include <algorithm>

namespace tessera {

namespace {
int idx(Component c) { return static_cast<int>(c); }
int idx(Event e) { return static_cast<int>(e); }
}  // namespace

// Events priced the same on every unit: the network, the global buffer, off chip.
void CostTable::chip_events(const ArchConfig& a, std::array<double, kEvents>& e) {
  e[idx(Event::RouterFlit)] = a.noc.router_energy_pj_per_flit;
  e[idx(Event::LinkFlit)] = a.noc.link_energy_pj_per_flit;
  e[idx(Event::GlobalBufferRead)] = a.global_buffer.read_energy_pj_per_bit;
  e[idx(Event::GlobalBufferWrite)] = a.global_buffer.write_energy_pj_per_bit;
  e[idx(Event::OffchipByte)] = a.offchip.energy_pj_per_byte;
}

double CostTable::sum(const ComponentValues& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

namespace {

// Area, peak power (mW = pJ/ns) and static power of one unit, by component.
struct UnitFigures {
  ComponentValues area{}, peak{}, leak{};
  void set(Component c, double a, double p, double l) {
    area[idx(c)] = a;
    peak[idx(c)] = p;
    leak[idx(c)] = l;
  }
  // Storage: every port moves width_bits each cycle at the larger access energy.
  void storage(Component c, const StorageParams& s, double copies, double f_ghz) {
    set(c, copies * s.area_mm2,
        copies * s.ports * s.width_bits * f_ghz * std::max(s.read_energy_pj_per_bit, s.write_energy_pj_per_bit),
        copies * s.leakage_mw);
  }
  // Digital units: count x ops_per_cycle operations every cycle.
  void digital(Component c, const DigitalUnitParams& u, double units, double f_ghz) {
    set(c, units * u.area_mm2, units * u.ops_per_cycle * f_ghz * u.energy_pj, units * u.leakage_mw);
  }
  // The unit's share of a router serving `concentration` units.
  void router(const ArchConfig& a, int concentration) {
    set(Component::Router, a.noc.router_area_mm2 / concentration,
        a.noc.router_ports * a.clock_ghz * (a.noc.router_energy_pj_per_flit + a.noc.link_energy_pj_per_flit) / concentration,
        a.noc.router_leakage_mw / concentration);
  }
};

UnitFigures crossbar_tile(const ArchConfig& a, const TileClassParams& t, int concentration) {
  const double f = a.clock_ghz;
  const double xbars = t.crossbars();
  const double rows = xbars * t.crossbar.rows, cols = xbars * t.crossbar.cols;
  const double adcs = double(t.imas) * t.adc.count;
  // At peak every array reads a phase (parallel_rows rows) every read_ns.
  const double reads_per_ns = 1.0 / t.crossbar.read_ns;  // per array
  const double driven = double(t.crossbar.parallel_rows) / t.crossbar.rows;  // fraction of rows per phase
  UnitFigures u;
  u.set(Component::Crossbar, xbars * t.crossbar.area_mm2(),
        xbars * reads_per_ns * (driven * t.crossbar.read_energy_pj() + t.crossbar.phase_energy_pj),
        xbars * t.crossbar.leakage_mw);
  u.set(Component::Dac, rows * t.dac.area_mm2(), rows * driven * reads_per_ns * t.dac.energy_pj(), rows * t.dac.leakage_mw);
  u.set(Component::SampleHold, cols * t.sample_hold.area_mm2, cols * reads_per_ns * (t.sample_hold.energy_pj + t.crossbar.mux_energy_pj),
        cols * t.sample_hold.leakage_mw);
  u.set(Component::Adc, adcs * t.adc.area_mm2(), adcs * t.adc.conversions_per_ns() * t.adc.energy_pj(), adcs * t.adc.leakage_mw);
  u.digital(Component::ShiftAdd, t.ima.shift_add, double(t.imas) * t.ima.shift_add.count, f);
  u.storage(Component::InputRegister, t.ima.input_register, t.imas, f);
  u.storage(Component::ImaOutputRegister, t.ima.output_register, t.imas, f);
  u.storage(Component::Buffer, t.buffer, 1, f);
  u.set(Component::Bus, t.bus.area_mm2, t.bus.width_bits * f * t.bus.energy_pj_per_bit, t.bus.leakage_mw);
  u.digital(Component::Reduce, t.reduce, t.reduce.count, f);
  u.digital(Component::Activation, t.activation, t.activation.count, f);
  u.digital(Component::Pooling, t.pooling, t.pooling.count, f);
  u.storage(Component::OutputRegister, t.output_register, 1, f);
  u.router(a, concentration);
  return u;
}

UnitFigures ap_unit(const ArchConfig& a, const ApClassParams& t, int concentration) {
  const double f = a.clock_ghz;
  UnitFigures u;
  u.set(Component::ApArray, t.area_mm2, 0, t.leakage_mw);
  // The CAM alternates compare and write cycles; one cluster shifts or is accessed at a time.
  const double pass_ns = t.ap.compare_ns + t.ap.write_ns;
  if (pass_ns > 0) {
    u.set(Component::ApCompare, 0, t.ap.compare_pj / pass_ns, 0);
    u.set(Component::ApWrite, 0, t.ap.write_pj / pass_ns, 0);
  }
  if (t.rtm.shift_ns > 0) u.set(Component::RtmShift, 0, t.rtm.shift_pj / t.rtm.shift_ns, 0);
  double access = 0;
  if (t.rtm.read_ns > 0) access = std::max(access, t.rtm.read_pj / t.rtm.read_ns);
  if (t.rtm.write_ns > 0) access = std::max(access, t.rtm.write_pj / t.rtm.write_ns);
  u.set(Component::RtmAccess, 0, access, 0);
  u.storage(Component::Buffer, t.buffer, 1, f);
  u.digital(Component::Activation, t.activation, t.activation.count, f);
  u.digital(Component::Pooling, t.pooling, t.pooling.count, f);
  u.router(a, concentration);
  return u;
}

}  // namespace

CostTable::CostTable(const ArchConfig& a) {
  const int concentration = std::max(1, a.noc.topology->tiles_per_router());
  auto add_class = [&](const std::array<double, kEvents>& e, const UnitFigures& u, int count) {
    energy_.push_back(e);
    tile_area_.push_back(u.area);
    tile_peak_.push_back(u.peak);
    tile_leak_.push_back(u.leak);
    for (int i = 0; i < kComponents; ++i) {
      chip_area_[i] += count * u.area[i];
      chip_peak_[i] += count * u.peak[i];
      chip_leak_[i] += count * u.leak[i];
    }
  };
  for (const auto& t : a.tile_classes) {
    std::array<double, kEvents> e{};
    chip_events(a, e);
    // A read costs what it drives: cells (read_energy_fj_per_cell each),
    // rows (word-line drivers) and columns (bit lines, sample-and-hold, ADC).
    e[idx(Event::CellRead)] = t.crossbar.read_energy_fj_per_cell * 1e-3;
    e[idx(Event::CrossbarRead)] = t.crossbar.phase_energy_pj;
    e[idx(Event::DacConversion)] = t.dac.energy_pj();
    e[idx(Event::Sample)] = t.sample_hold.energy_pj + t.crossbar.mux_energy_pj;  // the column's hold and its mux switch
    e[idx(Event::AdcConversion)] = t.adc.energy_pj();
    e[idx(Event::ShiftAddOp)] = t.ima.shift_add.energy_pj;
    e[idx(Event::InputRegisterRead)] = t.ima.input_register.read_energy_pj_per_bit;
    e[idx(Event::InputRegisterWrite)] = t.ima.input_register.write_energy_pj_per_bit;
    e[idx(Event::ImaOutputWrite)] = t.ima.output_register.write_energy_pj_per_bit;
    e[idx(Event::ImaOutputRead)] = t.ima.output_register.read_energy_pj_per_bit;
    e[idx(Event::BufferRead)] = t.buffer.read_energy_pj_per_bit;
    e[idx(Event::BufferWrite)] = t.buffer.write_energy_pj_per_bit;
    e[idx(Event::BusBit)] = t.bus.energy_pj_per_bit;
    e[idx(Event::ReduceOp)] = t.reduce.energy_pj;
    e[idx(Event::ActivationOp)] = t.activation.energy_pj;
    e[idx(Event::PoolOp)] = t.pooling.energy_pj;
    e[idx(Event::OutputRegisterWrite)] = t.output_register.write_energy_pj_per_bit;
    e[idx(Event::OutputRegisterRead)] = t.output_register.read_energy_pj_per_bit;
    e[idx(Event::CellWrite)] = t.crossbar.write_energy_pj_per_cell;
    add_class(e, crossbar_tile(a, t, concentration), t.count);
  }
  // AP classes: the CAM's passes and the racetracks' shifts and accesses.
  for (const auto& t : a.ap_classes) {
    std::array<double, kEvents> e{};
    chip_events(a, e);
    e[idx(Event::ApCompare)] = t.ap.compare_pj;
    e[idx(Event::ApWrite)] = t.ap.write_pj;
    e[idx(Event::RtmShift)] = t.rtm.shift_pj;
    e[idx(Event::RtmRead)] = t.rtm.read_pj;
    e[idx(Event::RtmWrite)] = t.rtm.write_pj;
    e[idx(Event::BufferRead)] = t.buffer.read_energy_pj_per_bit;
    e[idx(Event::BufferWrite)] = t.buffer.write_energy_pj_per_bit;
    e[idx(Event::ActivationOp)] = t.activation.energy_pj;
    e[idx(Event::PoolOp)] = t.pooling.energy_pj;
    add_class(e, ap_unit(a, t, concentration), t.count);
  }
  UnitFigures chip;
  if (a.global_buffer.bytes > 0) chip.storage(Component::GlobalBuffer, a.global_buffer, 1, a.clock_ghz);
  offchip_area_mm2_ = a.offchip.area_mm2;
  offchip_peak_mw_ = a.offchip.bandwidth_gbytes_s * a.offchip.energy_pj_per_byte + a.offchip.leakage_mw;  // GB/s * pJ/B = mW
  if (a.offchip.count_in_chip) chip.set(Component::Offchip, offchip_area_mm2_, offchip_peak_mw_, a.offchip.leakage_mw);
  for (int i = 0; i < kComponents; ++i) {
    chip_area_[i] += chip.area[i];
    chip_peak_[i] += chip.peak[i];
    chip_leak_[i] += chip.leak[i];
  }
}

ComponentValues CostTable::energy_by_component(int cls, const EventCounts& c) const {
  ComponentValues v{};
  for (int i = 0; i < kEvents; ++i) {
    if (c.n[i] == 0) continue;
    v[idx(component_of(static_cast<Event>(i)))] += c.n[i] * energy_[cls][i];
  }
  return v;
}

double CostTable::total_energy_pj(int cls, const EventCounts& c) const {
  double s = 0;
  for (int i = 0; i < kEvents; ++i) s += c.n[i] * energy_[cls][i];
  return s;
}

}  // namespace tessera

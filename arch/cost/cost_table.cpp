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

CostTable::CostTable(const ArchConfig& a) {
  const double f_ghz = a.clock_ghz;  // cycles per ns
  const int concentration = std::max(1, a.noc.topology->tiles_per_router());
  for (const auto& t : a.tile_classes) {
    std::array<double, kEvents> e{};
    chip_events(a, e);
    e[idx(Event::CrossbarRead)] = t.crossbar.read_energy_pj();
    e[idx(Event::DacConversion)] = t.dac.energy_pj();
    e[idx(Event::Sample)] = t.sample_hold.energy_pj;
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
    energy_.push_back(e);

    // Per tile: counts of each unit.
    const double xbars = t.crossbars();
    const double rows = xbars * t.crossbar.rows, cols = xbars * t.crossbar.cols;
    const double adcs = double(t.imas) * t.adc.count;
    const double reads_per_ns = 1.0 / t.crossbar.read_ns;  // per array
    auto storage_peak = [&](const StorageParams& s) {
      return s.ports * s.width_bits * f_ghz * std::max(s.read_energy_pj_per_bit, s.write_energy_pj_per_bit);
    };
    auto unit_peak = [&](const DigitalUnitParams& u, double units) {
      return units * u.ops_per_cycle * f_ghz * u.energy_pj;
    };
    ComponentValues area{}, peak{}, leak{};  // pJ/ns == mW
    area[idx(Component::Crossbar)] = xbars * t.crossbar.area_mm2();
    peak[idx(Component::Crossbar)] = xbars * reads_per_ns * t.crossbar.read_energy_pj();
    leak[idx(Component::Crossbar)] = xbars * t.crossbar.leakage_mw;
    area[idx(Component::Dac)] = rows * t.dac.area_mm2();
    peak[idx(Component::Dac)] = rows * reads_per_ns * t.dac.energy_pj();
    leak[idx(Component::Dac)] = rows * t.dac.leakage_mw;
    area[idx(Component::SampleHold)] = cols * t.sample_hold.area_mm2;
    peak[idx(Component::SampleHold)] = cols * reads_per_ns * t.sample_hold.energy_pj;
    leak[idx(Component::SampleHold)] = cols * t.sample_hold.leakage_mw;
    area[idx(Component::Adc)] = adcs * t.adc.area_mm2();
    peak[idx(Component::Adc)] = adcs * t.adc.rate_gsps * t.adc.energy_pj();
    leak[idx(Component::Adc)] = adcs * t.adc.leakage_mw;
    const double sa = double(t.imas) * t.ima.shift_add.count;
    area[idx(Component::ShiftAdd)] = sa * t.ima.shift_add.area_mm2;
    peak[idx(Component::ShiftAdd)] = unit_peak(t.ima.shift_add, sa);
    leak[idx(Component::ShiftAdd)] = sa * t.ima.shift_add.leakage_mw;
    area[idx(Component::InputRegister)] = t.imas * t.ima.input_register.area_mm2;
    peak[idx(Component::InputRegister)] = t.imas * storage_peak(t.ima.input_register);
    leak[idx(Component::InputRegister)] = t.imas * t.ima.input_register.leakage_mw;
    area[idx(Component::ImaOutputRegister)] = t.imas * t.ima.output_register.area_mm2;
    peak[idx(Component::ImaOutputRegister)] = t.imas * storage_peak(t.ima.output_register);
    leak[idx(Component::ImaOutputRegister)] = t.imas * t.ima.output_register.leakage_mw;
    area[idx(Component::Buffer)] = t.buffer.area_mm2;
    peak[idx(Component::Buffer)] = storage_peak(t.buffer);
    leak[idx(Component::Buffer)] = t.buffer.leakage_mw;
    area[idx(Component::Bus)] = t.bus.area_mm2;
    peak[idx(Component::Bus)] = t.bus.width_bits * f_ghz * t.bus.energy_pj_per_bit;
    leak[idx(Component::Bus)] = t.bus.leakage_mw;
    for (auto [c, u] : {std::pair{Component::Reduce, &t.reduce}, std::pair{Component::Activation, &t.activation},
                        std::pair{Component::Pooling, &t.pooling}}) {
      area[idx(c)] = u->count * u->area_mm2;
      peak[idx(c)] = unit_peak(*u, u->count);
      leak[idx(c)] = u->count * u->leakage_mw;
    }
    area[idx(Component::OutputRegister)] = t.output_register.area_mm2;
    peak[idx(Component::OutputRegister)] = storage_peak(t.output_register);
    leak[idx(Component::OutputRegister)] = t.output_register.leakage_mw;
    area[idx(Component::Router)] = a.noc.router_area_mm2 / concentration;
    peak[idx(Component::Router)] = a.noc.router_ports * f_ghz *
                                   (a.noc.router_energy_pj_per_flit + a.noc.link_energy_pj_per_flit) / concentration;
    leak[idx(Component::Router)] = a.noc.router_leakage_mw / concentration;
    tile_area_.push_back(area);
    tile_peak_.push_back(peak);
    tile_leak_.push_back(leak);
    for (int i = 0; i < kComponents; ++i) {
      chip_area_[i] += t.count * area[i];
      chip_peak_[i] += t.count * peak[i];
      chip_leak_[i] += t.count * leak[i];
    }
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
    energy_.push_back(e);
    ComponentValues area{}, peak{}, leak{};
    area[idx(Component::ApArray)] = t.area_mm2;
    leak[idx(Component::ApArray)] = t.leakage_mw;
    // The CAM alternates compare and write cycles; one cluster shifts at a time.
    const double pass_ns = t.ap.compare_ns + t.ap.write_ns;
    if (pass_ns > 0) {
      peak[idx(Component::ApCompare)] = t.ap.compare_pj / pass_ns;
      peak[idx(Component::ApWrite)] = t.ap.write_pj / pass_ns;
    }
    if (t.rtm.shift_ns > 0) peak[idx(Component::RtmShift)] = t.rtm.shift_pj / t.rtm.shift_ns;
    if (t.rtm.write_ns > 0) peak[idx(Component::RtmAccess)] = std::max(t.rtm.write_pj / t.rtm.write_ns, t.rtm.read_pj / std::max(1e-12, t.rtm.read_ns));
    area[idx(Component::Buffer)] = t.buffer.area_mm2;
    peak[idx(Component::Buffer)] = t.buffer.ports * t.buffer.width_bits * f_ghz *
                                   std::max(t.buffer.read_energy_pj_per_bit, t.buffer.write_energy_pj_per_bit);
    leak[idx(Component::Buffer)] = t.buffer.leakage_mw;
    for (auto [c, u] : {std::pair{Component::Activation, &t.activation}, std::pair{Component::Pooling, &t.pooling}}) {
      area[idx(c)] = u->count * u->area_mm2;
      peak[idx(c)] = u->count * u->ops_per_cycle * f_ghz * u->energy_pj;
      leak[idx(c)] = u->count * u->leakage_mw;
    }
    area[idx(Component::Router)] = a.noc.router_area_mm2 / concentration;
    peak[idx(Component::Router)] = a.noc.router_ports * f_ghz *
                                   (a.noc.router_energy_pj_per_flit + a.noc.link_energy_pj_per_flit) / concentration;
    leak[idx(Component::Router)] = a.noc.router_leakage_mw / concentration;
    tile_area_.push_back(area);
    tile_peak_.push_back(peak);
    tile_leak_.push_back(leak);
    for (int i = 0; i < kComponents; ++i) {
      chip_area_[i] += t.count * area[i];
      chip_peak_[i] += t.count * peak[i];
      chip_leak_[i] += t.count * leak[i];
    }
  }
  const auto& g = a.global_buffer;
  if (g.bytes > 0) {
    chip_area_[idx(Component::GlobalBuffer)] += g.area_mm2;
    chip_peak_[idx(Component::GlobalBuffer)] +=
        g.ports * g.width_bits * f_ghz * std::max(g.read_energy_pj_per_bit, g.write_energy_pj_per_bit);
    chip_leak_[idx(Component::GlobalBuffer)] += g.leakage_mw;
  }
  offchip_area_mm2_ = a.offchip.area_mm2;
  offchip_peak_mw_ = a.offchip.bandwidth_gbytes_s * a.offchip.energy_pj_per_byte + a.offchip.leakage_mw;  // GB/s * pJ/B = mW
  if (a.offchip.count_in_chip) {
    chip_area_[idx(Component::Offchip)] += offchip_area_mm2_;
    chip_peak_[idx(Component::Offchip)] += offchip_peak_mw_;
    chip_leak_[idx(Component::Offchip)] += a.offchip.leakage_mw;
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

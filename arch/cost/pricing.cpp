#include "arch/cost/pricing.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "arch/config/arch_config.hpp"
#include "arch/cost/published.hpp"
#include "arch/cost/technology.hpp"
#include "arch/device/device.hpp"

namespace tessera {

namespace {

// Crossbar cells. 1T1R/1FeFET: 4 F x 12 F, the access-transistor-limited
// layout NeuroSim V1.4 assumes; crosspoint: 2 F x 2 F, the physical minimum of
// a cell between two wire pitches; 6T SRAM: ITRS ~146 F^2; 8T compute SRAM:
// 10 F x 28 F (NeuroSim V1.4's SRAM cell above 14 nm).
const CellStructure kCells[] = {
    {"1t1r", 48, 1, true},
    {"crosspoint", 4, 0, true},
    {"1fefet", 48, 1, true},
    {"sram6t", published::kSramCellF2, 6, false},
    {"sram8t", 280, 8, false},
};

const char* usual_cell(const std::string& device_impl) {
  if (device_impl == "sram") return "sram8t";
  if (device_impl == "fefet") return "1fefet";
  return "1t1r";  // rram, pcm
}

void pin_or(bool pinned, double& field, double value) {
  if (!pinned) field = value;
}

// A level shifter and write driver of thick-oxide I/O transistors, sized for
// the write current of one cell at its highest conductance (um^2).
double level_shifter_um2(const CrossbarParams& xb, double g_max_us) {
  const double i_write_ua = xb.write_voltage_v * g_max_us;
  const double w_um = std::max(published::kIoMinWidthUm, i_write_ua / published::kIoOnCurrentUaPerUm);
  return published::kLevelShifterTransistors * (w_um + 2 * published::kIoGateLengthUm) * 3 * published::kIoGateLengthUm;
}

void price_crossbar_tile(const ArchConfig& a, TileClassParams& t) {
  const Technology& tech = a.tech;
  CrossbarParams& xb = t.crossbar;
  const auto& dev = *a.devices.at(xb.device);
  if (xb.cell.empty()) xb.cell = usual_cell(dev.impl());
  const CellStructure& cell = cell_structure(xb.cell.c_str());
  const double f_um = tech.feature_um();
  const bool shifted = cell.resistive && xb.write_voltage_v > tech.vdd_v;  // programmed above the core supply
  if (xb.cell_area_f2 == 0) {
    xb.cell_area_f2 = cell.area_f2;
    // A cell with one access transistor: the transistor passes the write
    // current of the cell at g_max, so its width (and the cell's height) grows
    // with that current.
    if (cell.transistors == 1 && xb.write_voltage_v > 0) {
      const double w_access_f = xb.write_voltage_v * dev.g_max() / tech.i_on_ua_per_um / f_um;
      xb.cell_area_f2 = std::max(xb.cell_area_f2, published::kAccessCellWidthF * (w_access_f + published::kAccessIsolationF));
    }
  }
  const double pitch_um = std::sqrt(xb.cell_area_f2) * f_um;  // square cell
  pin_or(xb.area_pinned, xb.area_um2_per_cell, xb.cell_area_f2 * tech.f2_um2());

  // Word line: the wire across the columns plus the access gates on it, at
  // the supply for transistor cells, at the read bias for crosspoints.
  const double gates = cell.transistors > 0 ? 1.0 : 0.0;
  const double c_wl = xb.cols * (pitch_um * tech.wire_cap_ff_per_um + gates * f_um * tech.gate_cap_ff_per_um);
  const double v_wl = cell.transistors > 0 ? tech.vdd_v : xb.read_voltage_v;
  t.dac.resolve({&tech, c_wl, v_wl, xb.input_activity});
  t.adc.resolve({&tech, 0, 0, 1});
  pin_or(t.dac.leakage_pinned, t.dac.leakage_mw, area_leakage_mw(t.dac.area_mm2(), tech));
  pin_or(t.adc.leakage_pinned, t.adc.leakage_mw, area_leakage_mw(t.adc.area_mm2(), tech));

  // Bit line: wire and the cells' drains down the rows.
  const double c_bl = xb.rows * (pitch_um * tech.wire_cap_ff_per_um + f_um * tech.gate_cap_ff_per_um);
  // A phase's read: the bit line settles to half an LSB of the ADC through
  // the cells the phase drives (parallel_rows x input_activity of them, at
  // least one): t = ln(2^(bits+1)) C_bl / G_col (fF / uS = ns). A resistive
  // cell conducts G_mean; an SRAM read port is two stacked minimum
  // transistors, I_on F / (2 V_dd).
  const double g_mean_us = 0.5 * (dev.g_min() + dev.g_max());
  const double g_cell_us = cell.resistive ? g_mean_us : tech.i_on_ua_per_um * f_um / (2 * tech.vdd_v);
  const double conducting = std::max(1.0, xb.parallel_rows * xb.input_activity);
  const double settle_ns = std::log(std::ldexp(1.0, t.adc.bits + 1)) * c_bl / (conducting * g_cell_us);
  pin_or(xb.read_time_pinned, xb.read_ns, settle_ns);
  // A column's cells conduct while it settles and is sensed: the column mux
  // connects one column per ADC at a time, the others float and stop
  // conducting once their line is charged.
  pin_or(xb.pulse_pinned, xb.read_pulse_ns, settle_ns + t.adc.conversion_ns());

  // Cell read: V^2 G t at the device's mean conductance for resistive cells
  // (uS x V^2 x ns = fJ); an SRAM cell discharges its read port's drain.
  const double cell_fj = cell.resistive ? xb.read_voltage_v * xb.read_voltage_v * g_mean_us * xb.read_pulse_ns
                                        : tech.gate_cap_ff_per_um * f_um * tech.vdd_v * tech.vdd_v;
  pin_or(xb.read_pinned, xb.read_energy_fj_per_cell, xb.input_activity * cell_fj);
  xb.priced_cell_g_us = cell.resistive && !xb.read_pinned ? g_mean_us : 0.0;
  pin_or(xb.leakage_pinned, xb.leakage_mw, tech.leakage_mw(double(xb.rows) * xb.cols * cell.transistors * f_um));

  // Every read phase charges the array's bit lines (wire and the cells'
  // drains) to the read bias (part of a pinned cell figure otherwise).
  xb.phase_energy_pj = xb.read_pinned ? 0.0 : xb.cols * Technology::switch_pj(c_bl, xb.read_voltage_v);
  // Column mux, per column converted: its transmission gate (two minimum
  // transistors) switched at the supply, and the ADC input node (the drains
  // of the ADC's column switches) charged to the read bias.
  const double cols_per_adc = std::ceil(double(t.ima.crossbars) * xb.cols / std::max(1, t.adc.count));
  xb.mux_energy_pj = xb.read_pinned ? 0.0
                                    : Technology::switch_pj(2 * f_um * tech.gate_cap_ff_per_um, tech.vdd_v) +
                                          Technology::switch_pj(cols_per_adc * 2 * f_um * tech.gate_cap_ff_per_um, xb.read_voltage_v);
  // Sample-and-hold per column: a hold capacitor sized to the ADC's LSB
  // (2^bits unit capacitors) charged at the supply.
  const double c_hold = tech.unit_cap_ff * std::ldexp(1.0, t.adc.bits);
  pin_or(t.sample_hold.energy_pinned, t.sample_hold.energy_pj, Technology::switch_pj(c_hold, tech.vdd_v));
  pin_or(t.sample_hold.area_pinned, t.sample_hold.area_mm2, c_hold / published::kCapDensityFfPerUm2 * 1e-6);

  price_digital(t.ima.shift_add, tech, a.clock_ghz);
  price_storage(t.ima.input_register, tech);
  price_storage(t.ima.output_register, tech);
  price_storage(t.buffer, tech);
  price_digital(t.reduce, tech, a.clock_ghz);
  price_digital(t.activation, tech, a.clock_ghz);
  price_digital(t.pooling, tech, a.clock_ghz);
  price_storage(t.output_register, tech);

  // The array macro is a rectangle: the row periphery (drivers, write level
  // shifters) is pitch-matched in a strip beside the array, the column
  // periphery (sample-and-hold, write drivers, the array's share of the ADCs
  // and shift-and-adds) in a strip below it. The strips' widths are their
  // areas over the array's side, so the corner they leave empty is
  // A_row x A_col / A_array, whatever the aspect ratio.
  if (!xb.area_pinned) {
    const double ls_um2 = shifted ? level_shifter_um2(xb, dev.g_max()) : 0.0;
    const double array_um2 = xb.area_um2_per_cell * xb.rows * xb.cols;
    const double share = 1.0 / std::max(1, t.ima.crossbars);
    const double row_um2 = xb.rows * (t.dac.area_mm2() * 1e6 + ls_um2);
    const double col_um2 = xb.cols * (t.sample_hold.area_mm2 * 1e6 + 2 * ls_um2) +
                           share * 1e6 * (t.adc.count * t.adc.area_mm2() + t.ima.shift_add.count * t.ima.shift_add.area_mm2);
    const double write_um2 = (xb.rows + 2.0 * xb.cols) * ls_um2;
    xb.periphery_um2 = write_um2 + row_um2 * col_um2 / array_um2;
  }
}

// Area of one tile without its bus and router (for wire lengths).
double tile_core_area_mm2(const TileClassParams& t) {
  const double ima = t.ima.crossbars * (t.crossbar.area_mm2() + t.crossbar.rows * t.dac.area_mm2() +
                                        t.crossbar.cols * t.sample_hold.area_mm2) +
                     t.adc.count * t.adc.area_mm2() + t.ima.shift_add.count * t.ima.shift_add.area_mm2 +
                     t.ima.input_register.area_mm2 + t.ima.output_register.area_mm2;
  return t.imas * ima + t.buffer.area_mm2 + t.reduce.count * t.reduce.area_mm2 +
         t.activation.count * t.activation.area_mm2 + t.pooling.count * t.pooling.area_mm2 + t.output_register.area_mm2;
}

// Energy of one bit over a wire of `mm` at the node: activity C L V^2.
double wire_bit_pj(const Technology& t, double mm) {
  return t.wire_activity * Technology::switch_pj(t.wire_cap_ff_per_um * mm * 1e3, t.vdd_v);
}

// An AP unit: a NOR-type CAM (Pagiamtzis and Sheikholeslami, "Content-
// addressable memory (CAM) circuits and architectures: a tutorial and
// survey", JSSC 2006): a compare drives key_bits search lines down all rows
// and precharges every row's match line across the key's cells; a write
// drives write_bits bit lines down all rows. Area: the CAM cells under the
// racetrack ports plus the racetrack domains.
void price_ap_unit(ApClassParams& c, const Technology& tech) {
  ap::ApParams& ap = c.ap;
  const double f_um = tech.feature_um();
  const double per_cell_ff = std::sqrt(ap.cam_cell_f2) * f_um * tech.wire_cap_ff_per_um + f_um * tech.gate_cap_ff_per_um;
  const double line_ff = ap.rows * per_cell_ff;          // a search or bit line down all rows
  const double match_ff = ap.key_bits * per_cell_ff;     // one row's match line over the key
  pin_or(ap.compare_pinned, ap.compare_pj,
         ap.key_bits * Technology::switch_pj(line_ff, tech.vdd_v) + ap.rows * Technology::switch_pj(match_ff, tech.vdd_v));
  pin_or(ap.write_pinned, ap.write_pj, ap.write_bits * Technology::switch_pj(line_ff, tech.vdd_v));
  const double cam_mm2 = ap.rows * ap.key_bits * ap.cam_cell_f2 * tech.f2_um2() * 1e-6;
  const double track_mm2 = double(c.racetrack_kib) * 8192 * c.domain_f2 * tech.f2_um2() * 1e-6 / published::kArrayEfficiency;
  pin_or(c.area_pinned, c.area_mm2, cam_mm2 + track_mm2);
  pin_or(c.leakage_pinned, c.leakage_mw, area_leakage_mw(cam_mm2, tech));
}

}  // namespace

const CellStructure& cell_structure(const char* name) {
  for (const auto& c : kCells)
    if (std::strcmp(c.name, name) == 0) return c;
  return kCells[0];
}

double area_leakage_mw(double area_mm2, const Technology& t) {
  return t.leakage_mw(area_mm2 * 1e6 * published::kWidthPerAreaF / t.feature_um());
}

void price_digital(DigitalUnitParams& u, const Technology& t, double clock_ghz) {
  const double w = u.width_bits / 32.0;
  pin_or(u.energy_pinned, u.energy_pj, published::kAdd32EnergyPj * w * t.energy_vs_horowitz());
  pin_or(u.area_pinned, u.area_mm2, published::kAdd32AreaUm2 * w * t.area_vs_45() * 1e-6);
  pin_or(u.leakage_pinned, u.leakage_mw, area_leakage_mw(u.area_mm2, t));
  // Its stage at the node, in whole cycles (at least one). The tolerance keeps
  // a stage that exactly fills a cycle at one cycle.
  if (!u.latency_pinned) {
    const double stage_ns = published::kDigitalStageNs * t.delay_vs(published::kDigitalStageNodeNm);
    u.latency_cycles = std::max(1, int(std::ceil(stage_ns * clock_ghz - 1e-9)));
  }
}

void price_storage(StorageParams& s, const Technology& t) {
  if (s.bytes <= 0) return;
  if (s.cell_area_f2 == 0)
    s.cell_area_f2 = s.kind == "register" ? published::kRegisterCellF2 : s.kind == "edram" ? published::kEdramCellF2 : published::kSramCellF2;
  const double bit_pj = published::kSram8kbBitEnergyPj * std::sqrt(s.bytes / published::kSramRefBytes) * t.energy_vs_horowitz();
  pin_or(s.read_pinned, s.read_energy_pj_per_bit, bit_pj);
  pin_or(s.write_pinned, s.write_energy_pj_per_bit, bit_pj);
  pin_or(s.area_pinned, s.area_mm2, s.bytes * 8 * s.cell_area_f2 * t.f2_um2() / published::kArrayEfficiency * 1e-6);
  pin_or(s.leakage_pinned, s.leakage_mw, area_leakage_mw(s.area_mm2, t));
}

void price_components(ArchConfig& a) {
  const Technology& tech = a.tech;
  double tile_area_sum = 0;
  int tiles = 0;
  for (auto& t : a.tile_classes) {
    price_crossbar_tile(a, t);
    // The bus spans the tile: its side, from the tile's area without it.
    const double pitch_mm = std::sqrt(tile_core_area_mm2(t));
    pin_or(t.bus.energy_pinned, t.bus.energy_pj_per_bit, wire_bit_pj(tech, pitch_mm));
    pin_or(t.bus.area_pinned, t.bus.area_mm2, t.bus.width_bits * published::kWirePitchF * tech.feature_um() * 1e-3 * pitch_mm);
    tile_area_sum += t.count * (tile_core_area_mm2(t) + t.bus.area_mm2);
    tiles += t.count;
  }
  for (auto& c : a.ap_classes) {
    price_ap_unit(c, tech);
    price_storage(c.buffer, tech);
    price_digital(c.activation, tech, a.clock_ghz);
    price_digital(c.pooling, tech, a.clock_ghz);
    tile_area_sum += c.count * (c.area_mm2 + c.buffer.area_mm2);
    tiles += c.count;
  }
  price_storage(a.global_buffer, tech);

  // Network: links one tile pitch long; a router is its input buffers (written
  // and read once per flit) and a switch of ports x flit_bits wires.
  NocParams& n = a.noc;
  const double tile_pitch_mm = tiles > 0 ? std::sqrt(tile_area_sum / tiles) : 0;
  pin_or(n.link_pinned, n.link_energy_pj_per_flit, n.flit_bits * wire_bit_pj(tech, tile_pitch_mm));
  StorageParams buf;
  buf.bytes = double(n.router_ports) * published::kRouterBufferFlits * n.flit_bits / 8.0;
  buf.kind = "register";
  price_storage(buf, tech);
  const double switch_side_mm = n.router_ports * n.flit_bits * published::kWirePitchF * tech.feature_um() * 1e-3;
  pin_or(n.router_pinned, n.router_energy_pj_per_flit,
         n.flit_bits * (buf.read_energy_pj_per_bit + buf.write_energy_pj_per_bit + wire_bit_pj(tech, switch_side_mm)));
  pin_or(n.router_area_pinned, n.router_area_mm2, buf.area_mm2 + switch_side_mm * switch_side_mm);
  pin_or(n.router_leakage_pinned, n.router_leakage_mw, area_leakage_mw(n.router_area_mm2, tech));
}

}  // namespace tessera

// The chip's CMOS technology node: supply, feature size, and how digital
// energy and area scale from one node to another. Every component that a
// preset does not pin to a published figure is priced from this node
// (arch/cost/circuits.hpp); docs/cost-model.md writes the equations down.
//
// Scaling: Stillmaker and Baas, "Scaling equations for the accurate
// prediction of CMOS device performance from 180 nm to 7 nm", Integration 58
// (2017): energy ~ a V^2 + b V + c and delay ~ a V^3 + b V^2 + c V + d per node
// (their fitted polynomials), area by their node-to-node factors. 22 nm lies between their 32 nm and 20 nm points
// and is interpolated geometrically in the node size.
#pragma once

#include <string>
#include <vector>

namespace tessera {
namespace io { class Section; }

struct TechNode {
  int node_nm;
  double vdd_v;             // nominal supply at this node
  double energy_poly[3];    // Stillmaker-Baas energy fit: a V^2 + b V + c
  double area_vs_45;        // area relative to 45 nm (Stillmaker-Baas area factors)
  // Stillmaker-Baas delay fits, a V^3 + b V^2 + c V + d, of the
  // high-performance and low-power models (one bulk model at 130-65 nm).
  double delay_hp[4];
  double delay_lp[4];
};

// The nodes with data, largest first.
const std::vector<TechNode>& tech_nodes();
std::string tech_node_list();  // "130, 90, ..." for messages

struct Technology {
  int node_nm = 32;
  double vdd_v = 0.9;
  double wire_cap_ff_per_um = 0.2;     // on-chip wire capacitance per length
  double gate_cap_ff_per_um = 1.0;     // gate capacitance per transistor width
  double unit_cap_ff = 1.0;            // smallest matched capacitor of a DAC/ADC array
  double wire_activity = 0.5;          // fraction of bits that toggle per transfer
  std::string flavour = "hp";          // transistor flavour: hp (high performance), lstp (low standby power)
  double i_off_na_per_um = 100;        // off current per transistor width (flavour's default)
  double i_on_ua_per_um = 1000;        // on current per transistor width (flavour's default): read ports, write drivers
  bool leakage = true;                 // price static power from the node (false: presets whose powers include it)

  void load(const io::Section& s);

  double feature_um() const { return node_nm * 1e-3; }
  double f2_um2() const { return feature_um() * feature_um(); }
  // Energy of the same digital circuit at this node and supply relative to
  // 45 nm at 0.9 V (the node and supply of Horowitz's ISSCC 2014 figures).
  double energy_vs_horowitz() const;
  // Area of the same digital circuit relative to 45 nm.
  double area_vs_45() const;
  // Delay of the same digital circuit in the Stillmaker-Baas fit of the
  // node, flavour and supply (relative units: only ratios are meaningful).
  double delay_fit() const;
  // Delay of the same circuit here relative to `ref_nm` at its nominal supply
  // in the high-performance flavour (where published timing figures come from).
  double delay_vs(int ref_nm) const;
  // Switching energy of a capacitance at a voltage: C V^2 (pJ from fF and V).
  static double switch_pj(double cap_ff, double volts) { return cap_ff * volts * volts * 1e-3; }
  // Static power of `width_um` of transistor width held off at vdd (mW).
  double leakage_mw(double width_um) const { return leakage ? i_off_na_per_um * width_um * vdd_v * 1e-6 : 0.0; }
};

}  // namespace tessera

#include "arch/cost/technology.hpp"

#include <cmath>

#include "workloads/io/toml_reader.hpp"

namespace tessera {

namespace {

// Stillmaker and Baas 2017: energy polynomial per node (their fitted a, b, c)
// and area relative to 45 nm (their node-to-node area factors, 45 nm row).
// Nominal supplies: the predictive technology models (PTM) their fits use:
// bulk 130-45 nm 1.3-1.0 V, 32 nm 0.9 V, 22 nm 0.8 V, PTM-MG 20-7 nm 0.9-0.7 V.
std::vector<TechNode> make_nodes() {
  std::vector<TechNode> n = {
      {130, 1.3, {7.171, -6.709, 2.904}, 6.4},
      {90, 1.2, {4.762, -4.781, 2.092}, 2.8},
      {65, 1.1, {3.755, -4.398, 1.975}, 1.5},
      {45, 1.0, {1.103, -0.362, 0.2767}, 1.0},
      {32, 0.9, {0.9559, -0.7823, 0.471}, 0.46},
      {22, 0.8, {0, 0, 0}, 0},  // PTM 22 nm: 0.8 V; fit interpolated below
      {20, 0.9, {0.373, -0.1582, 0.04104}, 0.21},
      {16, 0.85, {0.2958, -0.1241, 0.03024}, 0.19},
      {14, 0.8, {0.2363, -0.09675, 0.02239}, 0.17},
      {10, 0.75, {0.2068, -0.09311, 0.02375}, 0.1},
      {7, 0.7, {0.1776, -0.09097, 0.02447}, 0.059},
  };
  // 22 nm: geometric interpolation between 32 and 20 nm in the node size.
  const TechNode& a = n[4];
  const TechNode& b = n[6];
  const double t = std::log(32.0 / 22.0) / std::log(32.0 / 20.0);
  for (int k = 0; k < 3; ++k) n[5].energy_poly[k] = a.energy_poly[k] + t * (b.energy_poly[k] - a.energy_poly[k]);
  n[5].area_vs_45 = std::exp(std::log(a.area_vs_45) + t * (std::log(b.area_vs_45) - std::log(a.area_vs_45)));
  return n;
}

const TechNode* find_node(int nm) {
  for (const auto& n : tech_nodes())
    if (n.node_nm == nm) return &n;
  return nullptr;
}

double poly(const TechNode& n, double v) { return n.energy_poly[0] * v * v + n.energy_poly[1] * v + n.energy_poly[2]; }

}  // namespace

const std::vector<TechNode>& tech_nodes() {
  static const std::vector<TechNode> n = make_nodes();
  return n;
}

std::string tech_node_list() {
  std::string s;
  for (const auto& n : tech_nodes()) s += (s.empty() ? "" : ", ") + std::to_string(n.node_nm);
  return s;
}

void Technology::load(const io::Section& s) {
  node_nm = int(s.integer("node_nm", "CMOS technology node (nm); nodes with data: " + tech_node_list(), node_nm, 1, 1000));
  const TechNode* n = find_node(node_nm);
  if (!n && !s.describing()) s.fail("node_nm", "no technology data for " + std::to_string(node_nm) + " nm; nodes with data: " + tech_node_list());
  const double nominal = n ? n->vdd_v : 0.9;
  vdd_v = s.number("vdd_v", "supply voltage (V); default: the node's nominal supply (Stillmaker and Baas 2017)", nominal, 0.3, 2.0);
  wire_cap_ff_per_um = s.number("wire_cap_ff_per_um", "wire capacitance per length (fF/um); ~0.2 at every node (ITRS interconnect)", wire_cap_ff_per_um, 0.01, 10);
  gate_cap_ff_per_um = s.number("gate_cap_ff_per_um", "gate capacitance per transistor width (fF/um); ~1 (ITRS PIDS)", gate_cap_ff_per_um, 0.01, 10);
  unit_cap_ff = s.number("unit_cap_ff", "smallest matched capacitor of converter arrays (fF)", unit_cap_ff, 0.01, 1e3);
  wire_activity = s.number("wire_activity", "fraction of wires that toggle per bit moved (0.5: random data)", wire_activity, 0, 1);
  flavour = s.string("flavour", "transistor flavour: hp (high performance) or lstp (low standby power)", flavour, {"hp", "lstp"});
  // ITRS PIDS targets: I_off ~100 nA/um for high-performance logic, ~30 pA/um for low standby power.
  i_off_na_per_um = s.number("i_off_na_per_um", "off current per transistor width (nA/um); default: hp 100, lstp 0.03 (ITRS PIDS targets)",
                             flavour == "lstp" ? 0.03 : 100.0, 0, 1e4);
  i_on_ua_per_um = s.number("i_on_ua_per_um", "on current per transistor width (uA/um); default: hp 1000, lstp 500 (ITRS PIDS targets)",
                            flavour == "lstp" ? 500.0 : 1000.0, 1, 1e4);
  leakage = s.boolean("leakage", "price static power from the node (false: pinned figures already include it)", leakage);
  s.finish();
}

double Technology::energy_vs_horowitz() const {
  const TechNode* n = find_node(node_nm);
  const TechNode* ref = find_node(45);
  return poly(*n, vdd_v) / poly(*ref, 0.9);
}

double Technology::area_vs_45() const { return find_node(node_nm)->area_vs_45; }

}  // namespace tessera

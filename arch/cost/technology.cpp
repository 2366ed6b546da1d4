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
  // Delay rows: bulk 130-65 nm (one model, both flavours), then HP and LP
  // models from 45 nm down (their Tables; 20-7 nm are multi-gate models).
  std::vector<TechNode> n = {
      {130, 1.3, {7.171, -6.709, 2.904}, 6.4, {-76.65, 334.9, -493.4, 275.8}, {-76.65, 334.9, -493.4, 275.8}},
      {90, 1.2, {4.762, -4.781, 2.092}, 2.8, {-60.34, 262.5, -384.2, 210.9}, {-60.34, 262.5, -384.2, 210.9}},
      {65, 1.1, {3.755, -4.398, 1.975}, 1.5, {-53.3, 230.4, -333.9, 178.6}, {-53.3, 230.4, -333.9, 178.6}},
      {45, 1.0, {1.103, -0.362, 0.2767}, 1.0, {-501.6, 1567, -1619, 566.1}, {-285.7, 1239, -1795, 898.8}},
      {32, 0.9, {0.9559, -0.7823, 0.471}, 0.46, {-1047, 2982, -2797, 873.5}, {-325.9, 1374, -1922, 913.2}},
      {22, 0.8, {0, 0, 0}, 0, {0, 0, 0, 0}, {0, 0, 0, 0}},  // PTM 22 nm: 0.8 V; fits interpolated below
      {20, 0.9, {0.373, -0.1582, 0.04104}, 0.21, {0, 34.63, -66.37, 41.15}, {-160.5, 514.1, -558.6, 217.5}},
      {16, 0.85, {0.2958, -0.1241, 0.03024}, 0.19, {0, 24.8, -47.52, 28.87}, {-114.6, 366.7, -397.4, 153.6}},
      {14, 0.8, {0.2363, -0.09675, 0.02239}, 0.17, {-40.66, 109.2, -100.6, 35.92}, {-85.37, 271.6, -292.2, 111.4}},
      {10, 0.75, {0.2068, -0.09311, 0.02375}, 0.1, {-34.95, 93.65, -85.99, 30.4}, {-71.76, 228.6, -246.3, 93.91}},
      {7, 0.7, {0.1776, -0.09097, 0.02447}, 0.059, {-28.58, 76.6, -70.26, 24.69}, {-61.79, 196.1, -210.3, 79.55}},
  };
  // 22 nm: geometric interpolation between 32 and 20 nm in the node size.
  const TechNode& a = n[4];
  const TechNode& b = n[6];
  const double t = std::log(32.0 / 22.0) / std::log(32.0 / 20.0);
  for (int k = 0; k < 3; ++k) n[5].energy_poly[k] = a.energy_poly[k] + t * (b.energy_poly[k] - a.energy_poly[k]);
  for (int k = 0; k < 4; ++k) {
    n[5].delay_hp[k] = a.delay_hp[k] + t * (b.delay_hp[k] - a.delay_hp[k]);
    n[5].delay_lp[k] = a.delay_lp[k] + t * (b.delay_lp[k] - a.delay_lp[k]);
  }
  n[5].area_vs_45 = std::exp(std::log(a.area_vs_45) + t * (std::log(b.area_vs_45) - std::log(a.area_vs_45)));
  return n;
}

const TechNode* find_node(int nm) {
  for (const auto& n : tech_nodes())
    if (n.node_nm == nm) return &n;
  return nullptr;
}

double poly(const TechNode& n, double v) { return n.energy_poly[0] * v * v + n.energy_poly[1] * v + n.energy_poly[2]; }
double cubic(const double c[4], double v) { return ((c[0] * v + c[1]) * v + c[2]) * v + c[3]; }

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
  // The fits are polynomials in the supply: far from the node's nominal
  // supply they stop describing a circuit (zero or negative energy or delay).
  if (n && !s.describing() && (poly(*n, vdd_v) <= 0 || delay_fit() <= 0))
    s.fail("vdd_v", "outside the supplies the " + std::to_string(node_nm) +
                        " nm scaling fits describe (they give no positive energy or delay at " + io::format_number(vdd_v) + " V)");
  s.finish();
}

double Technology::energy_vs_horowitz() const {
  const TechNode* n = find_node(node_nm);
  const TechNode* ref = find_node(45);
  return poly(*n, vdd_v) / poly(*ref, 0.9);
}

double Technology::area_vs_45() const { return find_node(node_nm)->area_vs_45; }

double Technology::delay_fit() const {
  const TechNode* n = find_node(node_nm);
  return cubic(flavour == "lstp" ? n->delay_lp : n->delay_hp, vdd_v);
}

double Technology::delay_vs(int ref_nm) const {
  const TechNode* ref = find_node(ref_nm);
  return delay_fit() / cubic(ref->delay_hp, ref->vdd_v);
}

}  // namespace tessera

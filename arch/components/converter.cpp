#include "arch/components/converter.hpp"

#include <cmath>
#include <iterator>

#include "arch/cost/published.hpp"
#include "arch/cost/technology.hpp"
#include "workloads/base/registry.hpp"
#include "workloads/io/toml_reader.hpp"

namespace tessera {

namespace {

// Energy and area given directly; resolution does not change them.
class FixedCost : public ConverterCostModel {
 public:
  explicit FixedCost(const io::Section& s) {
    e_ = s.number("energy_pj", "energy per conversion (pJ)", 0, 0, 1e6);
    a_ = s.number("area_mm2", "area per converter (mm^2)", 0, 0, 1e3);
  }
  double energy_pj(int, double, const ConverterContext&) const override { return e_; }
  double area_mm2(int, double, const ConverterContext&) const override { return a_; }

 private:
  double e_, a_;
};

// A reference design point scaled by 2^(bits - ref_bits) for energy and area:
// the exponential growth of a SAR/flash converter with resolution that ISAAC
// (Shafiee et al. 2016, section 5) and NeuroSim assume.
class ScaledCost : public ConverterCostModel {
 public:
  explicit ScaledCost(const io::Section& s) {
    ref_bits_ = int(s.integer("ref_bits", "resolution of the reference design point", 8, 1, 16));
    e_ = s.number("ref_energy_pj", "energy per conversion at ref_bits (pJ)", 0, 0, 1e6);
    a_ = s.number("ref_area_mm2", "area per converter at ref_bits (mm^2)", 0, 0, 1e3);
    ref_rate_ = s.number("ref_rate_gsps", "rate of the reference point; area scales linearly with rate (GS/s)", 1.0, 1e-9, 1e3);
  }
  double energy_pj(int bits, double, const ConverterContext&) const override { return e_ * std::ldexp(1.0, bits - ref_bits_); }
  double area_mm2(int bits, double rate, const ConverterContext&) const override {
    return a_ * std::ldexp(1.0, bits - ref_bits_) * (rate / ref_rate_);
  }

 private:
  int ref_bits_;
  double e_, a_, ref_rate_;
};

// Walden figure of merit: E = FOM * 2^bits (Walden 1999; Murmann's ADC survey
// tabulates FOM in fJ per conversion step).
class WaldenCost : public ConverterCostModel {
 public:
  explicit WaldenCost(const io::Section& s) {
    fom_ = s.number("fom_fj_per_step", "Walden figure of merit (fJ per conversion step)", 10, 0, 1e6);
    area_per_step_ = s.number("area_um2_per_step", "area per conversion step (um^2)", 0, 0, 1e6);
  }
  double energy_pj(int bits, double, const ConverterContext&) const override { return fom_ * std::ldexp(1.0, bits) * 1e-3; }
  double area_mm2(int bits, double, const ConverterContext&) const override { return area_per_step_ * std::ldexp(1.0, bits) * 1e-6; }

 private:
  double fom_, area_per_step_;
};

// Circuit models priced from the technology node (docs/cost-model.md).

// Node scaling of a figure measured at `ref_nm` (Stillmaker and Baas 2017).
double energy_from(const Technology& t, int ref_nm) {
  Technology ref = t;
  ref.node_nm = ref_nm;
  ref.vdd_v = 0;
  for (const auto& n : tech_nodes())
    if (n.node_nm == ref_nm) ref.vdd_v = n.vdd_v;
  return t.energy_vs_horowitz() / ref.energy_vs_horowitz();
}
double area_from(const Technology& t, int ref_nm) {
  Technology ref = t;
  ref.node_nm = ref_nm;
  return t.area_vs_45() / ref.area_vs_45();
}

int checked_node(const io::Section& s, const char* key, int def, const char* desc) {
  int nm = int(s.integer(key, desc, def, 1, 1000));
  bool known = false;
  for (const auto& n : tech_nodes()) known |= n.node_nm == nm;
  if (!known && !s.describing()) s.fail(key, "no technology data for " + std::to_string(nm) + " nm; nodes with data: " + tech_node_list());
  return nm;
}

}  // namespace

double sar_fitted_fom_fj(int node_nm) {
  Technology at;
  at.node_nm = node_nm;
  at.vdd_v = 0;
  for (const auto& n : tech_nodes())
    if (n.node_nm == node_nm) at.vdd_v = n.vdd_v;
  double log_sum = 0;
  for (const auto& p : published::kSarSurvey) {
    Technology node;
    node.node_nm = p.node_nm;
    for (const auto& n : tech_nodes())
      if (n.node_nm == p.node_nm) node.vdd_v = n.vdd_v;
    const double decisions_fj = p.bits * published::kLatchedComparatorFj * node.energy_vs_horowitz();
    const double fj_per_step = (p.power_mw / p.rate_msps * 1e6 - decisions_fj) / std::ldexp(1.0, p.bits);  // mW / MS/s = nJ
    log_sum += std::log(fj_per_step * energy_from(at, p.node_nm));
  }
  return std::exp(log_sum / std::size(published::kSarSurvey));
}

namespace {

// Successive-approximation ADC. Energy per conversion from the ADC survey's
// two envelopes (Murmann, "ADC Performance Survey 1997-2024"): a Walden term
// FOM_W 2^bits that dominates at low resolution (switching and comparator
// energy, scaled with the node) plus the thermal-noise term of the Schreier
// figure of merit, E = 10^((6.02 bits + 1.76 - FOM_S) / 10) / 2, that dominates
// at high resolution. One bit is decided per bit cycle: time = bits x bit_ns.
class SarAdc : public ConverterCostModel {
 public:
  explicit SarAdc(const io::Section& s) {
    ref_nm_ = checked_node(s, "fom_node_nm", 32, "node at which fom_fj_per_step and area_um2_per_step hold (nm)");
    fom_ = s.number("fom_fj_per_step", "Walden figure of merit at fom_node_nm (fJ per conversion step); default: fitted to four SAR entries of Murmann's ADC survey (docs/cost-model.md)",
                    sar_fitted_fom_fj(ref_nm_), 0, 1e6);
    cmp_fj_ = s.number("comparator_fj", "energy of one bit decision (comparator and SAR logic) at 45 nm, 0.9 V (fJ)", published::kLatchedComparatorFj, 0, 1e6);
    fom_s_ = s.number("fom_schreier_db", "Schreier figure of merit of the thermal-noise envelope (dB)", 175, 100, 250);
    area_step_ = s.number("area_um2_per_step", "area per conversion step at fom_node_nm (um^2)", 4.6875, 0, 1e6);
    bit_ns_ = s.number("bit_ns",
                       "time of one bit decision at fom_node_nm (ns; Kull et al.'s 8 bits in 0.8 ns at 32 nm); "
                       "scaled to the chip's node, flavour and supply by Stillmaker and Baas's delay fits",
                       0.1, 1e-4, 1e4);
  }
  double energy_pj(int bits, double, const ConverterContext& c) const override {
    const double walden = fom_ * std::ldexp(1.0, bits) * 1e-3 * energy_from(*c.tech, ref_nm_);
    const double decisions = bits * cmp_fj_ * 1e-3 * c.tech->energy_vs_horowitz();
    const double thermal = 0.5 * std::pow(10.0, (6.02 * bits + 1.76 - fom_s_) / 10.0) * 1e12;
    return walden + decisions + thermal;
  }
  double area_mm2(int bits, double, const ConverterContext& c) const override {
    return area_step_ * std::ldexp(1.0, bits) * 1e-6 * area_from(*c.tech, ref_nm_);
  }
  // The bit cycle (comparator and SAR logic) is digital timing: it follows the node.
  double conversion_ns(int bits, double, const ConverterContext& c) const override {
    return bits * bit_ns_ * c.tech->delay_vs(ref_nm_);
  }

 private:
  double fom_, cmp_fj_, fom_s_, area_step_, bit_ns_;
  int ref_nm_;
};

// Comparator-bank converters: 2^bits - 1 comparators decide at once (flash),
// or 2^bits - 1 sense amplifiers compare a bit line's current with reference
// columns (the multi-level sense amplifier of NeuroSim's crossbar macros).
// A latched comparator is a digital-like circuit: its energy per decision,
// given at 45 nm and 0.9 V, scales with the node as digital logic does
// (Stillmaker and Baas); time: one decision whatever the bits.
class ComparatorBank : public ConverterCostModel {
 public:
  ComparatorBank(const io::Section& s, std::string name, double fj, double area_um2, double ns) : name_(std::move(name)) {
    fj_ = s.number("comparator_fj", "energy per comparator decision at 45 nm, 0.9 V (fJ)", fj, 0, 1e6);
    area_um2_ = s.number("comparator_area_um2", "area per comparator at 45 nm (um^2)", area_um2, 0, 1e6);
    ns_ = s.number("conversion_ns", "time of one conversion (ns)", ns, 1e-4, 1e6);
  }
  double energy_pj(int bits, double, const ConverterContext& c) const override {
    return (std::ldexp(1.0, bits) - 1) * fj_ * 1e-3 * c.tech->energy_vs_horowitz();
  }
  double area_mm2(int bits, double, const ConverterContext& c) const override {
    return (std::ldexp(1.0, bits) - 1) * area_um2_ * 1e-6 * c.tech->area_vs_45();
  }
  double conversion_ns(int, double, const ConverterContext&) const override { return ns_; }

 private:
  std::string name_;
  double fj_, area_um2_, ns_;
};

// A word-line driver or DAC as switched capacitance: the line (word line and
// the access gates on it) charged to its swing on every conversion whose input
// is not zero, plus, for more than one bit, a capacitive array of 2^bits - 1
// unit capacitors. Area: 2^bits driver stages of driver_area_f2.
class Driver : public ConverterCostModel {
 public:
  explicit Driver(const io::Section& s) {
    area_f2_ = s.number("driver_area_f2", "area of one driver stage (F^2)", 100, 1, 1e6);
  }
  double energy_pj(int bits, double, const ConverterContext& c) const override {
    const double line = Technology::switch_pj(c.line_cap_ff, c.line_v);
    const double array = bits > 1 ? (std::ldexp(1.0, bits) - 1) * Technology::switch_pj(c.tech->unit_cap_ff, c.tech->vdd_v) : 0.0;
    return c.activity * (line + array);
  }
  double area_mm2(int bits, double, const ConverterContext& c) const override {
    return std::ldexp(1.0, bits) * area_f2_ * c.tech->f2_um2() * 1e-6;
  }
  double conversion_ns(int, double rate, const ConverterContext&) const override { return 1.0 / rate; }

 private:
  double area_f2_;
};

class FlashAdc : public ComparatorBank {
 public:
  // A latched comparator with its preamplifier: ~40 fJ, ~20 um^2 at 45 nm (assumptions, docs/cost-model.md).
  explicit FlashAdc(const io::Section& s) : ComparatorBank(s, "flash", published::kLatchedComparatorFj, 20, 0.3) {}
};
class SenseAmpAdc : public ComparatorBank {
 public:
  // A current-mode sense amplifier: ~10 fJ, ~5 um^2 at 45 nm (assumptions, docs/cost-model.md).
  explicit SenseAmpAdc(const io::Section& s) : ComparatorBank(s, "sense_amp", 10, 5, 1.0) {}
};

}  // namespace

TESSERA_REGISTER(ConverterCostModel, FixedCost, "fixed", "energy and area given directly")
TESSERA_REGISTER(ConverterCostModel, ScaledCost, "scaled", "reference point scaled by 2^(bits - ref_bits)")
TESSERA_REGISTER(ConverterCostModel, WaldenCost, "walden", "Walden FOM: E = FOM * 2^bits")
TESSERA_REGISTER(ConverterCostModel, SarAdc, "sar", "SAR ADC: survey FOM fit at the node, bits x bit_ns per conversion")
TESSERA_REGISTER(ConverterCostModel, FlashAdc, "flash", "flash ADC: 2^bits - 1 comparators, one decision")
TESSERA_REGISTER(ConverterCostModel, SenseAmpAdc, "sense_amp", "multi-level sense amplifier: 2^bits - 1 sense amplifiers")
TESSERA_REGISTER(ConverterCostModel, Driver, "driver", "word-line driver / DAC as switched capacitance at the node")

void ConverterParams::load(const io::Section& s, const std::string& kind) {
  bool adc = kind == "adc";
  bits = int(s.integer("bits", adc ? "ADC resolution" : "DAC resolution (input bits applied per read)", bits, 1, 16));
  if (adc) {
    rate_gsps = s.number("sample_rate_gsps", "conversions per ns of one ADC (GS/s)", rate_gsps, 1e-6, 1e3);
    count = int(s.integer("count", "ADCs per IMA; the IMA's columns are shared evenly among them", count, 1, 1 << 20));
    range.load(s.table("range", "the sums the ADC's codes cover (transfer function)"));
  }
  leakage_pinned = s.has("leakage_mw");
  leakage_mw = s.number("leakage_mw", "static power per converter (mW); absent with a circuit model: from its area at the node", leakage_mw, 0, 1e6);
  cost = Registry<ConverterCostModel>::create(s, adc ? "sar" : "driver", "cost");
  s.finish();
}

}  // namespace tessera

#include "arch/components/converter.hpp"

#include <cmath>

#include "workloads/io/registry.hpp"

namespace tessera {

namespace {

// Energy and area given directly; resolution does not change them.
class FixedCost : public ConverterCostModel {
 public:
  explicit FixedCost(const io::Section& s) {
    e_ = s.number("energy_pj", "energy per conversion (pJ)", 0, 0, 1e6);
    a_ = s.number("area_mm2", "area per converter (mm^2)", 0, 0, 1e3);
  }
  double energy_pj(int, double) const override { return e_; }
  double area_mm2(int, double) const override { return a_; }
  std::string describe() const override { return "fixed"; }

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
  double energy_pj(int bits, double) const override { return e_ * std::ldexp(1.0, bits - ref_bits_); }
  double area_mm2(int bits, double rate) const override {
    return a_ * std::ldexp(1.0, bits - ref_bits_) * (rate / ref_rate_);
  }
  std::string describe() const override { return "scaled"; }

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
  double energy_pj(int bits, double) const override { return fom_ * std::ldexp(1.0, bits) * 1e-3; }
  double area_mm2(int bits, double) const override { return area_per_step_ * std::ldexp(1.0, bits) * 1e-6; }
  std::string describe() const override { return "walden"; }

 private:
  double fom_, area_per_step_;
};

}  // namespace

TESSERA_REGISTER(ConverterCostModel, FixedCost, "fixed", "energy and area given directly")
TESSERA_REGISTER(ConverterCostModel, ScaledCost, "scaled", "reference point scaled by 2^(bits - ref_bits)")
TESSERA_REGISTER(ConverterCostModel, WaldenCost, "walden", "Walden FOM: E = FOM * 2^bits")

void ConverterParams::load(const io::Section& s, const std::string& kind) {
  bool adc = kind == "adc";
  bits = int(s.integer("bits", adc ? "ADC resolution" : "DAC resolution (input bits applied per read)", bits, 1, 16));
  if (adc) {
    rate_gsps = s.number("sample_rate_gsps", "conversions per ns of one ADC (GS/s)", rate_gsps, 1e-6, 1e3);
    count = int(s.integer("count", "ADCs per IMA; the IMA's columns are shared evenly among them", count, 1, 1 << 20));
    range.load(s.table("range", "the sums the ADC's codes cover (transfer function)"));
  }
  leakage_mw = s.number("leakage_mw", "static power per converter (mW)", leakage_mw, 0, 1e6);
  cost = io::Registry<ConverterCostModel>::instance().create(s, "scaled", "cost");
  s.finish();
}

}  // namespace tessera

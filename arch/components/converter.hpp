// Data converters (ADC, DAC) and their cost models. A cost model turns the
// converter's resolution and rate into energy per conversion, conversion time
// and area, so a sweep over bits or node changes cost the way the chosen model
// says. Cost models are pluggable, chosen by the `cost` key: "fixed", "scaled",
// "walden" (figures given in the config) and the circuit models "sar",
// "flash", "sense_amp" (ADCs) and "driver" (word-line drivers and DACs),
// priced from the technology node (docs/cost-model.md).
#pragma once

#include <memory>
#include <string>

#include "arch/components/adc_range.hpp"

namespace tessera {
namespace io { class Section; }
struct Technology;

// What a circuit model needs from the rest of the chip.
struct ConverterContext {
  const Technology* tech = nullptr;
  double line_cap_ff = 0;  // driver: the word line it charges
  double line_v = 0;       // driver: the swing on that line
  double activity = 1;     // driver: fraction of conversions that switch the line
};

class ConverterCostModel {
 public:
  virtual ~ConverterCostModel() = default;
  virtual double energy_pj(int bits, double rate_gsps, const ConverterContext& c) const = 0;  // per conversion
  virtual double area_mm2(int bits, double rate_gsps, const ConverterContext& c) const = 0;   // per converter
  // Time of one conversion; by default one sample period.
  virtual double conversion_ns(int bits, double rate_gsps, const ConverterContext&) const {
    (void)bits;
    return 1.0 / rate_gsps;
  }
};

// The SAR model's default Walden figure of merit at a node (fJ per step):
// the geometric mean of published SAR ADCs (published::kSarSurvey), each
// scaled to the node (docs/cost-model.md).
double sar_fitted_fom_fj(int node_nm);

struct ConverterParams {
  int bits = 8;
  double rate_gsps = 1.0;  // conversions per ns (models whose time does not depend on bits)
  int count = 1;           // ADC: per IMA; DAC: per crossbar row
  double leakage_mw = 0;   // per converter
  bool leakage_pinned = false;
  std::shared_ptr<const ConverterCostModel> cost;
  AdcRange range;          // ADC: the sums its codes cover (adc_range.hpp)

  // kind: "adc" or "dac" (limits and defaults differ)
  void load(const io::Section& s, const std::string& kind);
  // Prices the converter once the chip around it is known (arch/cost/pricing).
  void resolve(const ConverterContext& c) {
    energy_pj_ = cost->energy_pj(bits, rate_gsps, c);
    area_mm2_ = cost->area_mm2(bits, rate_gsps, c);
    conversion_ns_ = cost->conversion_ns(bits, rate_gsps, c);
  }
  double energy_pj() const { return energy_pj_; }
  double area_mm2() const { return area_mm2_; }
  double conversion_ns() const { return conversion_ns_; }
  double conversions_per_ns() const { return 1.0 / conversion_ns_; }

 private:
  double energy_pj_ = 0, area_mm2_ = 0, conversion_ns_ = 1;
};

}  // namespace tessera

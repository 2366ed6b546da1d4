// Data converters (ADC, DAC) and their cost models. A cost model turns the
// converter's resolution and rate into energy per conversion and area, so a
// sweep over bits changes cost the way the chosen model says. Cost models are
// pluggable (impl = "fixed", "scaled", "walden").
#pragma once

#include <memory>
#include <string>

#include "arch/components/adc_range.hpp"

namespace tessera {
namespace io { class Section; }

class ConverterCostModel {
 public:
  virtual ~ConverterCostModel() = default;
  virtual double energy_pj(int bits, double rate_gsps) const = 0;  // per conversion
  virtual double area_mm2(int bits, double rate_gsps) const = 0;   // per converter
  virtual std::string describe() const = 0;
};

struct ConverterParams {
  int bits = 8;
  double rate_gsps = 1.0;  // conversions per ns
  int count = 1;           // ADC: per IMA; DAC: per crossbar row
  double leakage_mw = 0;   // per converter
  std::shared_ptr<const ConverterCostModel> cost;
  AdcRange range;          // ADC: the sums its codes cover (adc_range.hpp)

  // kind: "adc" or "dac" (limits and defaults differ)
  void load(const io::Section& s, const std::string& kind);
  double energy_pj() const { return cost->energy_pj(bits, rate_gsps); }
  double area_mm2() const { return cost->area_mm2(bits, rate_gsps); }
};

}  // namespace tessera

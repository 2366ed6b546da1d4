// The range an ADC's codes cover (its transfer function: arch/functional/adc.hpp;
// its cost is the converter's cost model). The worst case of the array
// (`full`) never clips but spends most codes on sums that never occur: an
// 8-bit ADC on a 128-row ISAAC array quantises the column sums of real
// networks to a few codes. `clip` scales the worst case by a configured
// ratio; `calibrated` takes the largest sum of each array (or each column)
// over calibration images run on the nominal weights, the way the chip's
// periphery is trimmed after programming (the step stays a power of two, so
// shift-and-add remains exact integer arithmetic).
#pragma once

#include <string>

namespace tessera {
namespace io { class Section; }

struct AdcRange {
  std::string mode = "full";   // full, clip, calibrated
  std::string scope = "array";  // calibrated: one range per array or per column
  double clip_ratio = 1.0;     // clip: range = clip_ratio x worst case
  int images = 64;             // calibrated: calibration images (training images when a data set is given)

  void load(const io::Section& s);
  bool calibrated() const { return mode == "calibrated"; }
};

}  // namespace tessera

// Global drift compensation (AIHWKit): right after programming, record the
// mean absolute output of a fixed probe input; at inference time t, run the
// same probe and scale every output by reference / current. Digital, applied
// at inference only; it undoes the average drift, not its spread.
#pragma once

#include <cstddef>

namespace tessera::device {

double mean_abs(const float* y, size_t n);

class GlobalDriftCompensation {
 public:
  // Probe outputs just after programming.
  void calibrate(const float* y_probe, size_t n);
  // Factor for outputs at a later time, from the probe's outputs then (1 when they are all zero).
  double factor(const float* y_probe_now, size_t n) const;
  double reference() const { return reference_; }

 private:
  double reference_ = 0;
};

}  // namespace tessera::device

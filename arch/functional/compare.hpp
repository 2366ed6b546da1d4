// The hardware's output against the integer reference: exact equality, or
// the error figures of the logits.
#pragma once

#include <cstdint>
#include <vector>

namespace tessera::functional {

struct LogitComparison {
  bool exact = false;       // every logit bit-identical
  double max_abs_error = 0;
  double rms_error = 0;
  int64_t argmax = -1;      // of the hardware's logits
  int64_t reference_argmax = -1;
  bool top1_agrees = false;
};

int64_t argmax(const std::vector<double>& v);  // first maximum; -1 when empty
LogitComparison compare_logits(const std::vector<double>& hardware, const std::vector<double>& reference);

}  // namespace tessera::functional

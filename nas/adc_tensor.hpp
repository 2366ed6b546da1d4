// The ADC of arch/functional/adc.hpp on tensors: the one transfer function
//   value = clamp(floor(s / step + 0.5), min_code, max_code) * step
// for the chip evaluation (per-column steps of the datapath's own ADC
// objects) and the training periphery (AIHWKit's symmetric range). A test
// checks it against functional::AdcTransfer::convert value by value.
//
// Includes <torch/torch.h>: for nas/ translation units only.
#pragma once

#include <torch/torch.h>

#include "arch/functional/adc.hpp"

namespace tessera::nas {

// step: a scalar tensor or one broadcast over `s` (e.g. 1 x columns).
torch::Tensor adc_convert(const torch::Tensor& s, const torch::Tensor& step, double min_code, double max_code);
torch::Tensor adc_convert(const torch::Tensor& s, const functional::AdcTransfer& t);

}  // namespace tessera::nas

#include "nas/adc_tensor.hpp"

namespace tessera::nas {

torch::Tensor adc_convert(const torch::Tensor& s, const torch::Tensor& step, double min_code, double max_code) {
  return (s / step).add_(0.5).floor_().clamp_(min_code, max_code).mul_(step);
}

torch::Tensor adc_convert(const torch::Tensor& s, const functional::AdcTransfer& t) {
  return (s / t.step).add_(0.5).floor_().clamp_(t.min_code, t.max_code).mul_(t.step);
}

}  // namespace tessera::nas

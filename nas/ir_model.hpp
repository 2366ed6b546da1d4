// A libtorch module built from the network IR, layer by layer, so that the
// trained network is exactly the one the mapper and the simulator see.
// Activations are kept 4-D (N x C x H x W) throughout, matching the IR's
// shapes; flatten gives N x (C*H*W) x 1 x 1 and linear layers read their
// input as N x in.size(). forward() returns the last layer's output as N x size.
//
// Conventions the simulator shares: an add zero-extends inputs with fewer
// channels by appending zero channels after the existing ones (ResNet option
// A); average pooling counts padded positions (PyTorch's default); pooling
// rounds the output size down.
//
// Includes <torch/torch.h>: for nas/ translation units only.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "nas/analog_mvm.hpp"
#include "nas/analog_params.hpp"
#include "nas/weight_transforms.hpp"
#include "workloads/ir/network.hpp"
#include "workloads/quant/ternary.hpp"

namespace tessera::nas {

// The forward pass of a layer without weights (input, pooling, global
// pooling, add, concat, ReLU, flatten) with the conventions above; `outs`
// holds the outputs of the layers before it. The training model and the chip
// evaluation (chip_eval.cpp) both compute these layers here. Throws for
// weight and batch-norm layers, which each caller computes its own way.
torch::Tensor weightless_layer_forward(const Layer& l, const std::vector<torch::Tensor>& outs);

class IrModelImpl : public torch::nn::Module {
 public:
  explicit IrModelImpl(const Network& net);

  torch::Tensor forward(torch::Tensor x);
  // Every layer's output (index = IR layer index), for tests and inspection.
  std::vector<torch::Tensor> forward_all(torch::Tensor x);

  const Network& network() const { return net_; }
  // Modules of IR layers; null holders for layers of other types.
  const torch::nn::Conv2d& conv(int layer) const { return conv_[layer]; }
  const torch::nn::Linear& linear(int layer) const { return linear_[layer]; }
  const torch::nn::BatchNorm2d& batchnorm(int layer) const { return bn_[layer]; }
  torch::nn::BatchNorm2d& batchnorm(int layer) { return bn_[layer]; }

  // Computes weight layers as analog arrays (analog_mvm.hpp) when p.enabled;
  // `geometry` has one entry per IR layer.
  void set_analog(const AnalogParams& p, std::vector<ArrayGeometry> geometry);
  const AnalogParams& analog() const { return analog_; }
  // Layers whose weights are ternarised (TWN with a straight-through
  // gradient, weight_transforms.hpp) in every forward pass; one flag per IR layer.
  void set_ternary(std::vector<bool> layers, const quant::TernaryParams& p);
  bool ternary(int layer) const { return !ternary_.empty() && ternary_[size_t(layer)]; }
  const quant::TernaryParams& ternary_params() const { return ternary_params_; }
  // The weights a layer computes with: ternarised if set, plus the training
  // weight noise per array when training with periphery = false.
  torch::Tensor effective_weight(int layer, const torch::Tensor& w);
  // Evaluation with device models: arrays take their weights from `source` (not owned; null: as trained).
  void set_array_weights(ArrayWeightSource* source) { source_ = source; }

 private:
  torch::Tensor layer_forward(int i, const std::vector<torch::Tensor>& outs);

  Network net_;
  std::vector<torch::nn::Conv2d> conv_;
  std::vector<torch::nn::Linear> linear_;
  std::vector<torch::nn::BatchNorm2d> bn_;
  std::vector<int> last_use_;  // last layer that reads each layer's output
  AnalogParams analog_;
  std::vector<ArrayGeometry> geometry_;
  std::vector<ArrayIndex> array_index_;  // per layer: array of every weight (weight-noise mode)
  std::vector<bool> ternary_;
  quant::TernaryParams ternary_params_;
  ArrayWeightSource* source_ = nullptr;
};
TORCH_MODULE(IrModel);

// Submodule name of an IR layer: torch forbids '.' in names.
std::string module_name(int layer, const std::string& layer_name);

}  // namespace tessera::nas

#include "nas/ir_model.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>



namespace tessera::nas {

namespace F = torch::nn::functional;

std::string module_name(int layer, const std::string& name) {
  std::string s = std::to_string(layer) + "_" + name;
  std::replace(s.begin(), s.end(), '.', '_');
  return s;
}

IrModelImpl::IrModelImpl(const Network& net) : net_(net) {
  const size_t n = net_.layers.size();
  conv_.assign(n, nullptr);
  linear_.assign(n, nullptr);
  bn_.assign(n, nullptr);
  last_use_.assign(n, -1);
  for (size_t i = 0; i < n; ++i) {
    const Layer& l = net_.layers[i];
    for (int p : l.inputs) last_use_[p] = std::max(last_use_[p], int(i));
    const std::string name = module_name(int(i), l.name);
    // Layers with parameters; every other type is listed in weightless_layer_forward.
    if (l.type == LayerType::Conv2d) {
      conv_[i] = register_module(
          name, torch::nn::Conv2d(torch::nn::Conv2dOptions(l.in.c, l.out_channels, {l.kernel_h, l.kernel_w})
                                      .stride({l.stride_h, l.stride_w})
                                      .padding({l.pad_h, l.pad_w})
                                      .dilation({l.dilation_h, l.dilation_w})
                                      .groups(l.groups)
                                      .bias(l.bias)));
    } else if (l.type == LayerType::Linear) {
      linear_[i] = register_module(name, torch::nn::Linear(torch::nn::LinearOptions(l.in.size(), l.out_channels).bias(l.bias)));
    } else if (l.type == LayerType::BatchNorm) {
      bn_[i] = register_module(name, torch::nn::BatchNorm2d(l.in.c));
    }
  }
}

void IrModelImpl::set_analog(const AnalogParams& p, std::vector<ArrayGeometry> geometry) {
  if (geometry.size() != net_.layers.size())
    throw std::invalid_argument("IrModel::set_analog: one geometry entry per layer expected");
  analog_ = p;
  geometry_ = std::move(geometry);
  array_index_.assign(net_.layers.size(), ArrayIndex());
  for (size_t i = 0; i < net_.layers.size(); ++i) {
    if (!p.enabled || p.periphery || !geometry_[i].analog) continue;
    int64_t count = 0;
    std::vector<int64_t> map = p.noise_scope == "column" ? column_index_map(net_.layers[i], geometry_[i], count)
                                                         : array_index_map(net_.layers[i], geometry_[i], count);
    array_index_[i] = make_array_index(map, count);
  }
}

void IrModelImpl::set_ternary(std::vector<bool> layers, const quant::TernaryParams& p) {
  if (layers.size() != net_.layers.size())
    throw std::invalid_argument("IrModel::set_ternary: one flag per layer expected");
  ternary_ = std::move(layers);
  ternary_params_ = p;
}

torch::Tensor IrModelImpl::effective_weight(int i, const torch::Tensor& w) {
  torch::Tensor e = ternary(i) ? ternarize_ste(w, ternary_params_) : w;
  if (is_training() && analog_.enabled && !analog_.periphery && array_index_[size_t(i)].index.defined()) {
    if (analog_.noise_model == "device" && geometry_[size_t(i)].device) {
      // A fresh device stream per layer and mini-batch, drawn from torch's generator (seeded, deterministic).
      const uint64_t seed = uint64_t(torch::randint(std::numeric_limits<int64_t>::max(), {1}, torch::kInt64).item<int64_t>());
      e = e + device_weight_noise(e, array_index_[size_t(i)], *geometry_[size_t(i)].device, seed);
    } else if (analog_.noise_model == "gaussian" && analog_.weight_noise > 0) {
      e = e + array_weight_noise(e, array_index_[size_t(i)], analog_.weight_noise);
    }
  }
  return e;
}

torch::Tensor weightless_layer_forward(const Layer& l, const std::vector<torch::Tensor>& outs) {
  const torch::Tensor& x = outs[size_t(l.inputs.empty() ? 0 : l.inputs[0])];
  switch (l.type) {
    case LayerType::Input:
      return x;
    case LayerType::MaxPool:
      return F::max_pool2d(x, F::MaxPool2dFuncOptions({l.kernel_h, l.kernel_w})
                                  .stride({l.stride_h, l.stride_w})
                                  .padding({l.pad_h, l.pad_w})
                                  .dilation({l.dilation_h, l.dilation_w}));
    case LayerType::AvgPool:
      return F::avg_pool2d(x, F::AvgPool2dFuncOptions({l.kernel_h, l.kernel_w})
                                  .stride({l.stride_h, l.stride_w})
                                  .padding({l.pad_h, l.pad_w}));
    case LayerType::GlobalAvgPool:
      return x.mean({2, 3}, /*keepdim=*/true);
    case LayerType::Add: {
      torch::Tensor sum;
      for (int p : l.inputs) {
        torch::Tensor t = outs[size_t(p)];
        if (t.size(1) < l.out.c) t = F::pad(t, F::PadFuncOptions({0, 0, 0, 0, 0, l.out.c - t.size(1)}));
        sum = sum.defined() ? sum + t : t;
      }
      return sum;
    }
    case LayerType::Concat: {
      std::vector<torch::Tensor> parts;
      for (int p : l.inputs) parts.push_back(outs[size_t(p)]);
      return torch::cat(parts, 1);
    }
    case LayerType::Relu:
      return torch::relu(x);
    case LayerType::Flatten:
      return x.reshape({x.size(0), l.out.c, 1, 1});
    case LayerType::Activation:
      switch (l.activation) {
        case ActivationFn::Clip: return torch::clamp(x, l.act_min, l.act_max);
        case ActivationFn::Sigmoid: return torch::sigmoid(x);
        case ActivationFn::Tanh: return torch::tanh(x);
        case ActivationFn::LeakyRelu: return F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(l.alpha));
        case ActivationFn::HardSigmoid: return torch::clamp(x * l.alpha + l.beta, 0.0, 1.0);
        case ActivationFn::HardSwish: return x * torch::clamp(x / 6.0 + 0.5, 0.0, 1.0);
      }
      break;
    case LayerType::Conv2d:
    case LayerType::Linear:
    case LayerType::BatchNorm:
      break;
  }
  throw std::logic_error("weightless_layer_forward: layer '" + l.name + "' has weights or batch norm");
}

torch::Tensor IrModelImpl::layer_forward(int i, const std::vector<torch::Tensor>& outs) {
  const Layer& l = net_.layers[i];
  const torch::Tensor& x = outs[l.inputs.empty() ? 0 : l.inputs[0]];
  ArrayContext ctx{i, source_, 0};
  switch (l.type) {
    case LayerType::Conv2d: {
      // The array model: with its periphery, or whenever a device supplies the arrays' weights.
      const bool arrays = analog_.enabled && geometry_[i].analog && (analog_.periphery || source_);
      if (arrays) {
        const torch::Tensor w = ternary(i) ? ternarize_ste(conv_[i]->weight, ternary_params_) : conv_[i]->weight;
        return analog_conv2d(x, l, w, conv_[i]->bias, geometry_[i], analog_, is_training(), &ctx);
      }
      if (!ternary(i) && !(is_training() && analog_.enabled && !analog_.periphery)) return conv_[i]->forward(x);
      return F::conv2d(x, effective_weight(i, conv_[i]->weight), F::Conv2dFuncOptions()
                                                                     .bias(conv_[i]->bias)
                                                                     .stride({l.stride_h, l.stride_w})
                                                                     .padding({l.pad_h, l.pad_w})
                                                                     .dilation({l.dilation_h, l.dilation_w})
                                                                     .groups(l.groups));
    }
    case LayerType::Linear: {
      const bool arrays = analog_.enabled && geometry_[i].analog && (analog_.periphery || source_);
      if (arrays) {
        const torch::Tensor w = ternary(i) ? ternarize_ste(linear_[i]->weight, ternary_params_) : linear_[i]->weight;
        return analog_linear(x, l, w, linear_[i]->bias, geometry_[i], analog_, is_training(), &ctx);
      }
      const torch::Tensor xf = x.reshape({x.size(0), l.in.size()});
      const torch::Tensor y = !ternary(i) && !(is_training() && analog_.enabled && !analog_.periphery)
                                  ? linear_[i]->forward(xf)
                                  : F::linear(xf, effective_weight(i, linear_[i]->weight), linear_[i]->bias);
      return y.reshape({x.size(0), l.out_channels, 1, 1});
    }
    case LayerType::BatchNorm:
      return bn_[i]->forward(x);
    case LayerType::Input:
    case LayerType::MaxPool:
    case LayerType::AvgPool:
    case LayerType::GlobalAvgPool:
    case LayerType::Add:
    case LayerType::Concat:
    case LayerType::Relu:
    case LayerType::Flatten:
    case LayerType::Activation:
      return weightless_layer_forward(l, outs);
  }
  throw std::logic_error("layer_forward: unknown layer type");
}

std::vector<torch::Tensor> IrModelImpl::forward_all(torch::Tensor x) {
  std::vector<torch::Tensor> outs(net_.layers.size());
  outs[0] = x;
  for (size_t i = 1; i < outs.size(); ++i) outs[i] = layer_forward(int(i), outs);
  return outs;
}

torch::Tensor IrModelImpl::forward(torch::Tensor x) {
  std::vector<torch::Tensor> outs(net_.layers.size());
  outs[0] = x;
  const int last = int(outs.size()) - 1;
  for (int i = 1; i <= last; ++i) {
    outs[i] = layer_forward(i, outs);
    // Free activations nobody reads any more (keeps ResNet training memory flat).
    for (int p : net_.layers[i].inputs)
      if (last_use_[p] == i) outs[p] = torch::Tensor();
  }
  return outs[last].reshape({x.size(0), -1});
}

}  // namespace tessera::nas

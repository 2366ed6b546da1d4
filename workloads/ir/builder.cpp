#include "workloads/ir/builder.hpp"

namespace tessera {

NetBuilder::NetBuilder(std::string name, Shape input, int weight_bits, int activation_bits)
    : weight_bits_(weight_bits), activation_bits_(activation_bits) {
  net_.name = std::move(name);
  net_.input = input;
  net_.loc = {"zoo:" + net_.name, 0, 0};
  net_.finalize();  // creates the input layer
}

int NetBuilder::push(Layer l, std::vector<int> inputs) {
  for (int& i : inputs)
    if (i == kLast) i = last();
  l.inputs = std::move(inputs);
  l.weight_bits = weight_bits_;
  l.activation_bits = activation_bits_;
  if (l.name.empty()) l.name = std::string(to_string(l.type)) + std::to_string(net_.layers.size());
  l.loc = net_.loc;
  net_.layers.push_back(std::move(l));
  net_.finalize();  // infers the new layer's shape; cheap for zoo-sized networks
  return last();
}

int NetBuilder::conv(int64_t out_channels, int kernel, int stride, int padding, int groups, int from,
                     const std::string& name) {
  Layer l;
  l.type = LayerType::Conv2d;
  l.name = name;
  l.out_channels = out_channels;
  l.kernel_h = l.kernel_w = kernel;
  l.stride_h = l.stride_w = stride;
  l.pad_h = l.pad_w = padding == kSame ? (kernel - 1) / 2 : padding;
  l.groups = groups;
  return push(l, {from});
}

int NetBuilder::conv_hw(int64_t out_channels, int kernel_h, int kernel_w, int stride, int from, const std::string& name) {
  Layer l;
  l.type = LayerType::Conv2d;
  l.name = name;
  l.out_channels = out_channels;
  l.kernel_h = kernel_h;
  l.kernel_w = kernel_w;
  l.stride_h = l.stride_w = stride;
  l.pad_h = (kernel_h - 1) / 2;
  l.pad_w = (kernel_w - 1) / 2;
  return push(l, {from});
}

int NetBuilder::linear(int64_t out_features, int from, const std::string& name) {
  Layer l;
  l.type = LayerType::Linear;
  l.name = name;
  l.out_channels = out_features;
  l.bias = true;
  return push(l, {from});
}

int NetBuilder::relu(int from) {
  Layer l;
  l.type = LayerType::Relu;
  return push(l, {from});
}

int NetBuilder::batchnorm(int from) {
  Layer l;
  l.type = LayerType::BatchNorm;
  return push(l, {from});
}

int NetBuilder::maxpool(int kernel, int stride, int padding, int from) {
  Layer l;
  l.type = LayerType::MaxPool;
  l.kernel_h = l.kernel_w = kernel;
  l.stride_h = l.stride_w = stride;
  l.pad_h = l.pad_w = padding;
  return push(l, {from});
}

int NetBuilder::avgpool(int kernel, int stride, int padding, int from) {
  Layer l;
  l.type = LayerType::AvgPool;
  l.kernel_h = l.kernel_w = kernel;
  l.stride_h = l.stride_w = stride;
  l.pad_h = l.pad_w = padding;
  return push(l, {from});
}

int NetBuilder::global_avgpool(int from) {
  Layer l;
  l.type = LayerType::GlobalAvgPool;
  return push(l, {from});
}

int NetBuilder::flatten(int from) {
  Layer l;
  l.type = LayerType::Flatten;
  return push(l, {from});
}

int NetBuilder::add(const std::vector<int>& from) {
  Layer l;
  l.type = LayerType::Add;
  return push(l, from);
}

int NetBuilder::concat(const std::vector<int>& from) {
  Layer l;
  l.type = LayerType::Concat;
  return push(l, from);
}

int NetBuilder::conv_bn_relu(int64_t out_channels, int kernel, int stride, int from) {
  conv(out_channels, kernel, stride, kSame, 1, from);
  batchnorm();
  return relu();
}

const Shape& NetBuilder::shape(int layer) const {
  return net_.layers.at(layer == kLast ? last() : layer).out;
}

Network NetBuilder::build() { return net_; }

}  // namespace tessera

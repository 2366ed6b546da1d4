// A small fluent builder for networks written in C++ (the zoo, tests).
// Each call appends one layer and returns its index; `from` defaults to the
// last layer added.
#pragma once

#include <string>
#include <vector>

#include "workloads/ir/network.hpp"

namespace tessera {

class NetBuilder {
 public:
  NetBuilder(std::string name, Shape input, int weight_bits = 8, int activation_bits = 8);

  static constexpr int kLast = -1;
  static constexpr int kSame = -1;  // padding (k-1)/2

  int conv(int64_t out_channels, int kernel, int stride = 1, int padding = kSame, int groups = 1,
           int from = kLast, const std::string& name = "");
  // A kernel_h x kernel_w convolution with "same" padding per dimension ((k-1)/2).
  int conv_hw(int64_t out_channels, int kernel_h, int kernel_w, int stride, int from = kLast, const std::string& name = "");
  int linear(int64_t out_features, int from = kLast, const std::string& name = "");
  int relu(int from = kLast);
  int batchnorm(int from = kLast);
  int maxpool(int kernel, int stride, int padding = 0, int from = kLast);
  int avgpool(int kernel, int stride, int padding = 0, int from = kLast);
  int global_avgpool(int from = kLast);
  int flatten(int from = kLast);
  int add(const std::vector<int>& from);
  int concat(const std::vector<int>& from);

  // conv + batchnorm + relu, the usual unit.
  int conv_bn_relu(int64_t out_channels, int kernel, int stride = 1, int from = kLast);
  // Shape of a layer's output (shapes are inferred as layers are added).
  const Shape& shape(int layer) const;
  int last() const { return int(net_.layers.size()) - 1; }
  Network build();

 private:
  int push(Layer l, std::vector<int> inputs);
  Network net_;
  int weight_bits_, activation_bits_;
};

}  // namespace tessera

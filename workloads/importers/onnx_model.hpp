// ONNX models, as PyTorch's exporter writes them (torch.onnx.export, opset 11
// to 17), read with Debian's libonnx (the protobuf classes of onnx.proto) and
// mapped onto the network IR. The model's initializers become the network's
// own float weights (Network::params), every BatchNormalization folded into
// the convolution or linear layer before it; the IR keeps a batchnorm layer
// there (the identity at inference) so that the parameter count is PyTorch's.
// docs/network-format.md lists the operators and attributes supported.
#pragma once

#include <string>

#include "workloads/ir/network.hpp"

namespace tessera {

// Throws InputError for a file that is not a readable ONNX model (corrupt,
// truncated) and for an operator, attribute or graph shape the IR cannot
// express; the message names the node, its operator and what is supported.
Network load_onnx(const std::string& path);

}  // namespace tessera

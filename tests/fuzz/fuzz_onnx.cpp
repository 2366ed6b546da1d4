// Fuzz target: ONNX import (protobuf parse with libonnx, graph checks,
// operator mapping, batch-norm folding, shape inference; it reads a path:
// the input goes through a scratch file).
#include "fuzz_support.hpp"
#include "workloads/importers/onnx_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = tessera::fuzz::write_scratch(data, size, "model.onnx");
  tessera::fuzz::parse_or_input_error([&] { tessera::load_onnx(path); });
  return 0;
}

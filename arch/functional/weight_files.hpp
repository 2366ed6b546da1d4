// A quantised network written as a weight export (workloads/io/weights_manifest.hpp):
// manifest.json, per weight layer its codes (int8 up to 8 bits, else int32)
// with the scale per layer or per output channel, the bias (float32, zeros
// when the layer has none) and the input scale when known. The files are
// written under temporary names and renamed when all are written. Used by
// `tessera export-net` (a network's own weights) and the trainer's export.
#pragma once

#include <string>
#include <vector>

#include "arch/functional/quantized_net.hpp"
#include "workloads/io/weights_manifest.hpp"

namespace tessera::functional {

// `kinds`: the manifest's quantisation per weight layer in network order
// (uniform or ternary); empty: all uniform.
io::WeightsManifest write_weight_export(const QuantizedNet& q, const Network& net, const std::string& network_spec,
                                        const std::string& dir, const std::vector<io::Quantization>& kinds = {});

}  // namespace tessera::functional

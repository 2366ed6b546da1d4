// One entry point for `--net`: a network file (.toml, NeuroSim .csv, .onnx) or a zoo spec.
#pragma once

#include <string>

#include "workloads/ir/network.hpp"

namespace tessera {

Network load_network(const std::string& name_or_file);

}  // namespace tessera

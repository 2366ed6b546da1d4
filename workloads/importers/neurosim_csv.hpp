// Importer for NeuroSim's NetWork.csv: one row per weight layer,
//   IFM height, IFM width, IFM channels, kernel height, kernel width,
//   OFM channels, pooling flag (1: a 2x2/2 max pool follows), stride (optional, 1).
// Convolutions are kernel height x kernel width with NeuroSim's "same" padding,
// (K-1)/2 per dimension; sizes are bounded as in network files; every layer but the
// last is followed by ReLU; a row with a 1x1 input and 1x1 kernel whose input
// channels equal the previous output's size is a fully connected layer.
#pragma once

#include <string>

#include "workloads/ir/network.hpp"

namespace tessera {

Network load_neurosim_csv(const std::string& path, int weight_bits = 8, int activation_bits = 8);

}  // namespace tessera

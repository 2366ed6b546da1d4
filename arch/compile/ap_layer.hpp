// AP-mapped layers in the program: the layer is compiled by the ternary-layer
// compiler (arch/ap/compiler) with ternary weights (the given ones, or seeded
// random Gaussian weights through TWN), and its cost per row tile becomes the
// AP unit's compute stage.
#pragma once

#include <cstdint>
#include <string>

#include "arch/config/arch_config.hpp"
#include "workloads/ir/network.hpp"

namespace tessera {

struct ApLayerCost {
  int64_t tiles = 0;            // row tiles of the compiled program
  double cycles_per_tile = 0;   // chip cycles of one row tile
  double passes_per_tile = 0;   // compare+write passes
  double shifts_per_tile = 0, reads_per_tile = 0, writes_per_tile = 0;  // racetrack, per domain-block cluster
  int64_t addsub = 0;           // add/subtract operations per tile after folding (and CSE when on)
  int64_t nonzero_weights = 0;
  int64_t temps = 0;            // CSE temporaries
  int accumulator_bits = 0;
  double compile_seconds = 0;
};

// Compiles a layer for an AP class (results are cached per layer shape,
// class and seed within the process).
ApLayerCost ap_layer_cost(const Layer& l, const ArchConfig& arch, int ap_class, uint64_t seed);

}  // namespace tessera

// Mapping a network onto the chip: weight matrices cut into crossbar-sized
// blocks, bit slices and signed-weight columns, crossbars placed into IMAs and
// tiles, tile classes chosen per layer, optional replication, and the host
// tile of every digital layer. The analytical model, the compiler of per-tile
// programs and the trainer's hardware-aware layers all read this one result.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arch/config/arch_config.hpp"
#include "workloads/ir/network.hpp"

namespace tessera {

// The geometry of one weight layer on one tile class, independent of placement.
struct CrossbarTiling {
  int64_t rows = 0, cols = 0;   // matrix of one group: K*K*Cin/groups x Cout/groups
  int groups = 1;
  int slices = 1;               // ceil(weight_bits / bits_per_cell)
  int cols_per_weight = 1;      // slices x 2 (differential) or slices (offset)
  int ref_cols = 0;             // offset encoding: one reference column per array
  int weights_per_xbar = 1;     // logical output columns one array holds
  int input_cycles = 1;         // ceil(activation_bits / dac_bits)
  int xbar_rows = 0, xbar_cols = 0;
  // Block-diagonal packing of small groups (depthwise): groups per array, 1 otherwise.
  int groups_per_xbar = 1;
  int64_t row_blocks = 1, col_blocks = 1;  // per group (or per packed group set)
  int64_t group_sets = 1;       // groups / groups_per_xbar, rounded up
  int64_t crossbars = 0;        // one replica
  int64_t used_cells = 0;       // cells holding weight slices (and reference columns)
};

// Computes the tiling of a weight layer on a tile class; throws InputError
// if an array is too narrow for one weight's slices.
CrossbarTiling tile_layer(const Layer& layer, const TileClassParams& tc, const MappingParams& mp);

// One crossbar of a layer replica and where it sits.
struct CrossbarSlot {
  int tile = 0;       // global tile index
  int ima = 0;        // within the tile
  int slot = 0;       // within the IMA
  int64_t group_set = 0, row_block = 0, col_block = 0;
  int used_rows = 0, used_cols = 0;  // physical rows and columns holding data
  int64_t first_row = 0;             // first matrix row (within its group)
  int64_t first_weight = 0;          // first logical output column (within its group)
  int64_t weights = 0;               // logical output columns held
  int first_group = 0, groups = 1;   // groups held (block-diagonal packing)
};

// A tile's share of one replica of a layer.
struct TileShare {
  int tile = 0;
  int replica = 0;
  std::vector<int> xbars;        // indices into LayerMapping::xbars
  int64_t input_channels = 0;    // input channels this tile reads
  int64_t distinct_rows = 0;     // matrix rows fed (the bus broadcasts them once)
  int64_t ima_rows = 0;          // rows loaded into IMA input registers (sum over IMAs)
  int64_t home_outputs = 0;      // output channels reduced and activated here
  int64_t conversions_per_step = 0;  // used columns converted per input cycle
  int max_adc_columns = 0;       // most used columns on one ADC (sets conversion time)
  int64_t psum_outputs_sent = 0; // partial sums sent to other tiles per position
  int64_t psum_adds = 0;         // additions across row blocks done here per position
  int first_input_channel = 0;   // of the contiguous channel range read
  int64_t first_output = 0;      // AP units: first output channel produced here
};

struct LayerMapping {
  int layer = -1;
  std::string unit;             // "crossbar", "digital", "ap", "none"
  int tile_class = -1;
  int host = -1;                // digital layers: the weight layer whose tiles run them (-1: the input stream)
  int replication = 1;
  int round = 0;                // weight-reload round (0 when everything fits)
  CrossbarTiling tiling;
  std::vector<CrossbarSlot> xbars;   // replica 0
  std::vector<TileShare> tiles;      // all replicas
  int64_t tiles_used = 0;
  double row_utilisation = 0, col_utilisation = 0, cell_utilisation = 0, array_utilisation = 0;
  int first_tile = 0;

  bool on_crossbars() const { return unit == "crossbar"; }
};

struct Mapping {
  std::vector<LayerMapping> layers;   // one per network layer
  std::vector<int> tiles_used_per_class;
  int rounds = 1;                     // > 1 when weights are reloaded
  int input_tile = 0;                 // tile where the off-chip input enters
};

// Maps a finalized network; throws InputError when it cannot fit (naming
// what is needed and what is available) unless weight reload is enabled.
Mapping map_network(const Network& net, const ArchConfig& arch);

}  // namespace tessera

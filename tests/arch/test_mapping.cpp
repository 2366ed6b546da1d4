// Mapping by hand-computed cases.
#include <gtest/gtest.h>

#include "../support/presets.hpp"

#include "arch/mapping/mapping.hpp"
#include "workloads/ir/builder.hpp"
#include "workloads/zoo/zoo.hpp"

using namespace tessera;
using tessera::testing::isaac;
using tessera::testing::preset;


TEST(Mapping, ResNet18FirstConvolutionDifferential) {
  Network n = zoo::build("resnet18");
  const Layer& l = n.layers[n.find("conv1")];
  ArchConfig a = isaac({"mapping.signed_weights=differential"});
  CrossbarTiling t = tile_layer(l, a.tile_classes[0], a.mapping);
  // 7*7*3 = 147 rows x 64 columns; 8-bit weights on 2-bit cells: 4 slices,
  // x2 differential = 8 columns per weight, 16 weights per 128-column array.
  EXPECT_EQ(t.rows, 147);
  EXPECT_EQ(t.cols, 64);
  EXPECT_EQ(t.slices, 4);
  EXPECT_EQ(t.cols_per_weight, 8);
  EXPECT_EQ(t.weights_per_xbar, 16);
  EXPECT_EQ(t.row_blocks, 2);   // ceil(147 / 128)
  EXPECT_EQ(t.col_blocks, 4);   // 64 / 16
  EXPECT_EQ(t.crossbars, 8);
  EXPECT_EQ(t.input_cycles, 8); // 8-bit activations, 1-bit DAC
  EXPECT_EQ(t.used_cells, 147 * 64 * 8);
}

TEST(Mapping, ResNet18FirstConvolutionOffset) {
  Network n = zoo::build("resnet18");
  ArchConfig a = isaac();  // ISAAC: offset encoding, one reference column per array
  Mapping m = map_network(n, a);
  const LayerMapping& lm = m.layers[n.find("conv1")];
  // (128 - 1) / 4 = 31 weights per array: 3 column blocks (31, 31, 2).
  EXPECT_EQ(lm.tiling.weights_per_xbar, 31);
  EXPECT_EQ(lm.tiling.col_blocks, 3);
  EXPECT_EQ(lm.tiling.crossbars, 6);
  EXPECT_EQ(lm.tiles_used, 1);
  EXPECT_EQ(lm.tiling.used_cells, 147 * (64 * 4 + 3));
  ASSERT_EQ(lm.xbars.size(), 6u);
  // Column block outermost: arrays 0,1 hold column block 0's two row blocks.
  EXPECT_EQ(lm.xbars[1].row_block, 1);
  EXPECT_EQ(lm.xbars[1].used_rows, 19);
  EXPECT_EQ(lm.xbars[4].weights, 2);
  EXPECT_EQ(lm.xbars[4].used_cols, 2 * 4 + 1);
  EXPECT_NEAR(lm.cell_utilisation, 147.0 * 259 / (6 * 16384), 1e-12);
  // One tile: both row blocks reduced locally, 64 outputs homed here.
  ASSERT_EQ(lm.tiles.size(), 1u);
  EXPECT_EQ(lm.tiles[0].home_outputs, 64);
  EXPECT_EQ(lm.tiles[0].psum_adds, 64);         // (2 - 1) row blocks x 64 outputs
  EXPECT_EQ(lm.tiles[0].distinct_rows, 147);
  EXPECT_EQ(lm.tiles[0].max_adc_columns, 125);  // 31 weights x 4 slices + 1 reference
}

TEST(Mapping, Conv3x3x256x256On128Arrays) {
  NetBuilder b("t", {256, 14, 14});
  b.conv(256, 3);
  Network n = b.build();
  ArchConfig a = isaac({"mapping.signed_weights=differential"});
  Mapping m = map_network(n, a);
  const LayerMapping& lm = m.layers[1];
  // 2304 rows -> 18 row blocks; 256 outputs / 16 per array -> 16 column blocks.
  EXPECT_EQ(lm.tiling.row_blocks, 18);
  EXPECT_EQ(lm.tiling.col_blocks, 16);
  EXPECT_EQ(lm.tiling.crossbars, 288);
  EXPECT_EQ(lm.tiles_used, 3);  // 96 arrays per ISAAC tile
  EXPECT_DOUBLE_EQ(lm.cell_utilisation, 1.0);
  EXPECT_DOUBLE_EQ(lm.array_utilisation, 1.0);
  // Column block c's 18 row blocks are arrays 18c..18c+17: tile boundaries at 96 and 192
  // split column blocks 5 and 10 across two tiles, whose parts send partial sums.
  int senders = 0;
  for (const auto& s : lm.tiles) senders += s.psum_outputs_sent > 0;
  EXPECT_EQ(senders, 2);
}

TEST(Mapping, DepthwisePackedBlockDiagonally) {
  Network n = zoo::build("mobilenet-tiny");
  ArchConfig a = isaac({"mapping.signed_weights=differential"});
  Mapping m = map_network(n, a);
  const LayerMapping& lm = m.layers[n.find("dw1")];
  // 32 groups of a 9x1 matrix: 14 groups fit one array (128/9 rows; 16 weights wide).
  EXPECT_EQ(lm.tiling.groups_per_xbar, 14);
  EXPECT_EQ(lm.tiling.group_sets, 3);
  EXPECT_EQ(lm.tiling.crossbars, 3);
  EXPECT_EQ(lm.tiling.used_cells, 32 * 9 * 8);
  EXPECT_EQ(lm.xbars[2].groups, 4);
  EXPECT_EQ(lm.xbars[2].used_rows, 36);
  EXPECT_EQ(lm.tiles[0].home_outputs, 32);
}

TEST(Mapping, HeterogeneousChipHonoursHintsAndRules) {
  Network n = zoo::build("mobilenet-tiny");
  ArchConfig a = load_arch(std::string(TESSERA_TEST_DATA) + "/arch/hetero.toml", {"mapping.layers.conv2d1=\"big\""});
  Mapping m = map_network(n, a);
  EXPECT_EQ(m.layers[1].tile_class, 1);   // forced to "big"
  EXPECT_EQ(m.layers[n.find("dw1")].tile_class, 0);  // first fit: "small"
  ArchConfig b = load_arch(std::string(TESSERA_TEST_DATA) + "/arch/hetero.toml", {"mapping.rule=best_utilisation"});
  Mapping mb = map_network(n, b);
  // pw4 (1x1, 128 -> 256): 128 rows fill a 128-row array exactly, so "big" utilises better.
  EXPECT_EQ(mb.layers[n.find("pw4")].tile_class, 1);
}

TEST(Mapping, NetworkThatDoesNotFit) {
  Network n = zoo::build("resnet18");
  ArchConfig a = isaac({"tile_class.isaac.count=8"});
  try {
    map_network(n, a);
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("the chip has 8"), std::string::npos) << msg;
    EXPECT_NE(msg.find("mapping.weight_reload = true"), std::string::npos) << msg;
  }
  ArchConfig r = isaac({"tile_class.isaac.count=8", "mapping.weight_reload=true"});
  Mapping m = map_network(n, r);
  EXPECT_GT(m.rounds, 1);
  for (const auto& lm : m.layers)
    if (lm.on_crossbars()) EXPECT_LE(lm.first_tile + lm.tiles_used, 8);
}

TEST(Mapping, ReplicationBalancesEarlyLayers) {
  Network n = zoo::build("vgg8");
  ArchConfig a = isaac({"mapping.replicate=balance"});
  Mapping m = map_network(n, a);
  // conv1/conv2 (32x32 positions) get replicas; the 2x2 classifier keeps one.
  EXPECT_GT(m.layers[n.find("conv1")].replication, 1);
  EXPECT_GT(m.layers[n.find("conv2")].replication, 1);
  EXPECT_EQ(m.layers[n.find("fc2")].replication, 1);
  int used = 0;
  for (int u : m.tiles_used_per_class) used += u;
  EXPECT_LE(used, 168);
}

TEST(Mapping, WeightsTooWideForArrays) {
  NetBuilder b("t", {4, 4, 4}, 16, 8);
  b.conv(4, 1);
  Network n = b.build();
  ArchConfig a = isaac({"tile_class.isaac.crossbar.cols=8", "tile_class.isaac.adc.count=1",
                        "mapping.signed_weights=differential"});
  EXPECT_THROW(map_network(n, a), InputError);  // 16 columns per weight > 8
}

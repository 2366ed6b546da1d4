// The analytical model against hand calculation.
#include <gtest/gtest.h>

#include "../support/presets.hpp"

#include "arch/analytical/model.hpp"
#include "arch/cost/cost_table.hpp"
#include "workloads/ir/builder.hpp"
#include "workloads/zoo/zoo.hpp"

using namespace tessera;
using tessera::testing::isaac;
using tessera::testing::preset;


TEST(Analytical, SingleConvStageTimesByHand) {
  NetBuilder b("t", {16, 8, 8});
  b.conv(16, 3);  // 144 rows x 16 outputs, 64 positions
  Network n = b.build();
  ArchConfig a = isaac();
  Mapping m = map_network(n, a);
  Program p = compile(n, a, m);
  ASSERT_EQ(p.hosts.size(), 1u);
  const TileProgram& t = p.hosts[0].tiles[0];
  // fetch: 144 rows x 8 bits = 1152 bits; buffer 256 bits/cycle -> 5 cycles;
  // bus 384 -> 3; latency + 2 (buffer) + 1 (bus).
  EXPECT_EQ(t.fetch_bits, 1152);
  EXPECT_EQ(t.at(Stage::Fetch).occupancy, 5);
  EXPECT_EQ(t.at(Stage::Fetch).latency, 8);
  // mvm: read 100 ns = 128 cycles; two arrays of 16 x 4 + 1 = 65 used columns,
  // one ADC each -> 65 cycles; 8 input cycles of max(128, 65).
  EXPECT_EQ(t.at(Stage::Mvm).occupancy, 8 * 128);
  EXPECT_EQ(t.at(Stage::Mvm).latency, 128 + 7 * 128 + 65 + 1);
  // reduce: 16 additions (two row blocks) on one adder.
  EXPECT_EQ(t.at(Stage::Reduce).occupancy, 16);
  EXPECT_EQ(t.at(Stage::Reduce).latency, 17);
  HostPipeline pipe = host_pipeline(a, p.hosts[0]);
  EXPECT_EQ(layer_latency(pipe, 64), 8 + 1090 + 17 + 63 * 1024);

  RunResult r = analytical_run(n, a, p);
  // Output row 0 reads input rows 0 and 1 (padding 1): it starts when the
  // second image row has crossed the off-chip interface, the network, and been
  // written into the tile buffer (1024 bits through a 256-bit port: 4 cycles).
  const int64_t row_in = offchip_cycles(p, 8 * 16 * 8);
  EXPECT_EQ(r.hosts[0].start, 2 * row_in + transfer_cycles(a, p.input_entry_tile, t.tile, 8 * 16 * 8) + 4);
  // Events: 64 positions x 8 input cycles x 2 arrays reads.
  EXPECT_DOUBLE_EQ(r.hosts[0].events[Event::CrossbarRead], 64.0 * 8 * 2);
  EXPECT_DOUBLE_EQ(r.hosts[0].events[Event::AdcConversion], 64.0 * 8 * 130);
  EXPECT_DOUBLE_EQ(r.hosts[0].events[Event::DacConversion], 64.0 * 8 * 144);
}

TEST(Analytical, LayerScheduleIsSumOfLayers) {
  Network n = zoo::build("fmnist-cnn");
  ArchConfig pipelined = isaac();
  ArchConfig layered = isaac({"mapping.schedule=layer"});
  Mapping m = map_network(n, pipelined);
  RunResult rp = analytical_run(n, pipelined, compile(n, pipelined, m));
  RunResult rl = analytical_run(n, layered, compile(n, layered, m));
  EXPECT_LT(rp.cycles, rl.cycles);
  // Layer by layer: each layer starts after the previous one ends.
  for (size_t i = 1; i < rl.hosts.size(); ++i) EXPECT_GE(rl.hosts[i].start, rl.hosts[i - 1].end);
  // Energy does not depend on the schedule.
  for (size_t i = 0; i < rl.hosts.size(); ++i)
    for (int e = 0; e < kEvents; ++e) EXPECT_DOUBLE_EQ(rl.hosts[i].events.n[e], rp.hosts[i].events.n[e]);
}

TEST(Analytical, RowRecurrenceMatchesClosedFormWhenInputIsReady) {
  // With all inputs present, a layer's span is sum of latencies + (P-1) x bottleneck.
  NetBuilder b("t", {8, 6, 6});
  b.conv(8, 1);
  Network n = b.build();
  ArchConfig a = isaac({"mapping.schedule=layer"});
  Mapping m = map_network(n, a);
  Program p = compile(n, a, m);
  RunResult r = analytical_run(n, a, p);
  HostPipeline pipe = host_pipeline(a, p.hosts[0]);
  EXPECT_EQ(r.hosts[0].end - r.hosts[0].start, layer_latency(pipe, 36));
}

TEST(Analytical, RowDependencies) {
  Layer conv;
  conv.type = LayerType::Conv2d;
  conv.kernel_h = conv.kernel_w = 3;
  conv.stride_h = conv.stride_w = 2;
  conv.pad_h = conv.pad_w = 1;
  conv.in = {1, 9, 9};
  conv.out = {1, 5, 5};
  EXPECT_EQ(conv.last_input_row(0), 1);   // rows -1..1
  EXPECT_EQ(conv.last_input_row(4), 8);   // rows 7..9, clipped
  EXPECT_EQ(conv.first_input_row(0), 0);  // row -1 is padding
  EXPECT_EQ(conv.first_input_row(3), 5);
  EXPECT_EQ(conv.input_rows_needed(2), 4);
  EXPECT_EQ(conv.input_rows_needed(0), 0);
  // Pooling 2x2 on 7 rows reads rows 0..5: the producer's row 6 is never read.
  Layer pool;
  pool.type = LayerType::MaxPool;
  pool.kernel_h = pool.kernel_w = pool.stride_h = pool.stride_w = 2;
  pool.in = {1, 7, 7};
  pool.out = {1, 3, 3};
  EXPECT_EQ(pool.input_rows_needed(3), 6);
  EXPECT_EQ(conv.rows_complete(2), 1);
  EXPECT_EQ(conv.rows_complete(3), 1);
  EXPECT_EQ(conv.rows_complete(4), 2);
  EXPECT_EQ(conv.rows_complete(9), 5);
  Layer gap;
  gap.type = LayerType::GlobalAvgPool;
  gap.in = {4, 7, 7};
  gap.out = {4, 1, 1};
  EXPECT_EQ(gap.rows_complete(6), 0);
  EXPECT_EQ(gap.rows_complete(7), 1);
}

TEST(Analytical, EveryZooNetworkOnEveryPreset) {
  for (const char* arch : {"isaac", "rram-1b", "pcm-8b"}) {
    ArchConfig a = load_arch(std::string(TESSERA_SOURCE_DIR) + "/configs/arch/" + arch + ".toml",
                             {"mapping.weight_reload=true"});
    for (const char* net : {"fmnist-cnn", "mlp", "vgg8", "resnet20", "resnet18", "mobilenet-tiny", "analognas:seed=2"}) {
      Network n = zoo::build(net);
      Mapping m = map_network(n, a);
      Program p = compile(n, a, m);
      RunResult r = analytical_run(n, a, p);
      EXPECT_GT(r.cycles, 0) << net << " on " << arch;
      for (size_t i = 0; i < r.hosts.size(); ++i) {
        const auto& h = p.hosts[i];
        const auto& lm = m.layers[h.layer];
        EXPECT_GE(r.hosts[i].end, r.hosts[i].start) << net;
        EXPECT_LE(r.hosts[i].end, r.cycles) << net;
        // Every computed position (the rows some layer reads) reads every
        // array of one replica once per input cycle.
        const Layer& l = n.layers[h.layer];
        EXPECT_DOUBLE_EQ(r.hosts[i].events[Event::CrossbarRead],
                         double(p.rows_read[h.layer] * l.out.w) * lm.tiling.input_cycles * lm.tiling.crossbars)
            << net << " " << l.name;
      }
    }
  }
}

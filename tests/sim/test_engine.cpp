// The SystemC engine against the analytical model and against its clocked reference.
// Each test case runs in its own process under ctest (one elaboration per process).
#include <gtest/gtest.h>

#include "../support/presets.hpp"

#include "arch/analytical/model.hpp"
#include "arch/sc/chip.hpp"
#include "workloads/ir/builder.hpp"
#include "workloads/zoo/zoo.hpp"

using namespace tessera;
using tessera::testing::isaac;
using tessera::testing::preset;

namespace {
struct Both {
  RunResult ana, sim;
};
Both run(const Network& n, const ArchConfig& a, sc::Mode mode = sc::Mode::Event) {
  Mapping m = map_network(n, a);
  Program p = compile(n, a, m);
  Both b;
  b.ana = analytical_run(n, a, p);
  sc::SimOptions o;
  o.mode = mode;
  b.sim = sc::simulate_chip(n, a, p, o);
  return b;
}
}  // namespace

TEST(Engine, SingleLayerMatchesAnalyticalExactly) {
  NetBuilder b("t", {16, 8, 8});
  b.conv(16, 3);
  Network n = b.build();
  Both r = run(n, isaac());
  EXPECT_EQ(r.sim.hosts[0].start, r.ana.hosts[0].start);
  EXPECT_EQ(r.sim.hosts[0].end, r.ana.hosts[0].end);
  EXPECT_EQ(r.sim.cycles, r.ana.cycles);
  for (int e = 0; e < kEvents; ++e) EXPECT_DOUBLE_EQ(r.sim.hosts[0].events.n[e], r.ana.hosts[0].events.n[e]) << e;
}

TEST(Engine, FashionMnistCnnAgainstAnalytical) {
  Network n = zoo::build("fmnist-cnn");
  Both r = run(n, isaac());
  std::printf("analytical %lld simulated %lld\n", (long long)r.ana.cycles, (long long)r.sim.cycles);
  EXPECT_NEAR(double(r.sim.cycles), double(r.ana.cycles), 0.01 * double(r.ana.cycles));
}

// A balanced pipeline, checked by hand: two 3x3 convolutions (16 -> 16
// channels, same padding) on a 16x8x8 input, each 64 positions. On ISAAC a
// position's mvm takes 8 input cycles (8-bit activations, 1-bit DACs) of one
// 100 ns crossbar read at 1.28 GHz (128 cycles): 1024 cycles, and each layer's
// 64 positions keep its mvm busy 65,536 cycles per image. The stream's images
// leave exactly that far apart, the analytical formula's interval.
TEST(Engine, StreamIntervalOfABalancedPipeline) {
  NetBuilder b("balanced", {16, 8, 8});
  b.conv(16, 3);
  b.conv(16, 3);
  Network n = b.build();
  const ArchConfig a = isaac();
  Mapping m = map_network(n, a);
  Program p = compile(n, a, m);
  sc::SimOptions o;
  o.images = 4;
  RunResult r = sc::simulate_chip(n, a, p, o);
  ASSERT_EQ(r.images, 4);
  ASSERT_EQ(r.image_end.size(), 4u);
  for (const auto& h : r.hosts) EXPECT_EQ(h.busy[int(Stage::Mvm)], 64 * 8 * 128);  // per image
  for (int k = 1; k < 4; ++k) EXPECT_EQ(r.image_end[k] - r.image_end[k - 1], 65536) << k;
  EXPECT_DOUBLE_EQ(r.interval_cycles, 65536.0);
  // The formula (docs/analytical-model.md): the slowest layer's bottleneck occupancy x positions.
  for (const auto& h : p.hosts) {
    const HostPipeline pipe = host_pipeline(a, h);
    int64_t bottleneck = 0;
    for (const auto& st : pipe.stages) bottleneck = std::max(bottleneck, st.occupancy);
    EXPECT_EQ(bottleneck * h.out_rows * pipe.items_per_row, 65536);
  }
  EXPECT_LT(offchip_interval(p), 65536);
  // Image 0's latency in the stream is the first image's end; an image after
  // the first is not slower than the pipeline's bottleneck allows.
  EXPECT_EQ(r.cycles, r.image_end[0]);
  EXPECT_LT(r.interval_cycles, double(r.cycles));
}

// The interval of a stream: from the middle on, without the first image (it
// fills an empty chip) and the last (nothing after it competes with it).
TEST(Engine, SteadyIntervalLeavesOutFillAndDrain) {
  EXPECT_EQ(sc::steady_interval({}), 0.0);
  EXPECT_EQ(sc::steady_interval({100}), 0.0);
  EXPECT_EQ(sc::steady_interval({100, 250}), 150.0);                   // the only interval
  EXPECT_EQ(sc::steady_interval({100, 250, 330}), 80.0);               // the last one
  EXPECT_EQ(sc::steady_interval({100, 250, 330, 400}), 80.0);          // image 1 to image 2
  EXPECT_EQ(sc::steady_interval({0, 50, 100, 130, 160, 170}), 30.0);   // image 2 to image 4: (160 - 100) / 2
  EXPECT_EQ(sc::steady_interval({0, 50, 100, 130, 160}), 30.0);        // image 2 to image 3
}

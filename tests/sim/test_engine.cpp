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

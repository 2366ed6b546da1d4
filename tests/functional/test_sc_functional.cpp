// The functional datapath driven by the SystemC engine's hooks gives the same
// output as the standalone run. One elaboration per process: each test case
// simulates once (ctest runs each case in its own process).
#include <gtest/gtest.h>

#include "arch/sc/chip.hpp"
#include "functional_helpers.hpp"

using namespace tessera;
using namespace tessera::functional;
using tessera::functional::test::preset;
using tessera::functional::test::Rig;

namespace {
void expect_same_as_standalone(const std::string& spec, const std::vector<std::string>& sets) {
  Rig s(zoo::build(spec), preset("isaac", sets));
  Datapath dp(s.net, s.arch, s.map, s.prog, s.q, {});
  dp.begin(s.image);
  sc::SimOptions o;
  o.hooks = &dp;
  RunResult r = sc::simulate_chip(s.net, s.arch, s.prog, o);
  EXPECT_GT(r.cycles, 0);
  ASSERT_TRUE(dp.complete());
  std::vector<double> simulated = dp.logits();
  std::vector<Tensor> layers;
  for (size_t i = 0; i < s.net.layers.size(); ++i) layers.push_back(dp.output(int(i)));
  std::vector<double> standalone = dp.run(s.image);
  EXPECT_EQ(simulated, standalone);
  for (size_t i = 0; i < layers.size(); ++i) EXPECT_EQ(layers[i].v, dp.output(int(i)).v) << s.net.layers[i].name;
}
}  // namespace

// ISAAC's 8-bit ADCs: not exact against the reference, so the comparison sees every rounding.
TEST(SimulatedFunctional, FashionMnistCnn) { expect_same_as_standalone("fmnist-cnn", {}); }
TEST(SimulatedFunctional, Resnet20Replicated) { expect_same_as_standalone("resnet20", {"mapping.replicate=balance"}); }
TEST(SimulatedFunctional, MobilenetTinyLayerSchedule) {
  expect_same_as_standalone("mobilenet-tiny", {"mapping.schedule=layer", "mapping.signed_weights=differential"});
}
TEST(SimulatedFunctional, NoisyDevicesClocked) {
  Rig s(zoo::build("mlp"), preset("isaac", {"device.rram.sigma=0.1"}));
  Datapath dp(s.net, s.arch, s.map, s.prog, s.q, {});
  dp.begin(s.image);
  sc::SimOptions o;
  o.mode = sc::Mode::Clocked;
  o.hooks = &dp;
  sc::simulate_chip(s.net, s.arch, s.prog, o);
  ASSERT_TRUE(dp.complete());
  std::vector<double> simulated = dp.logits();
  EXPECT_EQ(simulated, dp.run(s.image));
}

// Analog arrays holding device conductances: an ideal device reproduces the
// trained weights, drift compensation restores each array's probe response,
// and Monte-Carlo drift evaluation is reproducible from its seed.
#include <gtest/gtest.h>

#include <filesystem>

#include "arch/device/device.hpp"
#include "nas/device_arrays.hpp"
#include "nas/device_eval.hpp"
#include "nas/trainer.hpp"
#include "workloads/io/toml_reader.hpp"
#include "workloads/ir/builder.hpp"
#include "../device/device_helpers.hpp"
#include "nas_helpers.hpp"

using namespace tessera;
using namespace tessera::nas;

using tessera::device::test::make_device;
using tessera::nas::test::halves;

TEST(DeviceArrays, IdealDeviceHoldsTheTargetWeights) {
  auto sram = make_device("impl = 'sram'");
  DeviceArrays arrays(*sram, 7, true);
  arrays.set_time(86400, 0);
  auto w = torch::tensor({0.5f, -1.0f, 0.25f, 0.0f, 0.75f, -0.125f}).reshape({3, 2});
  double gain = 0;
  auto held = arrays.weights(1, 0, w, gain);
  EXPECT_LT((held - w).abs().max().item<float>(), 1e-6f);
  EXPECT_NEAR(gain, 1.0, 1e-6);
}

TEST(DeviceArrays, DriftCompensationRestoresTheProbeResponse) {
  // PCM without programming and read noise: only drift, each device with its own exponent.
  auto pcm = make_device("impl = 'pcm'\nprog_noise_scale = 0\nread_noise_scale = 0");
  torch::manual_seed(4);
  auto w = torch::randn({64, 8});
  DeviceArrays comp(*pcm, 11, true), raw(*pcm, 11, false);
  double g_comp = 0, g_raw = 0;
  comp.set_time(0, 0);
  const double reference = probe_response(comp.weights(0, 0, w, g_comp));
  EXPECT_NEAR(reference, probe_response(w), 1e-4 * reference);  // t = 0: no drift yet, weights as mapped
  for (double t : {3600.0, 2592000.0}) {
    comp.set_time(t, 1);
    raw.set_time(t, 1);
    auto held = comp.weights(0, 0, w, g_comp);
    auto drifted = raw.weights(0, 0, w, g_raw);
    EXPECT_EQ(g_raw, 1.0);
    EXPECT_TRUE(torch::equal(held, drifted));  // same devices, same draws
    // Drift shrinks the weights ((t + 20) / 20)^-nu, nu >= 0.049: the gain undoes it on average.
    EXPECT_GT(g_comp, std::pow((t + 20) / 20, 0.049) * 0.99) << t;
    EXPECT_NEAR(probe_response(held) * g_comp, reference, 1e-4 * reference) << t;
  }
}

TEST(DriftEval, IdealDeviceMatchesAnalogEvaluationAndSeedsReproduce) {
  const auto train_set = halves(400, 1), test_set = halves(200, 2);
  NetBuilder b("tiny", {1, 4, 4});
  b.flatten();
  b.linear(2, NetBuilder::kLast, "fc");
  Network net = b.build();
  TrainOptions o;
  o.epochs = 3;
  o.batch_size = 16;
  o.lr = 0.1;
  o.threads = 1;
  o.analog.enabled = true;
  o.analog.dac_bits = o.analog.adc_bits = 8;
  o.analog.out_bound = 10;
  o.analog.out_noise = 0.04;
  o.checkpoint_dir = ::testing::TempDir() + "/drift_ckpt";
  std::filesystem::remove_all(o.checkpoint_dir);
  TrainResult r = train(net, train_set, test_set, o);
  EXPECT_EQ(r.test_accuracy, 1.0);  // hardware-aware training learns the problem

  DriftEvalOptions d;
  d.runs = 3;
  d.times_s = {60, 2592000};
  auto sram = make_device("impl = 'sram'");
  auto ideal = evaluate_drift(net, o.checkpoint_dir, test_set, o.analog, *sram, d);
  ASSERT_EQ(ideal.size(), 2u);
  for (const auto& p : ideal) {
    EXPECT_EQ(p.accuracy.size(), 3u);
    EXPECT_EQ(p.mean, 1.0);
  }
  auto pcm = make_device("impl = 'pcm'");
  auto a = evaluate_drift(net, o.checkpoint_dir, test_set, o.analog, *pcm, d);
  auto c = evaluate_drift(net, o.checkpoint_dir, test_set, o.analog, *pcm, d);
  for (size_t k = 0; k < a.size(); ++k) EXPECT_EQ(a[k].accuracy, c[k].accuracy);
  EXPECT_GE(a[1].mean, 0.95);  // a wide-margin problem survives a month of PCM drift with compensation
  EXPECT_EQ(drift_line(a[0]).substr(0, 16), "t =         60 s");

  AnalogParams digital;
  try {
    evaluate_drift(net, o.checkpoint_dir, test_set, digital, *pcm, d);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("device evaluation needs analog arrays"), std::string::npos);
  }
}

TEST(TrainOptions, ReadFromTomlWithAnalogSection) {
  auto doc = io::Document::from_string(
      "optimizer = 'adam'\nepochs = 3\ninit_from = 'out/x'\n[analog]\nenabled = true\nadc_bits = 8\narch = 'a.toml'\n",
      "train.toml");
  TrainOptions o;
  io::Section root = doc.root();
  o.load(root);
  root.finish();
  EXPECT_EQ(o.optimizer, "adam");
  EXPECT_EQ(o.epochs, 3);
  EXPECT_EQ(o.init_from, "out/x");
  EXPECT_TRUE(o.analog.enabled);
  EXPECT_EQ(o.analog.adc_bits, 8);
  EXPECT_EQ(o.analog.dac_bits, 7);  // AIHWKit default
  EXPECT_EQ(o.analog.arch, "a.toml");
  auto bad = io::Document::from_string("[analog]\nadc_bit = 8\n", "train.toml");
  TrainOptions o2;
  try {
    o2.load(bad.root());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("analog.adc_bit: unknown key (did you mean 'adc_bits'?)"), std::string::npos)
        << e.what();
  }
}

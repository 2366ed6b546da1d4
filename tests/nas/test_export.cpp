// From training to the simulated chip: batch-norm and normalisation folding
// and per-channel quantisation by hand; an exported checkpoint validates
// against its network, its codes reproduce the trained network's outputs
// within quantisation error, and the simulator-faithful libtorch evaluation
// equals the functional datapath (bit for bit with ideal devices and
// lossless ADCs, to float32 summation order with noisy ones).
#include <gtest/gtest.h>

#include <filesystem>

#include "arch/compile/program.hpp"
#include "arch/config/arch_config.hpp"
#include "arch/device/rng.hpp"
#include "arch/functional/datapath.hpp"
#include "arch/functional/reference.hpp"
#include "arch/mapping/mapping.hpp"
#include "nas/chip_eval.hpp"
#include "workloads/quant/fold.hpp"
#include "nas/model_io.hpp"
#include "nas/trainer.hpp"
#include "nas/weight_export.hpp"
#include "workloads/io/weights_manifest.hpp"
#include "workloads/ir/builder.hpp"
#include "nas_helpers.hpp"

using namespace tessera;
using namespace tessera::nas;
using namespace tessera::quant;
namespace fs = std::filesystem;

using tessera::nas::test::halves;

namespace {

// conv (no padding: the normalisation folds exactly) + BN + ReLU, then a classifier.
Network tiny_bn() {
  NetBuilder b("tiny-bn", {1, 6, 6});
  b.conv(4, 3, 1, 0, 1, NetBuilder::kLast, "conv");
  b.batchnorm();
  b.relu();
  b.flatten();
  b.linear(2, NetBuilder::kLast, "fc");
  return b.build();
}

std::string tmp(const std::string& name) {
  fs::path d = fs::path(::testing::TempDir()) / ("tessera_export_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return (d / name).string();
}

// A trained checkpoint of tiny_bn (trained once per test process).
const std::string& checkpoint() {
  static std::string dir = [] {
    std::string d = tmp("ckpt");
    TrainOptions o;
    o.lr = 0.05;
    o.epochs = 3;
    o.batch_size = 16;
    o.threads = 1;
    o.seed = 2;
    o.checkpoint_dir = d;
    train(tiny_bn(), halves(400, 1, 6), halves(100, 2, 6), o);
    return d;
  }();
  return dir;
}

}  // namespace

TEST(Fold, BatchNormByHand) {
  // Two outputs of two weights each; k = gamma / sqrt(var + eps).
  std::vector<double> w = {1, -2, 0.5, 4}, b = {0.5, -1};
  BatchNormStats bn{{2, -1}, {0.1, 0.2}, {1, -3}, {3, 0}, 1};
  fold_batchnorm(w, b, 2, bn);
  EXPECT_DOUBLE_EQ(w[0], 1.0);   // k0 = 2 / 2 = 1
  EXPECT_DOUBLE_EQ(w[1], -2.0);
  EXPECT_DOUBLE_EQ(b[0], 1 * (0.5 - 1) + 0.1);
  EXPECT_DOUBLE_EQ(w[2], -0.5);  // k1 = -1 / 1
  EXPECT_DOUBLE_EQ(w[3], -4.0);
  EXPECT_DOUBLE_EQ(b[1], -1 * (-1 + 3) + 0.2);
  std::vector<double> nb;  // no bias: zeros before folding
  std::vector<double> w2 = {1, 1};
  fold_batchnorm(w2, nb, 1, {{1}, {0}, {2}, {3}, 1});
  EXPECT_DOUBLE_EQ(nb[0], 0.5 * (0 - 2));
}

TEST(Fold, NormalisationAndPerChannelCodesByHand) {
  // One output over two input channels of two rows each: mean (0.5, 0.25), std (2, 0.5).
  std::vector<double> w = {2, 4, 1, -1}, b = {1};
  fold_normalization(w, b, 1, {0.5, 0.25}, {2, 0.5}, [](int64_t r) { return r / 2; });
  EXPECT_DOUBLE_EQ(w[0], 1);
  EXPECT_DOUBLE_EQ(w[1], 2);
  EXPECT_DOUBLE_EQ(w[2], 2);
  EXPECT_DOUBLE_EQ(w[3], -2);
  EXPECT_DOUBLE_EQ(b[0], 1 - (2 + 4) * 0.25 - (1 - 1) * 0.5);
  ChannelQuant q = quantize_per_channel({0.5, -1.0, 0.25, 0, 0, 0, 3, 1.5}, 2, 4);
  EXPECT_DOUBLE_EQ(q.scale[0], 1.0 / 7);
  EXPECT_EQ(q.q, (std::vector<int32_t>{4, -7, 2, 0, 0, 0, 7, 4}));  // 3.5 rounds away from zero
  EXPECT_DOUBLE_EQ(q.scale[1], 3.0 / 7);
  EXPECT_DOUBLE_EQ(quantize_per_channel({0, 0}, 1, 8).scale[0], 1.0);
}

TEST(Export, ValidatesAndReproducesTheTrainedNetwork) {
  Network net = tiny_bn();
  const auto train_set = halves(400, 1, 6), test_set = halves(100, 2, 6);
  WeightExport e = export_weights(net, "tiny-bn", checkpoint(), train_set);
  ASSERT_EQ(e.layers.size(), 2u);
  EXPECT_EQ(e.calibration_images, 400);
  // The first layer reads pixel / 255 (max 1 over the set): unsigned 8-bit codes of step 1/255 at most.
  EXPECT_LE(e.layers[0].input_scale, 1.0 / 255 + 1e-12);
  EXPECT_FALSE(e.layers[1].input_signed);  // after ReLU
  const std::string dir = tmp("export");
  write_export(e, net, dir);
  io::WeightsManifest m = io::read_weights_manifest(dir, net);  // validates against the network
  EXPECT_EQ(m.find("conv")->quantization, io::Quantization::Uniform);
  EXPECT_EQ(m.find("conv")->scale.size(), 4u);  // per output channel
  functional::QuantizedNet q = functional::load_weights(net, m);
  functional::set_input_signedness(net, q, false);
  ASSERT_TRUE(q.calibrated(net));
  EXPECT_EQ(q.at(1).q, e.layers[0].codes);

  // The trained network in torch (normalised input, batch norm in evaluation mode).
  CheckpointState st = read_state(checkpoint(), net);
  IrModel model = load_model(net, checkpoint(), st);
  model->eval();
  TensorSet t(test_set);
  torch::NoGradGuard no_grad;
  torch::Tensor ref = model->forward(st.norm.apply(t.images.to(torch::kFloat32).div(255.0))).to(torch::kFloat64);
  const double scale = ref.abs().max().item<double>();
  int agree = 0;
  double worst = 0;
  for (int64_t i = 0; i < test_set.count; ++i) {
    auto img = functional::image_from_pixels(test_set.image(i), net.input, "test");
    auto logits = functional::logits_of(functional::run_reference(net, q, img));
    for (int k = 0; k < 2; ++k) worst = std::max(worst, std::fabs(logits[size_t(k)] - ref[i][k].item<double>()));
    agree += (logits[1] > logits[0]) == (ref[i][1].item<double>() > ref[i][0].item<double>());
  }
  // 8-bit weights and activations: a few per cent of the logit range at most.
  EXPECT_LT(worst, 0.03 * scale) << "largest logit " << scale;
  EXPECT_GE(agree, 98);
  // The folded float weights reproduce the network exactly (no padding here).
  const auto& conv = e.layers[0];
  auto x = t.images.narrow(0, 0, 5).to(torch::kFloat64).div(255.0);
  auto wf = torch::tensor(conv.folded, torch::kFloat64).reshape({4, 1, 3, 3});
  auto yf = torch::conv2d(x, wf, torch::tensor(conv.bias, torch::kFloat64));
  auto outs = model->forward_all(st.norm.apply(t.images.narrow(0, 0, 5).to(torch::kFloat32).div(255.0)));
  EXPECT_LT((yf - outs[2].to(torch::kFloat64)).abs().max().item<double>(), 1e-4);  // layer 2: the batch norm
}

TEST(Export, RejectsABatchNormItCannotFold) {
  NetBuilder b("bn-first", {1, 6, 6});
  b.batchnorm();
  b.conv(2, 3, 1, 0, 1, NetBuilder::kLast, "conv");
  b.flatten();
  b.linear(2, NetBuilder::kLast, "fc");
  Network net = b.build();
  TrainOptions o;
  o.epochs = 1;
  o.threads = 1;
  o.checkpoint_dir = tmp("bn-first");
  train(net, halves(32, 1, 6), halves(8, 2, 6), o);
  EXPECT_THROW(export_weights(net, "bn-first", o.checkpoint_dir, halves(32, 1, 6)), InputError);
}

namespace {

// Chip logits from libtorch against Datapath::run image by image.
void expect_chip_equals_datapath(const std::vector<std::string>& sets, uint64_t seed, double t, bool comp, bool ideal,
                                 double tolerance) {
  Network net = tiny_bn();
  const auto train_set = halves(400, 1, 6), test_set = halves(20, 2, 6);
  functional::QuantizedNet q = to_quantized(export_weights(net, "tiny-bn", checkpoint(), train_set), net);
  ArchConfig arch = load_arch(std::string(TESSERA_SOURCE_DIR) + "/configs/arch/" + sets[0] + ".toml",
                              std::vector<std::string>(sets.begin() + 1, sets.end()));
  std::vector<double> torch_logits =
      chip_logits(net, arch, q, test_set, 0, test_set.count, seed, t, comp, ideal, &train_set);
  Mapping map = map_network(net, arch);
  Program prog = compile(net, arch, map);
  functional::Datapath dp(net, arch, map, prog, q, {seed, t, comp});
  if (const int n = functional::Datapath::adc_calibration_images(arch))
    dp.calibrate_adc(functional::first_images(train_set, n, net.input));
  for (int64_t i = 0; i < test_set.count; ++i) {
    auto img = functional::image_from_pixels(test_set.image(i), net.input, "test");
    std::vector<double> hw = ideal ? functional::logits_of(functional::run_reference(net, q, img)) : dp.run(img);
    for (int k = 0; k < 2; ++k) {
      if (tolerance == 0) EXPECT_EQ(torch_logits[size_t(i * 2 + k)], hw[size_t(k)]) << sets[0] << " image " << i;
      else EXPECT_NEAR(torch_logits[size_t(i * 2 + k)], hw[size_t(k)], tolerance) << sets[0] << " image " << i;
    }
  }
}

}  // namespace

TEST(ChipEval, IdealDevicesEqualTheIntegerReferenceBitForBit) {
  expect_chip_equals_datapath({"isaac", "tile_class.isaac.adc.bits=9"}, 1, 1, false, true, 0);
  expect_chip_equals_datapath({"pcm-8b", "tile_class.pcm.dac.bits=1", "tile_class.pcm.adc.bits=16"}, 1, 1, false, true, 0);
}

TEST(ChipEval, NoisyDevicesEqualTheDatapathOfTheSameSeed) {
  // RRAM variation on ISAAC (offset encoding, 2-bit cells, 8 input cycles, lossless 9-bit ADC).
  expect_chip_equals_datapath({"isaac", "tile_class.isaac.adc.bits=9", "device.rram.sigma=0.05"}, 7, 1, false, false, 1e-6);
  // PCM after a day with drift compensation (differential pairs, 1-bit DACs, 16-bit ADC).
  expect_chip_equals_datapath({"pcm-8b", "tile_class.pcm.dac.bits=1", "tile_class.pcm.adc.bits=16"}, 3, 86400, true,
                              false, 1e-6);
  // Rows read 16 at a time, each phase through a lossy 5-bit ADC (FS 48 > 31).
  expect_chip_equals_datapath({"isaac", "tile_class.isaac.adc.bits=5", "tile_class.isaac.crossbar.parallel_rows=16",
                               "device.rram.sigma=0.05"},
                              7, 1, false, false, 1e-6);
}

TEST(ChipEval, CalibratedAdcRangesEqualTheDatapaths) {
  // A coarse 4-bit ADC whose ranges come from 16 training images, per column
  // and per array; noise-free devices (integer sums: equal bit for bit), then RRAM variation.
  for (const char* scope : {"column", "array"}) {
    const std::vector<std::string> cal = {"isaac", "tile_class.isaac.adc.bits=4", "tile_class.isaac.adc.range.mode=calibrated",
                                          "tile_class.isaac.adc.range.images=16",
                                          std::string("tile_class.isaac.adc.range.scope=") + scope};
    std::vector<std::string> exact = cal, noisy = cal;
    exact.push_back("device.rram.sigma=0");
    noisy.push_back("device.rram.sigma=0.02");
    expect_chip_equals_datapath(exact, 1, 1, false, false, 1e-9);
    expect_chip_equals_datapath(noisy, 3, 1, false, false, 1e-6);
  }
}

TEST(ChipEval, MonteCarloIsSeededAndIdealAccuracyIsTheReferences) {
  Network net = tiny_bn();
  const auto train_set = halves(400, 1, 6), test_set = halves(60, 2, 6);
  functional::QuantizedNet q = to_quantized(export_weights(net, "tiny-bn", checkpoint(), train_set), net);
  ArchConfig arch = load_arch(std::string(TESSERA_SOURCE_DIR) + "/configs/arch/isaac.toml",
                              {"tile_class.isaac.adc.bits=9", "device.rram.sigma=0.2"});
  ChipEvalOptions o;
  o.times_s = {1, 100};
  o.runs = 3;
  o.seed = 5;
  ChipEvalResult a = evaluate_on_chip(net, arch, q, test_set, o), b = evaluate_on_chip(net, arch, q, test_set, o);
  ASSERT_EQ(a.points.size(), 2u);
  EXPECT_EQ(a.points[0].accuracy, b.points[0].accuracy);
  EXPECT_EQ(a.points[0].accuracy.size(), 3u);
  EXPECT_EQ(a.points[0].accuracy, a.points[1].accuracy);  // RRAM does not drift
  int correct = 0;
  for (int64_t i = 0; i < test_set.count; ++i) {
    auto l = functional::logits_of(
        functional::run_reference(net, q, functional::image_from_pixels(test_set.image(i), net.input, "t")));
    correct += int(l[1] > l[0]) == test_set.labels[size_t(i)];
  }
  EXPECT_DOUBLE_EQ(a.ideal_accuracy, double(correct) / 60);
}

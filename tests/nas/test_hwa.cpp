// Hardware-aware training pieces: the array each weight sits in (against the
// analog pass's own array order and the mapper's array count), weight noise
// per array (statistics, no gradient), TWN ternarisation (equal to
// workloads/quant/ternary.hpp, straight-through gradient), and a tiny network
// that still learns a separable problem through the noisy and ternary layers.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "arch/config/arch_config.hpp"
#include "arch/device/rng.hpp"
#include "arch/mapping/mapping.hpp"
#include "nas/analog_mvm.hpp"
#include "nas/ir_model.hpp"
#include "nas/trainer.hpp"
#include "nas/weight_transforms.hpp"
#include "workloads/ir/builder.hpp"
#include "workloads/zoo/zoo.hpp"
#include "../device/device_helpers.hpp"
#include "nas_helpers.hpp"

using namespace tessera;
using namespace tessera::nas;

using tessera::device::test::make_device;
using tessera::nas::test::halves;

namespace {

// Records which weight ids each array of the analog pass holds.
struct Recorder : ArrayWeightSource {
  std::map<int64_t, std::set<int64_t>> ids;
  torch::Tensor weights(int, int64_t array, const torch::Tensor& w, double& gain) override {
    gain = 1;
    auto f = w.flatten();
    for (int64_t i = 0; i < f.numel(); ++i) {
      const int64_t v = int64_t(std::lround(f[i].item<double>()));
      if (v != 0) ids[array].insert(v - 1);
    }
    return w;
  }
};

}  // namespace

TEST(ArrayIndexMap, MatchesTheAnalogPassOnHandCases) {
  // A grouped, a depthwise (packed three groups per array) and a linear layer, cut into small arrays.
  NetBuilder b("t", {4, 5, 5});
  b.conv(6, 3, 1, 1, 2, NetBuilder::kLast, "grouped");
  b.conv(6, 3, 1, 1, 6, NetBuilder::kLast, "depthwise");
  b.flatten();
  b.linear(5, NetBuilder::kLast, "fc");
  Network n = b.build();
  std::vector<ArrayGeometry> g(n.layers.size());
  g[n.find("grouped")] = {true, 5, 2, 1, 0, 0, nullptr};
  g[n.find("depthwise")] = {true, 27, 3, 3, 0, 0, nullptr};
  g[n.find("fc")] = {true, 40, 2, 1, 0, 0, nullptr};
  AnalogParams p;
  p.enabled = true;
  p.dac_bits = p.adc_bits = 0;
  p.out_noise = 0;
  p.out_bound = 1e9;
  for (const char* name : {"grouped", "depthwise", "fc"}) {
    const int li = n.find(name);
    const Layer& l = n.layers[size_t(li)];
    const int64_t count_w = l.out_channels * l.matrix_rows();
    auto ids = torch::arange(1, count_w + 1, torch::kFloat32);
    auto x = torch::ones({1, l.matrix_rows() * (l.type == LayerType::Conv2d ? l.groups : 1)});
    Recorder rec;
    ArrayContext ctx{li, &rec, 0};
    if (l.type == LayerType::Linear) {
      analog_linear(torch::ones({1, l.in.c, l.in.h, l.in.w}), l, ids.reshape({l.out_channels, -1}), {}, g[size_t(li)], p,
                    false, &ctx);
    } else {
      analog_conv2d(torch::ones({1, l.in.c, l.in.h, l.in.w}), l, ids.reshape({l.out_channels, l.in.c / l.groups, 3, 3}),
                    {}, g[size_t(li)], p, false, &ctx);
    }
    int64_t arrays = 0;
    const std::vector<int64_t> map = array_index_map(l, g[size_t(li)], arrays);
    EXPECT_EQ(arrays, ctx.next_array) << name;
    for (const auto& [a, held] : rec.ids)
      for (int64_t id : held) EXPECT_EQ(map[size_t(id)], a) << name << " weight " << id;
    // Every weight is in exactly one array.
    int64_t seen = 0;
    for (const auto& [a, held] : rec.ids) seen += int64_t(held.size());
    EXPECT_EQ(seen, count_w) << name;
  }
  // By hand: fc (5 outputs x 150 rows) in 40 x 2 arrays: column block oc / 2 (three), row block r / 40 (four).
  int64_t arrays = 0;
  const auto fc = array_index_map(n.layers[size_t(n.find("fc"))], g[size_t(n.find("fc"))], arrays);
  EXPECT_EQ(arrays, 12);
  EXPECT_EQ(fc[0 * 150 + 0], 0);
  EXPECT_EQ(fc[1 * 150 + 45], 1);
  EXPECT_EQ(fc[3 * 150 + 99], 1 * 4 + 2);
  EXPECT_EQ(fc[4 * 150 + 149], 2 * 4 + 3);
  int64_t cols = 0;
  const auto col = column_index_map(n.layers[size_t(n.find("fc"))], g[size_t(n.find("fc"))], cols);
  EXPECT_EQ(cols, 60);
  EXPECT_EQ(col[3 * 150 + 99], 6 * 5 + 3);
}

TEST(ArrayIndexMap, CountsTheMappersArrays) {
  for (const char* preset : {"isaac", "pcm-8b", "rram-1b"}) {
    for (const char* spec : {"fmnist-cnn", "mobilenet-tiny"}) {
      Network n = zoo::build(spec);
      ArchConfig arch = load_arch(std::string(TESSERA_SOURCE_DIR) + "/configs/arch/" + preset + ".toml");
      Mapping m = map_network(n, arch);
      auto g = array_geometry(n, m, arch);
      for (int i : n.weight_layers()) {
        if (!g[size_t(i)].analog) continue;
        int64_t arrays = 0;
        array_index_map(n.layers[size_t(i)], g[size_t(i)], arrays);
        EXPECT_EQ(arrays, m.layers[size_t(i)].tiling.crossbars) << preset << " " << spec << " " << n.layers[size_t(i)].name;
      }
    }
  }
}

TEST(WeightNoise, RelativeToEachArraysMaxAndWithoutGradient) {
  torch::manual_seed(5);
  // Two arrays: weights of magnitude up to 1 and up to 10.
  auto w = torch::cat({torch::rand({1000}) * 2 - 1, (torch::rand({1000}) * 2 - 1) * 10});
  w.index_put_({0}, 1.0);
  w.index_put_({1000}, 10.0);
  std::vector<int64_t> idx(2000);
  for (int i = 0; i < 2000; ++i) idx[size_t(i)] = i / 1000;
  auto noise = array_weight_noise(w, make_array_index(idx, 2), 0.1);
  EXPECT_NEAR(noise.narrow(0, 0, 1000).std().item<double>(), 0.1, 0.01);
  EXPECT_NEAR(noise.narrow(0, 1000, 1000).std().item<double>(), 1.0, 0.1);
  EXPECT_FALSE(noise.requires_grad());
}

TEST(DeviceWeightNoise, IsWhatTheDevicesPairsHold) {
  // Every weight at its array's max (+1 or -3): the driven cell sits at g_max
  // with N(0, sigma g_max), the other cell at 0, clipped at 0: held =
  // max (1 + sigma N1 - sigma max(0, N2)), so the noise relative to max has
  // mean -sigma E[max(0, N)] = -sigma / sqrt(2 pi) and variance
  // sigma^2 (1 + 1/2 - 1/(2 pi)) (hand-computed).
  const double sigma = 0.05, pi = std::acos(-1.0);
  const int64_t n = 20000;
  auto w = torch::cat({torch::ones({n}), torch::full({n}, -3.0)});
  std::vector<int64_t> idx(size_t(2 * n));
  for (int64_t i = 0; i < 2 * n; ++i) idx[size_t(i)] = i / n;
  const ArrayIndex a = make_array_index(idx, 2);
  auto rram = make_device("impl = \"rram\"\nsigma = 0.05\n");
  auto noise = device_weight_noise(w, a, *rram, 11);
  const double mean = -sigma / std::sqrt(2 * pi), sd = sigma * std::sqrt(1.5 - 1 / (2 * pi));
  auto pos = noise.narrow(0, 0, n), neg = noise.narrow(0, n, n) / -3.0;
  EXPECT_NEAR(pos.mean().item<double>(), mean, 4 * sd / std::sqrt(double(n)));
  EXPECT_NEAR(neg.mean().item<double>(), mean, 4 * sd / std::sqrt(double(n)));
  EXPECT_NEAR(pos.std().item<double>(), sd, 0.03 * sd);
  EXPECT_NEAR(neg.std().item<double>(), sd, 0.03 * sd);
  EXPECT_FALSE(noise.requires_grad());
  // The same seed draws the same noise; another seed other noise.
  EXPECT_TRUE(torch::equal(noise, device_weight_noise(w, a, *rram, 11)));
  EXPECT_FALSE(torch::equal(noise, device_weight_noise(w, a, *rram, 12)));
  // Ideal cells hold the weights (up to float rounding of w / max * g_max).
  auto ideal = make_device("impl = \"rram\"\n");
  auto mixed = torch::linspace(-2, 2, 1001);
  std::vector<int64_t> one(1001, 0);
  EXPECT_LT(device_weight_noise(mixed, make_array_index(one, 1), *ideal, 3).abs().max().item<double>(), 1e-6);
  // Four levels: weights snap to multiples of max / 3 per cell.
  auto levels = make_device("impl = \"rram\"\nlevels = 4\n");
  auto held = mixed + device_weight_noise(mixed, make_array_index(one, 1), *levels, 3);
  EXPECT_NEAR(held[1000].item<double>(), 2.0, 1e-6);
  EXPECT_NEAR(held[725].item<double>(), 2.0 / 3, 1e-6);  // w = 0.9 snaps to 2/3 (nearest of 0, 2/3, 4/3, 2)
}

TEST(Ternary, EqualsTheTwnOfQuantAndPassesGradientsStraight) {
  const std::vector<float> v = {0.9f, -0.1f, 0.4f, -0.8f, 0.05f, 0.3f, -0.35f, 0.0f};
  for (bool per_channel : {false, true}) {
    quant::TernaryParams p;
    p.threshold_factor = 0.7;
    p.per_channel = per_channel;
    quant::TernaryWeights ref = quant::ternarize(v, {2, 4, 1, 1}, p);
    auto w = torch::tensor(v).reshape({2, 4}).requires_grad_(true);
    torch::Tensor t = ternarize_ste(w, p);
    for (int i = 0; i < 8; ++i)
      EXPECT_FLOAT_EQ(t.flatten()[i].item<float>(), float(ref.values[size_t(i)]) * ref.alpha_of(i / 4))
          << "per_channel " << per_channel << " weight " << i;
    (t * torch::arange(8, torch::kFloat32).reshape({2, 4})).sum().backward();
    EXPECT_TRUE(torch::equal(w.grad(), torch::arange(8, torch::kFloat32).reshape({2, 4})));
  }
  // By hand: mean|w| = 2.9 / 8 = 0.3625, D = 0.25375: kept 0.9, 0.4, -0.8, 0.3, -0.35; alpha = 2.75 / 5.
  quant::TernaryParams p;
  p.threshold_factor = 0.7;
  auto t = ternarize_ste(torch::tensor(v), p);
  EXPECT_FLOAT_EQ(t[0].item<float>(), 0.55f);
  EXPECT_FLOAT_EQ(t[1].item<float>(), 0.0f);
  EXPECT_FLOAT_EQ(t[6].item<float>(), -0.55f);
}

TEST(HardwareAwareTraining, TinyNetworkLearnsThroughNoisyAndTernaryLayers) {
  NetBuilder b("tiny-hwa", {1, 4, 4});
  b.conv(4, 3, 1, 1, 1, NetBuilder::kLast, "conv");
  b.relu();
  b.flatten();
  b.linear(2, NetBuilder::kLast, "fc");
  Network net = b.build();
  const auto train_set = halves(400, 1), test_set = halves(200, 2);
  TrainOptions o;
  o.lr = 0.1;
  o.epochs = 6;
  o.batch_size = 16;
  o.threads = 1;
  o.seed = 3;
  o.analog.enabled = true;
  o.analog.periphery = false;
  o.analog.weight_noise = 0.1;
  o.analog.max_rows = 4;  // several arrays per layer
  o.analog.max_cols = 2;
  TrainResult noisy = train(net, train_set, test_set, o);
  EXPECT_GE(noisy.test_accuracy, 0.95);
  EXPECT_LT(noisy.epochs.back().train_loss, noisy.epochs.front().train_loss);
  o.ternary.layers = "all";
  TrainResult ternary = train(net, train_set, test_set, o);
  EXPECT_GE(ternary.test_accuracy, 0.95);
  o.ternary.layers = "ap";
  EXPECT_THROW(train(net, train_set, test_set, o), InputError);  // no arch to say which layers are on APs
}

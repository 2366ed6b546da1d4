// Weight exports (manifest.json + .npy files): round trips, dequantisation,
// validation against the network IR, and errors that name the manifest key.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "workloads/io/npy.hpp"
#include "workloads/io/weights_manifest.hpp"
#include "workloads/zoo/zoo.hpp"

using namespace tessera;
using namespace tessera::io;
namespace fs = std::filesystem;

namespace {

std::string fresh_dir(const std::string& name) {
  std::string d = ::testing::TempDir() + "/wm_" + name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// Exports float weights w[i] = (i % 7 - 3) / 8 and biases b[o] = o / 4 for every weight layer.
WeightsManifest export_float(const Network& net, const std::string& dir) {
  WeightsManifest m;
  m.dir = dir;
  m.network = net.name;
  for (int i : net.weight_layers()) {
    const Layer& l = net.layers[i];
    LayerWeights lw;
    lw.layer = l.name;
    lw.shape = expected_weight_shape(l);
    lw.weight_file = l.name + ".weight.npy";
    lw.bias_file = l.name + ".bias.npy";
    std::vector<float> w(size_t(l.weights())), b(size_t(l.out_channels));
    for (size_t k = 0; k < w.size(); ++k) w[k] = float(int(k % 7) - 3) / 8.0f;
    for (size_t k = 0; k < b.size(); ++k) b[k] = float(k) / 4.0f;
    write_npy(dir + "/" + lw.weight_file, NpyArray::of_floats(w, lw.shape));
    write_npy(dir + "/" + lw.bias_file, NpyArray::of_floats(b, {l.out_channels}));
    m.layers.push_back(lw);
  }
  write_weights_manifest(m);
  return m;
}

std::string error_of(const std::string& dir, const Network& net) {
  try {
    read_weights_manifest(dir, net);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST(WeightsManifest, ExpectedShapesFollowPyTorch) {
  Network n = zoo::build("mobilenet-tiny");
  const Layer& dw = n.layers[n.find("dw1")];  // depthwise: 32 groups of one channel
  EXPECT_EQ(expected_weight_shape(dw), (std::vector<int64_t>{32, 1, 3, 3}));
  Network f = zoo::build("fmnist-cnn");
  EXPECT_EQ(expected_weight_shape(f.layers[f.find("conv2")]), (std::vector<int64_t>{32, 16, 3, 3}));
  EXPECT_EQ(expected_weight_shape(f.layers[f.find("fc")]), (std::vector<int64_t>{10, 64 * 3 * 3}));
}

TEST(WeightsManifest, FloatRoundTrip) {
  Network net = zoo::build("fmnist-cnn");
  std::string dir = fresh_dir("float");
  export_float(net, dir);
  WeightsManifest m = read_weights_manifest(dir, net);
  EXPECT_EQ(m.network, "fmnist-cnn");
  ASSERT_EQ(m.layers.size(), 4u);
  EXPECT_EQ(m.layers[0].layer, "conv1");  // network order is kept
  const LayerWeights* fc = m.find("fc");
  ASSERT_NE(fc, nullptr);
  EXPECT_EQ(fc->quantization, Quantization::None);
  LoadedWeights w = load_layer_weights(m, *fc);
  ASSERT_EQ(w.weight.size(), 10u * 576u);
  EXPECT_EQ(w.weight[0], -3.0f / 8);
  EXPECT_EQ(w.weight[10], 0.0f);  // 10 % 7 - 3 = 0
  ASSERT_EQ(w.bias.size(), 10u);
  EXPECT_EQ(w.bias[9], 2.25f);
}

TEST(WeightsManifest, UniformPerChannelAndTernaryDequantise) {
  Network net = zoo::build("mlp:hidden=2,wbits=4");
  std::string dir = fresh_dir("quant");
  WeightsManifest m;
  m.dir = dir;
  m.network = "mlp:hidden=2,wbits=4";
  LayerWeights fc1{"fc1", "fc1.npy", "", {2, 784}, 4, Quantization::Uniform, {0.5, 0.25}};
  std::vector<int8_t> q1(2 * 784, 0);
  q1[0] = 7;      // channel 0: 7 * 0.5
  q1[784] = -7;   // channel 1: -7 * 0.25
  q1[785] = 3;
  write_npy(dir + "/fc1.npy", NpyArray::of_int8(q1, {2, 784}));
  LayerWeights fc2{"fc2", "fc2.npy", "", {10, 2}, 4, Quantization::Uniform, {0.125}};
  std::vector<int32_t> q2(20);
  for (int i = 0; i < 20; ++i) q2[i] = i % 15 - 7;
  write_npy(dir + "/fc2.npy", NpyArray::of_int32(q2, {10, 2}));
  m.layers = {fc1, fc2};
  write_weights_manifest(m);

  WeightsManifest r = read_weights_manifest(dir, net);
  auto w1 = load_layer_weights(r, *r.find("fc1"));
  EXPECT_EQ(w1.weight[0], 3.5f);
  EXPECT_EQ(w1.weight[784], -1.75f);
  EXPECT_EQ(w1.weight[785], 0.75f);
  EXPECT_TRUE(w1.bias.empty());
  auto w2 = load_layer_weights(r, *r.find("fc2"));
  EXPECT_EQ(w2.weight[0], -7 * 0.125f);
  EXPECT_EQ(w2.weight[19], (19 % 15 - 7) * 0.125f);

  // Ternary: codes -1/0/+1 times alpha; an 8-bit code of 2 is out of range.
  Network tnet = zoo::build("mlp:hidden=2,wbits=2");
  std::string tdir = fresh_dir("ternary");
  WeightsManifest t;
  t.dir = tdir;
  t.network = "mlp:hidden=2,wbits=2";
  std::vector<int8_t> c1(2 * 784, 1), c2(20, -1);
  c1[1] = 0;
  write_npy(tdir + "/fc1.npy", NpyArray::of_int8(c1, {2, 784}));
  write_npy(tdir + "/fc2.npy", NpyArray::of_int8(c2, {10, 2}));
  t.layers = {{"fc1", "fc1.npy", "", {2, 784}, 2, Quantization::Ternary, {0.3}},
              {"fc2", "fc2.npy", "", {10, 2}, 2, Quantization::Ternary, {0.7}}};
  write_weights_manifest(t);
  WeightsManifest tr = read_weights_manifest(tdir, tnet);
  auto tw = load_layer_weights(tr, *tr.find("fc1"));
  EXPECT_FLOAT_EQ(tw.weight[0], 0.3f);
  EXPECT_EQ(tw.weight[1], 0.0f);
  EXPECT_FLOAT_EQ(load_layer_weights(tr, *tr.find("fc2")).weight[5], -0.7f);
  c2[5] = 2;
  write_npy(tdir + "/fc2.npy", NpyArray::of_int8(c2, {10, 2}));
  try {
    load_layer_weights(tr, *tr.find("fc2"));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("layers.fc2.weight: code 2 at element 5 is out of range; allowed: [-1, 1]"),
              std::string::npos)
        << e.what();
  }
}

TEST(WeightsManifest, OptionalInputScaleRoundTrips) {
  Network net = zoo::build("fmnist-cnn");
  std::string dir = fresh_dir("input_scale");
  WeightsManifest m = export_float(net, dir);
  EXPECT_EQ(m.layers[1].input_scale, 0);  // absent unless given
  m.layers[1].input_scale = 0.0375;
  write_weights_manifest(m);
  WeightsManifest r = read_weights_manifest(dir, net);
  EXPECT_EQ(r.find("conv1")->input_scale, 0);
  EXPECT_EQ(r.find("conv2")->input_scale, 0.0375);
  // Quantised layers keep their integer codes next to the dequantised weights.
  LayerWeights lw{"fc", "fc.q.npy", "", {10, 576}, 8, Quantization::Uniform, {0.5}};
  std::vector<int8_t> q(5760, 0);
  q[3] = -127;
  write_npy(dir + "/fc.q.npy", NpyArray::of_int8(q, {10, 576}));
  LoadedWeights w = load_layer_weights(r, lw);
  ASSERT_EQ(w.codes.size(), 5760u);
  EXPECT_EQ(w.codes[3], -127);
  EXPECT_EQ(w.weight[3], -63.5f);
  EXPECT_TRUE(load_layer_weights(r, *r.find("fc")).codes.empty());  // float weights have no codes
}

TEST(WeightsManifest, ValidationAgainstTheNetwork) {
  Network net = zoo::build("fmnist-cnn");
  std::string dir = fresh_dir("validate");
  WeightsManifest m = export_float(net, dir);

  // A network with a different width: every shape differs; the first reported is conv1's.
  std::string e = error_of(dir, zoo::build("fmnist-cnn:width=8"));
  EXPECT_NE(e.find("layers.conv1.shape: [16, 1, 3, 3] does not match the network's conv2d layer, which needs [8, 1, 3, 3]"),
            std::string::npos)
      << e;

  // A missing layer.
  WeightsManifest missing = m;
  missing.layers.erase(missing.layers.begin() + 2);
  write_weights_manifest(missing);
  e = error_of(dir, net);
  EXPECT_NE(e.find("manifest.json: layers: no entry for weight layer 'conv3'"), std::string::npos) << e;

  // A layer the network does not have, and one without weights.
  WeightsManifest extra = m;
  extra.layers.push_back(m.layers[0]);
  extra.layers.back().layer = "conv9";
  write_weights_manifest(extra);
  e = error_of(dir, net);
  EXPECT_NE(e.find("layers.conv9: network 'fmnist-cnn' has no layer of this name"), std::string::npos) << e;
  extra.layers.back().layer = net.layers[2].name;  // the batchnorm after conv1
  write_weights_manifest(extra);
  e = error_of(dir, net);
  EXPECT_NE(e.find("layer is a batchnorm and holds no weights"), std::string::npos) << e;

  // The .npy file disagrees with the manifest's shape.
  write_weights_manifest(m);
  write_npy(dir + "/conv1.weight.npy", NpyArray::of_floats(std::vector<float>(16 * 9), {16, 9}));
  try {
    load_layer_weights(m, *m.find("conv1"));
    FAIL();
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("conv1.weight.npy: layers.conv1.weight: array shape (16, 9) differs"),
              std::string::npos)
        << err.what();
  }
}

TEST(WeightsManifest, MalformedManifestsNameTheKey) {
  Network net = zoo::build("mlp:hidden=2");
  std::string dir = fresh_dir("malformed");
  auto err = [&](const std::string& text) {
    write_text(dir + "/manifest.json", text);
    try {
      read_weights_manifest(dir);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  const std::string head = R"({"format": "tessera-weights", "version": 1, "network": "mlp", )";
  const std::string fc2 = R"("fc2": {"weight": "b.npy", "shape": [10, 2], "weight_bits": 8, "quantization": "none"})";

  EXPECT_NE(err("{\n  \"format\": \"tessera-weights\",\n  \"version\": 1,,\n}").find("manifest.json:3:"), std::string::npos);
  EXPECT_NE(err(R"({"format": "other", "version": 1, "network": "mlp", "layers": {}})")
                .find("format: 'other' is not a tessera weight manifest; allowed: tessera-weights"),
            std::string::npos);
  EXPECT_NE(err(R"({"format": "tessera-weights", "version": 2, "network": "mlp", "layers": {}})")
                .find("version: 2 is out of range; allowed: [1, 1]"),
            std::string::npos);
  EXPECT_NE(err(R"({"format": "tessera-weights", "version": 1, "layers": {}})").find("network: missing"), std::string::npos);
  EXPECT_NE(err(head + R"("layers": {}, "comment": 1})").find("comment: unknown key; allowed here: format, version, network, layers"),
            std::string::npos);
  EXPECT_NE(err(head + R"("layers": {"fc1": {"weight": "a.npy", "shape": [2, 784], "weight_bits": 8, "quantization": "log"}}})")
                .find("layers.fc1.quantization: unknown kind 'log'; allowed: none, uniform, ternary"),
            std::string::npos);
  EXPECT_NE(err(head + R"("layers": {"fc1": {"weight": "a.npy", "shape": [2, 784], "weight_bits": 8, "quantization": "uniform"}}})")
                .find("layers.fc1.scale: missing"),
            std::string::npos);
  EXPECT_NE(err(head + R"("layers": {"fc1": {"weight": "a.npy", "shape": [2, 784], "weight_bits": 8, "quantization": "uniform", "scale": [1, 2, 3]}}})")
                .find("layers.fc1.scale: has 3 values; allowed: 1 (per layer) or 2 (one per output channel)"),
            std::string::npos);
  EXPECT_NE(err(head + R"("layers": {"fc1": {"weight": "a.npy", "shape": [2, 784], "weight_bits": 8, "quantization": "uniform", "scale": -1}}})")
                .find("layers.fc1.scale: scales must be positive"),
            std::string::npos);
  EXPECT_NE(err(head + R"("layers": {"fc1": {"weight": "a.npy", "shape": [2, 0], "weight_bits": 8, "quantization": "none"}}})")
                .find("layers.fc1.shape: dimensions must be positive"),
            std::string::npos);
  EXPECT_NE(err(head + R"("layers": {"fc1": {"weight": "a.npy", "shape": [2, 784], "weight_bits": 4, "quantization": "ternary", "scale": 1}}})")
                .find("layers.fc1.weight_bits: ternary weights take 2 bits"),
            std::string::npos);
  EXPECT_NE(err(head + R"("layers": {"fc1": {"weights": "a.npy", "shape": [2, 784], "weight_bits": 8, "quantization": "none"}}})")
                .find("layers.fc1.weight: missing"),
            std::string::npos);
  EXPECT_NE(err(head + R"("layers": {"fc1": {"weight": "a.npy", "shape": [2, 784], "weight_bits": 8, "quantization": "none", "scale": 1}}})")
                .find("layers.fc1.scale: quantization 'none' stores real weights and takes no scale"),
            std::string::npos);
  EXPECT_NE(err(head + R"("layers": {"fc1": {"weight": "a.npy", "shape": [2, 784], "weight_bits": 8, "quantization": "none", "sacle": 1}}})")
                .find("layers.fc1.sacle: unknown key"),
            std::string::npos);
  EXPECT_NE(err(head + R"("layers": {"fc1": {"weight": "a.npy", "shape": [2, 784], "weight_bits": 8, "quantization": "none", "input_scale": 0}}})")
                .find("layers.fc1.input_scale: must be positive and finite, found 0"),
            std::string::npos);
  EXPECT_NE(err(head + R"("layers": {"fc1": {"weight": "a.npy", "shape": [2, 784], "weight_bits": 8, "quantization": "none", "input_scale": "x"}}})")
                .find("layers.fc1.input_scale: expected a positive number"),
            std::string::npos);
  // A structurally valid manifest for the wrong precision: quantised layers must match the IR's weight_bits.
  err(head + R"("layers": {"fc1": {"weight": "a.npy", "shape": [2, 784], "weight_bits": 4, "quantization": "uniform", "scale": 1}, )" + fc2 + "}}");
  EXPECT_NE(error_of(dir, net).find("layers.fc1.weight_bits: 4 bits differ from the network's 8"), std::string::npos);
  // No manifest at all.
  fs::remove(dir + "/manifest.json");
  EXPECT_NE(error_of(dir, net).find("cannot open the weight manifest"), std::string::npos);
}

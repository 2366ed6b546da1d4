// ONNX import: models exported by PyTorch (tests/onnx/make_models.py writes
// them into the build tree with PyTorch's own counts and logits): MAC and
// parameter counts against PyTorch's, the operators mapped onto the IR, the
// model's own weights through the functional simulation against PyTorch's
// logits, export-net's TOML and weight export, and malformed or unsupported
// models (exit 2, the node, the operator and what is supported, nothing written).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/run_tessera.hpp"
#include "workloads/importers/network_toml.hpp"
#include "workloads/io/npy.hpp"
#include "workloads/load.hpp"

namespace fs = std::filesystem;
using namespace tessera;
using json = nlohmann::json;

namespace {

using tessera::testing::Result;
Result run(const std::string& args) { return tessera::testing::run_tessera(args); }
std::string tmp(const std::string& name) { return tessera::testing::temp_path(name); }
std::string model(const std::string& name) { return std::string(TESSERA_ONNX_MODELS) + "/" + name; }
json counts() { return json::parse(tessera::testing::slurp(model("counts.json"))); }
std::vector<double> npy(const std::string& path) { return io::read_npy(path).to_doubles(); }

// An ideal chip with lossless converters: the datapath equals the integer
// reference (docs/functional-model.md), so what differs from PyTorch is the
// 8-bit quantisation of weights and activations alone.
const std::string kLossless = " --set tile_class.isaac.adc.bits=9";

int count(const Network& n, LayerType t) {
  return int(std::count_if(n.layers.begin(), n.layers.end(), [t](const Layer& l) { return l.type == t; }));
}

size_t argmax(const std::vector<double>& v) { return size_t(std::max_element(v.begin(), v.end()) - v.begin()); }

}  // namespace

TEST(OnnxCounts, ResNet18MatchesPyTorch) {
  const json c = counts()["resnet18"];
  Network fused = load_network(model("resnet18.onnx"));   // batch norm fused by the exporter
  Network kept = load_network(model("resnet18_bn.onnx"));  // batch norm nodes kept, folded here
  EXPECT_EQ(fused.macs(), c["macs"].get<int64_t>());
  EXPECT_EQ(std::llround(double(fused.macs()) / 1e6), 1814);  // 1.814 G MACs (issue 13)
  EXPECT_EQ(kept.macs(), fused.macs());
  EXPECT_EQ(fused.weights(), c["weights"].get<int64_t>());
  EXPECT_EQ(kept.parameters(), c["parameters"].get<int64_t>());  // PyTorch's sum of parameters()
  EXPECT_EQ(kept.parameters(), 11689512);
  EXPECT_EQ(count(kept, LayerType::BatchNorm), 20);
  EXPECT_EQ(count(fused, LayerType::BatchNorm), 0);
  EXPECT_EQ(count(kept, LayerType::Add), 8);
  EXPECT_EQ(kept.layers.back().out, (Shape{1000, 1, 1}));
  // Fused and folded carry the same network; the exporter's folding and ours agree.
  const auto& a = fused.params->at(fused.layers[size_t(fused.weight_layers()[0])].name);
  const auto& b = kept.params->at(kept.layers[size_t(kept.weight_layers()[0])].name);
  ASSERT_EQ(a.weight.size(), b.weight.size());
  for (size_t i = 0; i < a.weight.size(); i += 97) EXPECT_NEAR(a.weight[i], b.weight[i], 1e-5 + 1e-4 * std::fabs(a.weight[i]));
}

TEST(OnnxCounts, MobileNetV2MatchesPyTorch) {
  const json c = counts()["mobilenet_v2"];
  Network fused = load_network(model("mobilenet_v2.onnx"));
  Network kept = load_network(model("mobilenet_v2_bn.onnx"));
  EXPECT_EQ(fused.macs(), c["macs"].get<int64_t>());
  EXPECT_EQ(std::llround(double(fused.macs()) / 1e5), 3008);  // 300.8 M MACs
  EXPECT_EQ(fused.weights(), c["weights"].get<int64_t>());
  EXPECT_EQ(std::llround(double(fused.weights()) / 1e4), 347);  // 3.47 M weights
  EXPECT_EQ(kept.parameters(), c["parameters"].get<int64_t>());
  EXPECT_EQ(kept.macs(), fused.macs());
  // ReLU6 is Clip(0, 6); depthwise convolutions have groups = channels.
  int relu6 = 0, depthwise = 0;
  for (const Layer& l : fused.layers) {
    if (l.type == LayerType::Activation && l.activation == ActivationFn::Clip && l.act_min == 0 && l.act_max == 6) ++relu6;
    if (l.type == LayerType::Conv2d && l.groups > 1 && l.groups == l.in.c && l.groups == l.out_channels) ++depthwise;
  }
  EXPECT_EQ(relu6, 35);
  EXPECT_EQ(depthwise, 17);
}

TEST(OnnxCounts, ReportGivesParametersNextToMacs) {
  std::string rep = tmp("r.json");
  Result r = run("estimate --net " + model("mobilenet_v2_bn.onnx") + " -o " + rep);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("0.3008 GMACs, 3.505 M parameters"), std::string::npos) << r.out;
  json m = json::parse(tessera::testing::slurp(rep))["metrics"];
  EXPECT_EQ(m["macs"], counts()["mobilenet_v2"]["macs"]);
  EXPECT_EQ(m["parameters"], counts()["mobilenet_v2"]["parameters"]);
  EXPECT_EQ(m["weights"], counts()["mobilenet_v2"]["weights"]);
}

TEST(OnnxImport, EveryOperatorMapsOntoTheIr) {
  Network n = load_network(model("ops_cnn.onnx"));
  EXPECT_EQ(n.macs(), counts()["ops_cnn"]["macs"].get<int64_t>());
  EXPECT_EQ(n.parameters(), counts()["ops_cnn"]["parameters"].get<int64_t>());
  std::vector<std::string> fns;
  for (const Layer& l : n.layers)
    if (l.type == LayerType::Activation) fns.push_back(to_string(l.activation));
  std::sort(fns.begin(), fns.end());
  EXPECT_EQ(fns, (std::vector<std::string>{"clip", "hard_sigmoid", "hard_swish", "leaky_relu", "sigmoid", "tanh"}));
  EXPECT_EQ(count(n, LayerType::BatchNorm), 2);
  EXPECT_EQ(count(n, LayerType::Concat), 1);
  EXPECT_EQ(count(n, LayerType::Add), 1);
  EXPECT_EQ(count(n, LayerType::Flatten), 1);  // x.view(N, -1)
  EXPECT_EQ(count(n, LayerType::Linear), 2);    // Gemm; MatMul + Add
  const Layer& dw = n.layers[size_t(n.find("dw"))];
  EXPECT_EQ(dw.groups, 8);
  EXPECT_EQ(dw.dilation_h, 2);
  EXPECT_EQ(dw.pad_h, 2);
  // PyTorch writes Pad + AveragePool for padding counted in the average: one pool with padding 1.
  bool padded_avg = false;
  for (const Layer& l : n.layers) padded_avg |= l.type == LayerType::AvgPool && l.pad_h == 1 && l.kernel_h == 3;
  EXPECT_TRUE(padded_avg);
  const Layer& last = n.layers.back();
  EXPECT_EQ(last.type, LayerType::Linear);
  EXPECT_TRUE(last.bias);  // the Add after the MatMul
  EXPECT_EQ(n.params->at(last.name).bias.size(), 10u);
  const Layer& leaky = *std::find_if(n.layers.begin(), n.layers.end(), [](const Layer& l) {
    return l.type == LayerType::Activation && l.activation == ActivationFn::LeakyRelu;
  });
  EXPECT_FLOAT_EQ(float(leaky.alpha), 0.1f);
  EXPECT_DOUBLE_EQ(leaky.activate(-2.0), -2.0 * leaky.alpha);
}

// The model's own weights on an ideal chip: the datapath equals its integer
// reference exactly, and PyTorch's float logits differ by quantisation alone.
TEST(OnnxFunctional, OwnWeightsGivePyTorchsLogits) {
  for (int k = 0; k < 3; ++k) {
    const std::string in = model("ops_cnn.input" + std::to_string(k) + ".npy");
    std::string rep = tmp("ops.json"), out = tmp("ops.npy");
    Result r = run("simulate --net " + model("ops_cnn.onnx") + " --functional" + kLossless + " --input " + in +
                   " -q -o " + rep + " --output-npy " + out);
    ASSERT_EQ(r.code, 0) << r.out;
    json f = json::parse(tessera::testing::slurp(rep))["functional"];
    EXPECT_EQ(f["comparison"]["exact"], true);
    EXPECT_NE(f["weights"].get<std::string>().find("the network's own weights"), std::string::npos);
    const std::vector<double> sim = npy(out), torch = npy(model("ops_cnn.logits" + std::to_string(k) + ".npy"));
    ASSERT_EQ(sim.size(), torch.size());
    double range = 0;
    for (double v : torch) range = std::max(range, std::fabs(v));
    for (size_t i = 0; i < sim.size(); ++i) EXPECT_NEAR(sim[i], torch[i], 0.02 * range) << "logit " << i;
  }
}

TEST(OnnxFunctional, TrainedCnnAgreesWithPyTorchOnFashionMnist) {
  // The first test images, each simulated on its own (bench/onnx/functional_agreement.py runs 1,000).
  const auto set = io::read_npy(model("fmnist_cnn.logits.npy"));
  const std::vector<double> torch = set.to_doubles();
  const int images = 12, classes = 10;
  const std::vector<double> pixels = npy(model("fmnist_cnn.images.npy"));
  int agree = 0;
  double worst = 0;
  for (int k = 0; k < images; ++k) {
    std::vector<uint8_t> img(pixels.begin() + k * 784, pixels.begin() + (k + 1) * 784);
    const std::string in = tmp("img.npy"), out = tmp("fm.npy");
    io::write_npy(in, io::NpyArray::of_uint8(img, {1, 28, 28}));
    Result r = run("simulate --net " + model("fmnist_cnn.onnx") + " --functional" + kLossless + " --input " + in +
                   " -q --output-npy " + out);
    ASSERT_EQ(r.code, 0) << r.out;
    const std::vector<double> sim = npy(out);
    const std::vector<double> ref(torch.begin() + k * classes, torch.begin() + (k + 1) * classes);
    agree += argmax(sim) == argmax(ref);
    double range = 0;
    for (double v : ref) range = std::max(range, std::fabs(v));
    for (int c = 0; c < classes; ++c) worst = std::max(worst, std::fabs(sim[size_t(c)] - ref[size_t(c)]) / range);
  }
  EXPECT_GE(agree, images - 1);
  EXPECT_LT(worst, 0.03);  // 8-bit weights and activations: about 1% of the logit range measured
}

// FILE.onnx:wbits=N,abits=N sets every layer's precision, as for .toml and .csv files.
TEST(OnnxImport, PrecisionParametersApplyToEveryLayer) {
  Network d = load_network(model("ops_cnn.onnx"));
  Network p = load_network(model("ops_cnn.onnx") + ":wbits=4,abits=6");
  ASSERT_EQ(d.layers.size(), p.layers.size());
  for (size_t i = 0; i < p.layers.size(); ++i) {
    EXPECT_EQ(d.layers[i].weight_bits, 8) << d.layers[i].name;
    EXPECT_EQ(p.layers[i].weight_bits, 4) << p.layers[i].name;
    EXPECT_EQ(p.layers[i].activation_bits, 6) << p.layers[i].name;
  }
  try {
    load_network(model("ops_cnn.onnx") + ":xbits=3");
    FAIL() << "unknown parameter accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("xbits: unknown parameter of a network file; allowed: wbits, abits"),
              std::string::npos) << e.what();
  }
  const std::string dir = ::testing::TempDir() + "/dir.onnx";
  std::filesystem::create_directories(dir);
  try {
    load_network(dir);
    FAIL() << "a directory accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory; expected a network file (ONNX)"), std::string::npos) << e.what();
  }
}

TEST(OnnxExport, TomlAndWeightExportReproduceTheModel) {
  const std::string dir = tmp("exported");
  fs::remove_all(dir);
  Result r = run("export-net --net " + model("ops_cnn.onnx") + " -o " + dir);
  ASSERT_EQ(r.code, 0) << r.out;
  ASSERT_TRUE(fs::exists(dir + "/ops_cnn.toml"));
  ASSERT_TRUE(fs::exists(dir + "/weights/manifest.json"));
  Network onnx = load_network(model("ops_cnn.onnx"));
  Network toml = load_network(dir + "/ops_cnn.toml");
  EXPECT_EQ(network_to_toml(onnx), network_to_toml(toml));
  EXPECT_EQ(toml.parameters(), onnx.parameters());
  EXPECT_FALSE(toml.params);
  // The same quantised weights: identical logits from both.
  const std::string in = model("ops_cnn.input0.npy"), a = tmp("a.npy"), b = tmp("b.npy");
  ASSERT_EQ(run("simulate --net " + model("ops_cnn.onnx") + " --functional" + kLossless + " --input " + in +
                " -q --output-npy " + a).code, 0);
  Result s = run("simulate --net " + dir + "/ops_cnn.toml --functional --weights " + dir + "/weights" + kLossless +
                 " --input " + in + " -q --output-npy " + b);
  ASSERT_EQ(s.code, 0) << s.out;
  EXPECT_EQ(npy(a), npy(b));
  // A file name: FILE.toml and FILE.weights/.
  const std::string file = tmp("net.toml");
  fs::remove_all(tmp("net.weights"));
  ASSERT_EQ(run("export-net --net " + model("ops_cnn.onnx") + " -o " + file).code, 0);
  EXPECT_TRUE(fs::exists(file));
  EXPECT_TRUE(fs::exists(tmp("net.weights") + "/manifest.json"));
}

TEST(OnnxErrors, MalformedAndUnsupportedModels) {
  struct Case {
    const char* file;
    const char* message;
  };
  const Case cases[] = {
      {"bad_op.onnx", "node 'softmax1' (Softmax): operator not supported; supported: Add, AveragePool"},
      {"bad_pads.onnx", "node 'conv1' (Conv): asymmetric padding [0, 0, 1, 1] is not supported"},
      {"bad_ceil.onnx", "node 'pool1' (AveragePool): ceil_mode = 1 is not supported; allowed: 0"},
      {"bad_attr.onnx", "node 'relu1' (Relu): attribute 'gain' is not supported; supported for Relu: none"},
      {"bad_reshape.onnx", "node 'reshape1' (Reshape): reshape of 4x6x6 to [1, 4, 36] is not supported"},
      {"bad_concat_axis.onnx", "node 'cat1' (Concat): axis 2 is not supported; allowed: the channel axis (1)"},
      {"bad_bn.onnx", "node 'bn_on_input' (BatchNormalization): batch normalization is supported only right after a Conv"},
      {"bad_opset.onnx", "opset 9 is not supported; allowed: 11 to 17"},
      {"bad_conv1d.onnx", "graph input 'x' has shape [1, 1, 8]; allowed: [batch, channels, height, width]"},
      {"bad_clip.onnx", "node 'clip1' (Clip): clip without a lower bound is not supported"},
      {"bad_gemm_transa.onnx", "node 'fc1' (Gemm): transA = 1 is not supported"},
      {"bad_dangling.onnx", "node 'relu1' (Relu): input 'nowhere' is produced by no earlier node"},
      {"bad_two_outputs.onnx", "the graph has 2 outputs; allowed: one"},
      {"bad_short_tensor.onnx", "initializer 'w': holds 100 bytes of data, its shape [4, 1, 3, 3] needs 144 (truncated?)"},
      {"bad_truncated.onnx", "not a readable ONNX model: the protobuf message is corrupt or truncated"},
      {"bad_garbage.onnx", "not a readable ONNX model"},
      {"bad_empty.onnx", "the ONNX model has no graph or an empty graph"},
  };
  for (const Case& c : cases) {
    const std::string out = tmp("never.json"), dir = tmp("never_dir");
    fs::remove(out);
    fs::remove_all(dir);
    Result r = run("estimate --net " + model(c.file) + " -q -o " + out);
    EXPECT_EQ(r.code, 2) << c.file << ": " << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << c.file << ": " << r.out;
    EXPECT_NE(r.out.find(model(c.file) + ": "), std::string::npos) << "the message names the file: " << r.out;
    EXPECT_FALSE(fs::exists(out)) << c.file;
    Result e = run("export-net --net " + model(c.file) + " -o " + dir);
    EXPECT_EQ(e.code, 2) << c.file << ": " << e.out;
    EXPECT_FALSE(fs::exists(dir)) << c.file;
  }
}

// Inputs fuzz_onnx found (committed as its seeds, tests/fuzz/seeds/onnx/): input
// errors, where a float shape converted to int64 was undefined (UBSan) before.
TEST(OnnxErrors, FuzzFindingsAreInputErrors) {
  auto error_of = [](const std::string& name) {
    try {
      load_network(std::string(TESSERA_SOURCE_DIR) + "/tests/fuzz/seeds/onnx/" + name);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_NE(error_of("regress_reshape_float_shape.onnx").find("node 'reshapg1' (Reshape): the shape holds 1.764052; allowed: integers"),
            std::string::npos) << error_of("regress_reshape_float_shape.onnx");
  EXPECT_NE(error_of("regress_pad_large.onnx").find("node 'pad1' (Pad): padding 100x100 is out of range; allowed: 0 to 64"),
            std::string::npos) << error_of("regress_pad_large.onnx");
}

TEST(OnnxErrors, ActivationLayersInTomlAreChecked) {
  auto bad = [](const std::string& extra) {
    const std::string f = tmp("act.toml");
    std::ofstream(f) << "name = \"a\"\n[input]\nchannels = 1\nheight = 4\nwidth = 4\n[[layer]]\ntype = \"conv2d\"\n"
                        "out_channels = 2\nkernel = 3\n[[layer]]\ntype = \"activation\"\n" << extra;
    return run("estimate --net " + f + " -q");
  };
  Result r = bad("function = \"softplus\"\n");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("clip, sigmoid, tanh, leaky_relu, hard_sigmoid, hard_swish"), std::string::npos) << r.out;
  r = bad("function = \"clip\"\nmin = 6\nmax = 0\n");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("clip needs min < max"), std::string::npos) << r.out;
  r = bad("function = \"sigmoid\"\nalpha = 2\n");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("alpha"), std::string::npos) << r.out;
}

// tessera simulate --functional: the report section, the logits file, timing
// untouched by the functional mode, weight exports, and bad input (exit 2,
// nothing written).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/run_tessera.hpp"
#include "../support/weight_export.hpp"
#include "workloads/datasets/idx.hpp"
#include "workloads/io/npy.hpp"
#include "workloads/io/weights_manifest.hpp"

namespace fs = std::filesystem;
using namespace tessera;
using json = nlohmann::json;

namespace {
using tessera::testing::Result;
Result run(const std::string& args) { return tessera::testing::run_tessera(args); }
std::string tmp(const std::string& name) { return tessera::testing::temp_path(name); }
json read_json(const std::string& path) { return json::parse(tessera::testing::slurp(path)); }

const std::string kLossless = " --set tile_class.isaac.adc.bits=9";
}  // namespace

TEST(FunctionalCli, ReportAndLogitsFile) {
  std::string rep = tmp("f.json"), npy = tmp("logits.npy");
  Result r = run("simulate --net fmnist-cnn --functional" + kLossless + " -o " + rep + " --output-npy " + npy);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("logits identical to the integer reference"), std::string::npos) << r.out;
  json f = read_json(rep)["functional"];
  EXPECT_EQ(f["weights"], "random (seed 1)");
  EXPECT_EQ(f["input"], "random uint8 image (seed 1)");
  EXPECT_EQ(f["comparison"]["exact"], true);
  EXPECT_EQ(f["comparison"]["max_abs_error"], 0.0);
  ASSERT_EQ(f["logits"].size(), 10u);
  EXPECT_EQ(f["logits"], f["reference"]["logits"]);
  EXPECT_EQ(f["layers"].size(), 4u);
  EXPECT_EQ(f["layers"][1]["adc_step_log2"], 0);
  EXPECT_EQ(f["layers"][0]["input_scale"].get<double>(), 1.0 / 255);
  io::NpyArray a = io::read_npy(npy);
  EXPECT_EQ(a.type, io::NpyType::Float64);
  EXPECT_EQ(a.shape, (std::vector<int64_t>{10}));
  std::vector<double> v = a.to_doubles();
  for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(v[i], f["logits"][i].get<double>());
  int best = 0;
  for (size_t i = 1; i < v.size(); ++i)
    if (v[i] > v[size_t(best)]) best = int(i);
  EXPECT_EQ(f["argmax"], best);
}

// --dataset reuses the datapath for the other test images after the
// simulation: the logits file holds the simulated image 0's, as the JSON.
TEST(FunctionalCli, LogitsFileWithDatasetIsTheSimulatedImage) {
  const std::string dir = tmp("idx5"), rep = tmp("d.json"), npy = tmp("d.npy");
  fs::create_directories(dir);
  data::IdxArray im{{5, 28, 28}, {}}, lb{{5}, {}};
  for (int i = 0; i < 5; ++i) {
    lb.data.push_back(uint8_t(i));
    for (int p = 0; p < 28 * 28; ++p) im.data.push_back(uint8_t((p * (7 + 13 * i)) % 256));
  }
  data::write_idx(dir + "/t10k-images-idx3-ubyte", im, false);
  data::write_idx(dir + "/t10k-labels-idx1-ubyte", lb, false);
  Result r = run("simulate --net mlp --functional --dataset idx --data-dir " + dir + " --images 5" + kLossless +
                 " -o " + rep + " --output-npy " + npy);
  ASSERT_EQ(r.code, 0) << r.out;
  json f = read_json(rep)["functional"];
  EXPECT_EQ(f["dataset"]["images"], 5);
  EXPECT_EQ(f["comparison"]["exact"], true);  // image 0 against its own reference
  std::vector<double> v = io::read_npy(npy).to_doubles();
  ASSERT_EQ(v.size(), f["logits"].size());
  for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(v[i], f["logits"][i].get<double>()) << i;
  EXPECT_NE(r.out.find("logits identical to the integer reference"), std::string::npos) << r.out;
}

TEST(FunctionalCli, FiniteAdcErrorIsReported) {
  std::string rep = tmp("e.json");
  Result r = run("simulate --net fmnist-cnn --functional -o " + rep);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("logit error max"), std::string::npos) << r.out;
  json c = read_json(rep)["functional"]["comparison"];
  EXPECT_EQ(c["exact"], false);
  EXPECT_GT(c["max_abs_error"].get<double>(), 0);
  EXPECT_GT(c["rms_error"].get<double>(), 0);
  EXPECT_TRUE(c["top1_agrees"].is_boolean());
}

TEST(FunctionalCli, TimingIsUnchangedByTheFunctionalMode) {
  for (std::string net : {"fmnist-cnn", "resnet20 --set mapping.replicate=balance"}) {
    std::string plain = tmp("plain.json"), fun = tmp("fun.json");
    ASSERT_EQ(run("simulate -q --net " + net + " -o " + plain).code, 0);
    ASSERT_EQ(run("simulate -q --functional --seed 3 --net " + net + " -o " + fun).code, 0);
    json a = read_json(plain), b = read_json(fun);
    EXPECT_FALSE(a.contains("functional"));
    EXPECT_TRUE(b.contains("functional"));
    for (const char* key : {"totals", "metrics", "events", "layers"}) EXPECT_EQ(a[key], b[key]) << net << ": " << key;
    // Statistics: everything but the simulator's own wall time.
    EXPECT_EQ(a["stats"]["chip"], b["stats"]["chip"]) << net;
    EXPECT_EQ(a["run"]["sim_events"], b["run"]["sim_events"]) << net;
  }
}

// With the weights known, a priced resistive cell read costs the programmed
// mean conductance: only the crossbar energy moves, by the sign of G - G_mean.
TEST(FunctionalCli, KnownWeightsPriceTheCellReads) {
  std::string plain = tmp("np.json"), fun = tmp("nf.json");
  const std::string net = " --net mlp --arch neurosim-rram22";
  ASSERT_EQ(run("simulate -q" + net + " -o " + plain).code, 0);
  ASSERT_EQ(run("simulate -q --functional" + net + " -o " + fun).code, 0);
  json a = read_json(plain), b = read_json(fun);
  EXPECT_EQ(a["totals"]["cycles"], b["totals"]["cycles"]);
  const double g_mean = 0.5 * (10.0 + 10.0 / 17);
  ASSERT_EQ(a["layers"].size(), b["layers"].size());
  for (size_t i = 0; i < a["layers"].size(); ++i) {
    const json &la = a["layers"][i], &lb = b["layers"][i];
    EXPECT_FALSE(la.contains("cell_conductance_us"));
    ASSERT_TRUE(lb.contains("cell_conductance_us")) << i;
    const double g = lb["cell_conductance_us"].get<double>();
    EXPECT_GT(g, 10.0 / 17);
    EXPECT_LT(g, 10.0);
    for (auto& [k, v] : la["energy_by_component_pj"].items()) {
      const double e0 = v.get<double>(), e1 = lb["energy_by_component_pj"][k].get<double>();
      if (k != "crossbar") EXPECT_EQ(e0, e1) << k;
      else if (g > g_mean) EXPECT_GT(e1, e0);
      else EXPECT_LT(e1, e0);
    }
  }
}

TEST(FunctionalCli, SeedsAndNoisyDevices) {
  std::string a = tmp("n1.json"), b = tmp("n2.json"), c = tmp("n3.json");
  const std::string cmd = "simulate -q --net mlp --functional --set device.rram.sigma=0.1" + kLossless;
  ASSERT_EQ(run(cmd + " --seed 5 -o " + a).code, 0);
  ASSERT_EQ(run(cmd + " --seed 5 -o " + b).code, 0);
  ASSERT_EQ(run(cmd + " --seed 6 -o " + c).code, 0);
  json fa = read_json(a)["functional"], fb = read_json(b)["functional"], fc = read_json(c)["functional"];
  EXPECT_EQ(fa["logits"], fb["logits"]);
  EXPECT_NE(fa["logits"], fc["logits"]);
  EXPECT_EQ(fa["comparison"]["exact"], false);
  EXPECT_EQ(fa["seed"], 5);
}


TEST(FunctionalCli, WeightExportAndInputImage) {
  // mlp with 4-bit uniform codes, a bias, a given input scale for fc2, and a float image.
  const std::string dir = tessera::testing::write_mlp_export(tmp("export"));
  std::vector<float> img(784);
  for (size_t i = 0; i < img.size(); ++i) img[i] = float(i % 28) / 28.0f;
  std::string input = tmp("img.npy");
  io::write_npy(input, io::NpyArray::of_floats(img, {1, 28, 28}));

  std::string rep = tmp("w.json");
  Result r = run("simulate -q --net mlp:hidden=8,wbits=4 --functional --weights " + dir + " --input " + input + kLossless +
                 " -o " + rep);
  ASSERT_EQ(r.code, 0) << r.out;
  json f = read_json(rep)["functional"];
  EXPECT_EQ(f["weights"], dir);
  EXPECT_EQ(f["input"], input);
  EXPECT_EQ(f["layers"][1]["input_scale"], 0.05);
  EXPECT_DOUBLE_EQ(f["layers"][0]["input_scale"].get<double>(), double(27.0f / 28.0f) / 255.0);  // calibrated: max / 255
  EXPECT_EQ(f["comparison"]["exact"], true);
}

// The analytical estimate with a weight export prices the cell reads at the
// same programmed conductance as the functional simulation with it.
TEST(FunctionalCli, EstimateWithWeightsPricesTheProgrammedCells) {
  const std::string dir = tessera::testing::write_mlp_export(tmp("export_e"));
  const std::string net = " --net mlp:hidden=8,wbits=4 --arch neurosim-rram22 --weights " + dir;
  const std::string e = tmp("ew.json"), e0 = tmp("e0.json"), s = tmp("sw.json");
  ASSERT_EQ(run("estimate -q" + net + " -o " + e).code, 0);
  ASSERT_EQ(run("estimate -q --net mlp:hidden=8,wbits=4 --arch neurosim-rram22 -o " + e0).code, 0);
  Result r = run("simulate -q --functional" + net + " -o " + s);
  ASSERT_EQ(r.code, 0) << r.out;
  json je = read_json(e), j0 = read_json(e0), js = read_json(s);
  const double g_mean = 0.5 * (10.0 + 10.0 / 17);
  ASSERT_EQ(je["layers"].size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const double g = je["layers"][i]["cell_conductance_us"].get<double>();
    EXPECT_EQ(g, js["layers"][i]["cell_conductance_us"].get<double>()) << i;
    EXPECT_FALSE(j0["layers"][i].contains("cell_conductance_us"));
    const double with = je["layers"][i]["energy_by_component_pj"]["crossbar"].get<double>();
    const double without = j0["layers"][i]["energy_by_component_pj"]["crossbar"].get<double>();
    if (g < g_mean) EXPECT_LT(with, without) << i;
    else EXPECT_GT(with, without) << i;
    EXPECT_EQ(je["layers"][i]["energy_by_component_pj"]["adc"], j0["layers"][i]["energy_by_component_pj"]["adc"]);
  }
  EXPECT_EQ(je["totals"]["cycles"], j0["totals"]["cycles"]);
  // Another draw or read time changes nothing for ideal devices; options without weights, or bad weights, are input errors.
  ASSERT_EQ(run("estimate -q" + net + " --seed 7 --t-inference 100 -o " + e0).code, 0);
  EXPECT_EQ(read_json(e0)["layers"], je["layers"]);
  for (const std::string bad : {std::string(" --net mlp --arch neurosim-rram22 --seed 3"),
                                " --net mlp --arch neurosim-rram22 --weights " + tmp("no_such_export"),
                                net + " --t-inference 0"}) {
    fs::remove(e0);
    Result b = run("estimate -q" + bad + " -o " + e0);
    EXPECT_EQ(b.code, 2) << bad << "\n" << b.out;
    EXPECT_FALSE(fs::exists(e0)) << bad;
  }
}

TEST(FunctionalCli, BadInputExitsTwoAndWritesNothing) {
  std::string rep = tmp("never.json"), npy = tmp("never.npy");
  auto expect_input_error = [&](const std::string& args, const std::string& message) {
    fs::remove(rep);
    fs::remove(npy);
    Result r = run("simulate -q " + args + " -o " + rep);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.out;
    EXPECT_NE(r.out.find(message), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(rep)) << args;
    EXPECT_FALSE(fs::exists(npy)) << args;
  };
  const std::string base = "--net mlp --functional --output-npy " + npy;
  expect_input_error(base + " --weights " + tmp("nowhere"), "cannot open the weight manifest");
  std::string bad = tmp("bad_manifest");
  fs::create_directories(bad);
  std::ofstream(bad + "/manifest.json") << "{ \"format\": \"tessera-weights\", \"version\": 1, ";
  expect_input_error(base + " --weights " + bad, "JSON syntax error");
  std::ofstream(bad + "/manifest.json") << R"({"format": "tessera-weights", "version": 1, "network": "mlp",
    "layers": {"fc1": {"weight": "w.npy", "shape": [64, 784], "weight_bits": 8, "quantization": "uniform",
                       "scale": 0.1, "input_scale": -1}}})";
  expect_input_error(base + " --weights " + bad, "layers.fc1.input_scale: must be positive and finite");
  std::string shape = tmp("shape.npy");
  io::write_npy(shape, io::NpyArray::of_floats(std::vector<float>(28 * 28), {28, 28}));
  expect_input_error(base + " --input " + shape, "--input: array shape (28, 28) does not match the network's input");
  std::string notnpy = tmp("text.npy");
  std::ofstream(notnpy) << "not an npy file";
  expect_input_error(base + " --input " + notnpy, "text.npy");
  expect_input_error(base + " --t-inference 0", "--t-inference: 0 is not allowed");
  expect_input_error("--net mlp --weights " + tmp("x"), "--weights: only applies with --functional");
  expect_input_error("--net mlp:wbits=1 --functional", "functional mode needs signed weights of at least 2 bits");
}

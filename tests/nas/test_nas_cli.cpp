// tessera train, tessera evaluate and tessera simulate --dataset on a tiny
// network and a synthetic IDX data set: progress, checkpoints and export,
// the evaluation report (clean, ideal chip, Monte-Carlo, AVM), the chip's
// accuracy equal to the evaluation's with ideal devices, and bad input
// (exit 2, nothing written).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/run_tessera.hpp"
#include "arch/device/rng.hpp"
#include "workloads/datasets/idx.hpp"

namespace fs = std::filesystem;
using namespace tessera;
using json = nlohmann::json;

namespace {

using tessera::testing::Result;
Result run(const std::string& args) { return tessera::testing::run_tessera(args); }
std::string tmp(const std::string& name) { return tessera::testing::temp_path(name); }
json read_json(const std::string& path) { return json::parse(tessera::testing::slurp(path)); }

// 28x28 images: class 0 bright on the left half, class 1 on the right.
void write_split(const std::string& dir, const std::string& prefix, int count, uint64_t seed) {
  device::Rng rng(seed);
  data::IdxArray im{{count, 28, 28}, {}}, lb{{count}, {}};
  for (int i = 0; i < count; ++i) {
    lb.data.push_back(uint8_t(i % 2));
    for (int r = 0; r < 28; ++r)
      for (int c = 0; c < 28; ++c) im.data.push_back(uint8_t(((c < 14) == (i % 2 == 0) ? 150 : 40) + int(rng.bits() % 60)));
  }
  data::write_idx(dir + "/" + prefix + "-images-idx3-ubyte", im, false);
  data::write_idx(dir + "/" + prefix + "-labels-idx1-ubyte", lb, false);
}

const std::string kNet = " --net mlp:hidden=8";
const std::string kChip = " --arch isaac --set tile_class.isaac.adc.bits=9";

// Data set and a trained run, once per test process.
const std::string& data_dir() {
  static std::string d = [] {
    std::string dir = tmp("data");
    fs::create_directories(dir);
    write_split(dir, "train", 300, 1);
    write_split(dir, "t10k", 100, 2);
    return dir;
  }();
  return d;
}

const std::string& trained() {
  static std::string out = [] {
    std::string o = tmp("run");
    Result r = run("train" + kNet + " --dataset idx --data-dir " + data_dir() +
                   " --arch isaac --hwa 0.05 --epochs 2 --threads 1 --seed 4 -o " + o);
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("epoch   2/2"), std::string::npos) << r.out;
    return o;
  }();
  return out;
}

}  // namespace

TEST(TrainCli, CheckpointsTrainReportAndExport) {
  const std::string& o = trained();
  for (const char* f : {"model.pt", "optimizer.pt", "state.json", "train.json", "export/manifest.json", "export/fc1.weight.npy"})
    EXPECT_TRUE(fs::exists(o + "/" + f)) << f;
  json t = read_json(o + "/train.json");
  EXPECT_EQ(t["epochs"].size(), 2u);
  EXPECT_EQ(t["hwa"]["weight_noise"], 0.05);
  EXPECT_EQ(t["hwa"]["periphery"], false);
  EXPECT_GE(t["test_accuracy"].get<double>(), 0.95);
  json m = read_json(o + "/export/manifest.json");
  EXPECT_TRUE(m["layers"]["fc1"].contains("input_scale"));
  EXPECT_EQ(m["layers"]["fc2"]["scale"].size(), 10u);
}

TEST(TrainCli, ZeroEpochsStillWritesItsReportAndExport) {
  // No checkpoint is saved without an epoch: the output directory must exist anyway.
  const std::string o = tmp("zero") + "/nested";
  Result r = run("train" + kNet + " --dataset idx --data-dir " + data_dir() + " --epochs 0 --threads 1 -o " + o);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(fs::exists(o + "/train.json"));
  EXPECT_TRUE(fs::exists(o + "/export/manifest.json"));
}

TEST(EvaluateCli, ReportWithMonteCarloAndAvm) {
  const std::string rep = tmp("eval.json");
  Result r = run("evaluate" + kNet + kChip + " --set device.rram.sigma=0.1 --weights " + trained() +
                 "/export --dataset idx --data-dir " + data_dir() + " --device-runs 3 --times 1,100 --threads 1 -o " + rep);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("AVM"), std::string::npos) << r.out;
  json j = read_json(rep);
  EXPECT_EQ(j["schema"], "tessera.evaluate/1");
  EXPECT_EQ(j["images"], 100);
  EXPECT_GE(j["ideal_chip_accuracy"].get<double>(), 0.95);
  ASSERT_EQ(j["times"].size(), 2u);
  EXPECT_EQ(j["times"][0]["accuracy"].size(), 3u);
  EXPECT_DOUBLE_EQ(j["avm"].get<double>(), j["times"][1]["mean"].get<double>() - j["times"][0]["mean"].get<double>());
  EXPECT_TRUE(j["clean_accuracy"].is_null());

  // From the checkpoint: the export is made in memory, and the float network's accuracy is reported too.
  const std::string rep2 = tmp("eval2.json");
  r = run("evaluate" + kNet + kChip + " --checkpoint " + trained() + " --dataset idx --data-dir " + data_dir() +
          " --device-runs 1 --times 1 --threads 1 -o " + rep2);
  ASSERT_EQ(r.code, 0) << r.out;
  json k = read_json(rep2);
  EXPECT_GE(k["clean_accuracy"].get<double>(), 0.95);
  EXPECT_EQ(k["ideal_chip_accuracy"], j["ideal_chip_accuracy"]);  // the same export
}

TEST(SimulateCli, DatasetAccuracyEqualsTheEvaluationWithIdealDevices) {
  const std::string rep = tmp("sim.json"), ev = tmp("ideal.json");
  Result r = run("simulate" + kNet + kChip + " --functional --weights " + trained() + "/export --dataset idx --data-dir " +
                 data_dir() + " -o " + rep);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("ms per image"), std::string::npos) << r.out;
  json d = read_json(rep)["functional"]["dataset"];
  EXPECT_EQ(d["images"], 100);
  EXPECT_EQ(d["first_image_matches_simulation"], true);
  r = run("evaluate" + kNet + kChip + " --weights " + trained() + "/export --dataset idx --data-dir " + data_dir() +
          " --device-runs 1 --times 1 --threads 1 -o " + ev);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(d["accuracy"].get<double>(), read_json(ev)["ideal_chip_accuracy"].get<double>());
}

// Training options go through the training config's own checks, named by
// the option (they were silently replaced by defaults).
TEST(NasCli, TrainOptionsAreCheckedByTheConfig) {
  const std::string data = " --dataset idx --data-dir " + data_dir();
  const std::vector<std::pair<std::string, std::string>> bad = {
      {" --epochs -3 --seed -5", "--epochs -3: train.epochs: value -3 is out of range"},
      {" --seed -5", "--seed -5: train.seed: value -5 is out of range"},
      {" --lr 11", "--lr 11: train.lr: value 11 is out of range; allowed: [0, 10]"},
      {" --batch-size 0", "--batch-size 0: train.batch_size"},
      {" --threads -1", "--threads -1: train.threads"},
      {" --hwa lots", "train.analog.weight_noise: expected a number, found a string"},
      {" --hwa 11", "--hwa 11: train.analog.weight_noise: value 11 is out of range; allowed: [0, 10]"},
      {" --hwa 0.1 --hwa-scope row", "train.analog.noise_scope"},
      {" --ternary some", "--ternary some: train.ternary.layers"},
  };
  for (const auto& [args, message] : bad) {
    const std::string o = tmp("never-trained");
    Result r = run("train" + kNet + data + args + " -o " + o);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.out;
    EXPECT_NE(r.out.find(message), std::string::npos) << args << "\n" << r.out;
    EXPECT_FALSE(fs::exists(o + "/train.json")) << args;
  }
}

// Not on a terminal (a pipe here), long commands write progress lines with an ETA.
TEST(NasCli, ProgressWithEtaWithoutATerminal) {
  Result t = run("train" + kNet + " --dataset idx --data-dir " + data_dir() + " --epochs 1 --threads 1 --no-export -o " +
                 tmp("progress"));
  ASSERT_EQ(t.code, 0) << t.out;
  EXPECT_NE(t.out.find("training 100%"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("ETA"), std::string::npos) << t.out;
  EXPECT_EQ(t.out.find("\033["), std::string::npos) << t.out;  // no terminal control sequences
  Result e = run("evaluate" + kNet + kChip + " --weights " + trained() + "/export --dataset idx --data-dir " + data_dir() +
                 " --device-runs 1 --times 1 --threads 1");
  ASSERT_EQ(e.code, 0) << e.out;
  EXPECT_NE(e.out.find("evaluating 100%"), std::string::npos) << e.out;
}

// Device noise in training needs the arrays: --arch on the command line gives them.
TEST(NasCli, TrainWithDeviceNoiseOnTheGivenArch) {
  const std::string o = tmp("device-noise");
  Result t = run("train" + kNet + " --arch pcm-8b --dataset idx --data-dir " + data_dir() +
                 " --hwa device --epochs 1 --threads 1 --no-export -o " + o);
  ASSERT_EQ(t.code, 0) << t.out;
  const json j = read_json(o + "/train.json");
  EXPECT_EQ(j.at("hwa").at("noise_model"), "device");
  EXPECT_NE(j.at("hwa").at("arch").get<std::string>().find("pcm-8b.toml"), std::string::npos) << j.dump();
}

TEST(NasCli, BadInputExitsTwoAndWritesNothing) {
  const std::string out = tmp("never.json"), exp = trained() + "/export";
  const std::string data = " --dataset idx --data-dir " + data_dir();
  // A manifest without input scales.
  const std::string noscale = tmp("noscale");
  fs::create_directories(noscale);
  for (const auto& e : fs::directory_iterator(exp)) fs::copy_file(e.path(), noscale + "/" + e.path().filename().string());
  json m = read_json(noscale + "/manifest.json");
  m["layers"]["fc2"].erase("input_scale");
  std::ofstream(noscale + "/manifest.json") << m.dump();
  // A checkpoint with a broken state.
  const std::string broken = tmp("broken");
  fs::create_directories(broken);
  std::ofstream(broken + "/state.json") << "{ not json";
  const std::vector<std::string> bad = {
      "evaluate" + kNet + kChip + " --weights " + exp + " --checkpoint " + trained() + data,
      "evaluate" + kNet + kChip + " --weights " + exp + data + " --times 1,soon",
      "evaluate" + kNet + kChip + " --weights " + exp + data + " --device-runs 0",
      "evaluate" + kNet + kChip + " --weights " + tmp("missing") + data,
      "evaluate" + kNet + kChip + " --weights " + noscale + data,
      "evaluate" + kNet + kChip + " --checkpoint " + broken + data,
      "evaluate" + kNet + kChip + " --weights " + exp + " --dataset mnist-ish",
      "evaluate" + kNet + kChip + " --weights " + exp + data + " -o " + tmp("no-such-dir") + "/r.json",
      "evaluate --net fmnist-cnn" + kChip + " --weights " + exp + data,  // export of another network
      "train" + kNet + data + " --hwa 0.05 --hwa-scope row -o " + tmp("t1"),
      "train" + kNet + data + " --hwa-periphery -o " + tmp("t2"),
      "train" + kNet + data + " --hwa lots -o " + tmp("t4"),
      "train" + kNet + data + " --hwa device --hwa-periphery -o " + tmp("t5"),
      "train" + kNet + data,  // no output directory
      "train" + kNet + data + " -o /proc/tessera-cannot-create",  // an output directory that cannot be made
      "train" + kNet + data + " --ternary ap --arch nosuchchip -o " + tmp("t3"),
      "simulate" + kNet + kChip + " --dataset idx --data-dir " + data_dir(),  // --dataset without --functional
  };
  for (const auto& args : bad) {
    // Evaluations and simulations would write a report to `out`; train lines name their own directory (or none).
    Result r = run(args.rfind("train", 0) == 0 ? args : args + " -o " + out);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.out;
    EXPECT_FALSE(fs::exists(out)) << args;
  }
  EXPECT_FALSE(fs::exists(tmp("t1") + "/model.pt"));
}

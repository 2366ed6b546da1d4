// tessera evaluate on an ONNX model's own weights (the libtorch build): input
// scales calibrated on training images, the ideal chip's accuracy close to
// PyTorch's on the same test images; a network without weights of its own
// still needs --weights or --checkpoint.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "../support/run_tessera.hpp"
#include "workloads/datasets/dataset.hpp"
#include "workloads/io/npy.hpp"

using namespace tessera;
using json = nlohmann::json;

namespace {
std::string model(const std::string& name) { return std::string(TESSERA_ONNX_MODELS) + "/" + name; }
}  // namespace

TEST(OnnxEvaluate, OwnWeightsOnTheIdealChipMatchPyTorchsAccuracy) {
  const int images = 300;
  const std::string rep = tessera::testing::temp_path("eval.json");
  // Lossless ADCs: the ideal chip is the quantised network itself.
  auto r = tessera::testing::run_tessera("evaluate --net " + model("fmnist_cnn.onnx") +
                                         " --set tile_class.isaac.adc.bits=9 --dataset fashion-mnist --images " + std::to_string(images) +
                                         " --device-runs 1 --times 1 --calibration-images 200 -o " + rep);
  ASSERT_EQ(r.code, 0) << r.out;
  const json j = json::parse(tessera::testing::slurp(rep));
  EXPECT_NE(j["weights"].get<std::string>().find("the network's own weights"), std::string::npos);
  // PyTorch's accuracy on the same images, from the logits the generator saved.
  const data::ImageSet test = data::load_dataset("fashion-mnist", data::Split::Test, "");
  const std::vector<double> logits = io::read_npy(model("fmnist_cnn.logits.npy")).to_doubles();
  int correct = 0;
  for (int i = 0; i < images; ++i) {
    auto row = logits.begin() + i * 10;
    correct += int(std::max_element(row, row + 10) - row) == int(test.labels[size_t(i)]);
  }
  const double torch_accuracy = double(correct) / images;
  EXPECT_GT(torch_accuracy, 0.4);  // a trained model (about 63 % after the generator's short training), not chance (10 %)
  EXPECT_NEAR(j["ideal_chip_accuracy"].get<double>(), torch_accuracy, 0.02);
}

TEST(OnnxEvaluate, NetworkWithoutWeightsNeedsAnExport) {
  auto r = tessera::testing::run_tessera("evaluate --net fmnist-cnn --dataset fashion-mnist --images 10");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("carries no weights of its own"), std::string::npos) << r.out;
}

// Pieces shared by training and evaluation: the data set as tensors, its
// input normalisation, accuracy on a data set, and checkpoints
// (model.pt, optimizer.pt, state.json).
//
// Includes <torch/torch.h>: for nas/ translation units only.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "nas/ir_model.hpp"
#include "workloads/datasets/image_set.hpp"

namespace tessera::nas {

// Per-channel mean and standard deviation of the training pixels (in [0, 1]):
// the input normalisation, measured rather than assumed.
struct Normalization {
  std::vector<double> mean, std;

  static Normalization of(const data::ImageSet& s) {
    Normalization n;
    const int64_t plane = int64_t(s.height) * s.width;
    for (int c = 0; c < s.channels; ++c) {
      double sum = 0, sq = 0;
      for (int64_t i = 0; i < s.count; ++i) {
        const uint8_t* p = s.image(i) + c * plane;
        for (int64_t k = 0; k < plane; ++k) sum += p[k], sq += double(p[k]) * p[k];
      }
      const double cnt = double(s.count * plane), m = sum / cnt / 255.0;
      n.mean.push_back(m);
      n.std.push_back(std::sqrt(std::max(sq / cnt / (255.0 * 255.0) - m * m, 1e-12)));
    }
    return n;
  }
  torch::Tensor apply(const torch::Tensor& x01) const {
    auto m = torch::tensor(std::vector<float>(mean.begin(), mean.end())).reshape({1, -1, 1, 1});
    auto s = torch::tensor(std::vector<float>(std.begin(), std.end())).reshape({1, -1, 1, 1});
    return (x01 - m) / s;
  }
};

// The data set as uint8 tensors; batches become float in [0, 1], are
// augmented, then normalised.
struct TensorSet {
  torch::Tensor images;  // N x C x H x W, uint8
  torch::Tensor labels;  // N, int64

  explicit TensorSet(const data::ImageSet& s) {
    images = torch::from_blob(const_cast<uint8_t*>(s.images.data()), {s.count, s.channels, s.height, s.width},
                              torch::kUInt8)
                 .clone();
    labels = torch::from_blob(const_cast<uint8_t*>(s.labels.data()), {s.count}, torch::kUInt8).to(torch::kInt64);
  }
  int64_t size() const { return images.size(0); }
};

struct EvalResult {
  double loss = 0, accuracy = 0;
};

// Loss and accuracy in evaluation mode, batch by batch in data set order.
EvalResult evaluate(IrModel& model, const TensorSet& set, const Normalization& norm, int batch);

// Writes the checkpoint atomically (temporary names, then renames).
void save_checkpoint(const std::string& dir, IrModel& model, torch::optim::Optimizer& opt, int epochs_done,
                     const Normalization& norm, const Network& net);

struct CheckpointState {
  int epochs_done = 0;
  Normalization norm;
  // Layers trained ternary (names; optional in state.json) and their TWN rule.
  std::vector<std::string> ternary_layers;
  quant::TernaryParams ternary;
};
CheckpointState read_state(const std::string& dir, const Network& net);
// The checkpoint's network: weights from model.pt, ternary layers as trained.
IrModel load_model(const Network& net, const std::string& dir, const CheckpointState& st);

// Throws InputError unless the images fit the network's input and its outputs cover the classes.
void check_geometry(const Network& net, const data::ImageSet& s);

}  // namespace tessera::nas

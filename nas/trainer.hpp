// Training and evaluation of an IR network on an image data set (libtorch,
// CPU). This header is torch-free so that command-line code can include it.
//
// Determinism: the same network, data, options and seed give the same
// weights and figures bit for bit on the same machine and thread count.
// Weights are initialised after torch::manual_seed(seed); shuffling and
// augmentation draw from tessera's own generator, one stream per epoch, so a
// run resumed from a checkpoint continues exactly as an uninterrupted one.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nas/analog_params.hpp"
#include "workloads/datasets/image_set.hpp"
#include "workloads/ir/network.hpp"

namespace tessera::io {
class Section;
}

namespace tessera::nas {

// Ternary (TWN) weights with a straight-through gradient during training
// ([train.ternary]): for the layers the mapper puts on associative-processor
// units ("ap", needs an arch), every weight layer ("all"), or none.
struct TernaryTraining {
  std::string layers = "none";       // none, ap, all
  double threshold_factor = 0.7;     // TWN (Li and Liu 2016): D = 0.7 mean|w|
  bool per_channel = false;          // one threshold and alpha per output channel
  std::string arch;                  // "ap": arch config whose mapping decides; empty: [train.analog] arch

  void load(const io::Section& s);
  // One flag per IR layer.
  std::vector<bool> flags(const Network& net, const std::string& analog_arch) const;
};

struct TrainOptions {
  std::string optimizer = "sgd";   // sgd (with momentum) or adam
  double lr = 0.05;                // initial learning rate
  double momentum = 0.9;           // sgd only
  bool nesterov = false;           // sgd only
  double weight_decay = 5e-4;      // L2 penalty added to the gradient
  std::string schedule = "cosine"; // cosine (to 0 over all epochs) or constant
  int epochs = 10;
  int batch_size = 128;
  int eval_batch_size = 1000;
  bool augment = false;            // random crop with padding, horizontal flip
  int crop_padding = 2;            // pixels of zero padding before the random crop
  bool flip = true;                // horizontal flip with probability 1/2 (when augmenting)
  uint64_t seed = 1;
  int threads = 0;                 // torch intra-op threads; 0: leave torch's default
  std::string checkpoint_dir;      // empty: no checkpoints; else saved after every epoch
  bool resume = false;             // continue from checkpoint_dir when it holds one
  std::string init_from;           // start from the weights of this checkpoint (fine-tuning); empty: random
  // Batch norm in evaluation mode during training (running statistics, not
  // the batch's): for hardware-aware fine-tuning, so that a batch's weight
  // noise is not normalised away by its own statistics as it cannot be on
  // the chip, where batch norm is folded into the weights.
  bool freeze_batchnorm = false;
  AnalogParams analog;             // [train.analog]: hardware-aware training (off by default)
  TernaryTraining ternary;         // [train.ternary]: TWN weights with straight-through gradients

  void load(const io::Section& s);
};

struct EpochReport {
  int epoch = 0, epochs = 0;
  double lr = 0;
  double train_loss = 0, train_accuracy = 0;  // over the epoch, in training mode
  double test_loss = 0, test_accuracy = 0;    // after the epoch, in evaluation mode
  double seconds = 0;                         // training and evaluation of this epoch
};

struct TrainResult {
  std::vector<EpochReport> epochs;  // epochs run by this call (after a resume: the remaining ones)
  double test_accuracy = 0;         // after the last epoch
  double seconds = 0;               // wall time of this call
  int64_t parameters = 0;           // trainable parameters
};

// torch's intra-op threads (0: leave the default).
void set_threads(int n);

// The progress line printed after every epoch.
std::string progress_line(const EpochReport& r);

using ProgressFn = std::function<void(const EpochReport&)>;

// Where an epoch stands after a mini-batch: running loss and accuracy over
// the epoch's batches so far (for a progress bar; reporting only).
struct BatchProgress {
  int epoch = 0, epochs = 0;
  int64_t batch = 0, batches = 0;
  double loss = 0, accuracy = 0;
};
using BatchProgressFn = std::function<void(const BatchProgress&)>;

TrainResult train(const Network& net, const data::ImageSet& train_set, const data::ImageSet& test_set,
                  const TrainOptions& opt, const ProgressFn& progress = {}, const BatchProgressFn& batch_progress = {});

// Accuracy of the network saved in a checkpoint directory on a data set.
// With `analog` enabled, the evaluation runs the analog arrays (no training noise).
double evaluate_checkpoint(const Network& net, const std::string& checkpoint_dir, const data::ImageSet& test_set,
                           int batch_size = 1000, const AnalogParams& analog = {});

}  // namespace tessera::nas

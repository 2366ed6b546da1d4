// Evaluation of one candidate at increasing fidelity, each stage a `tessera`
// command run as a child process (so no searching process loads torch):
//   1. estimate: analytical latency, energy, area, EDAP (milliseconds); a
//      candidate that already breaks a constraint stops here (filtered);
//   2. train: hardware-aware training on a budget (epochs, the first N
//      images) with the candidate's own arrays, ADCs and device noise;
//   3. evaluate: its weight export on the chip, Monte-Carlo over device draws
//      at drift times (accuracy at the last time, AVM);
// with successive halving (halving.hpp) step 2 runs once per rung for the
// candidates promoted to it; after the search, 4. simulate runs the
// cycle-level simulation of the Pareto set.
// This file builds the command lines and reads the metrics from the reports
// they write; running them is the caller's (the run loop's worker pool).
#pragma once

#include <string>
#include <vector>

#include "nas/search/evaluation.hpp"
#include "workloads/io/toml_reader.hpp"

namespace tessera::search {

struct EvaluationPlan {
  std::string dataset = "fashion-mnist";
  std::string data_dir;  // empty: the data set's usual place
  int epochs = 1;        // 0: no training (cost-only search)
  int min_epochs = 0;    // successive halving: the first rung's epochs (0: no halving)
  int eta = 3;           // successive halving: 1/eta of a rung goes on to the next
  bool simulate_front = true;  // cycle-level simulation of the final Pareto set
  int proxy_epochs = 0;         // the cheap accuracy proxy: epochs of a short training (0: none)
  int64_t proxy_images = 1000;  // ... on the first N training images, without the array model
  int64_t train_images = 0, test_images = 0;  // 0: all
  std::string hwa = "0.1";  // --hwa: a Gaussian noise level or "device"
  bool hwa_periphery = true;
  std::string ternary = "none";
  double lr = 0.05;
  int batch_size = 128;
  int threads = 1;  // torch threads of each child
  uint64_t seed = 1;
  int device_runs = 2;  // 0: no evaluation on the chip
  std::vector<double> times_s{1, 86400};
  int64_t eval_images = 0;

  static EvaluationPlan load(const io::Section& s);
  // Epochs of each training rung (halving.hpp); empty for a cost-only search.
  std::vector<int> rungs() const;
};

struct StageCommand {
  std::string name;               // estimate, train, evaluate, simulate
  std::vector<std::string> args;  // after the binary's path
  std::string report;             // the JSON file the command writes
  std::string output;             // what a rerun clears first: the report, or the training directory
};

// The commands of a candidate whose files go under `dir`. A rung's training
// goes to dir/train-<E>ep, the full budget's to dir/train (whose weight
// export the chip evaluation and `search export` use).
StageCommand estimate_command(const EvaluationPlan& plan, const std::string& arch, const Candidate& c,
                              const std::string& dir);
StageCommand train_command(const EvaluationPlan& plan, const std::string& arch, const Candidate& c,
                           const std::string& dir, int epochs);
// The accuracy proxy: a short training on a few images with Gaussian weight
// noise alone (no array model), in dir/proxy; `proxy_accuracy` ranks before
// the real training and a constraint on it filters.
StageCommand proxy_command(const EvaluationPlan& plan, const std::string& arch, const Candidate& c,
                           const std::string& dir);
StageCommand evaluate_command(const EvaluationPlan& plan, const std::string& arch, const Candidate& c,
                              const std::string& dir);
StageCommand simulate_command(const std::string& arch, const Candidate& c, const std::string& dir);

// Adds the metrics of a stage's report (its JSON text) to `m`; throws
// std::runtime_error when the report lacks them.
void read_stage_metrics(const std::string& stage, const std::string& json_text, Metrics& m);

}  // namespace tessera::search

// Evaluation of one candidate at increasing fidelity, each stage a `tessera`
// command run as a child process (so no searching process loads torch):
//   1. estimate: analytical latency, energy, area, EDAP (milliseconds); a
//      candidate that already breaks a constraint stops here (filtered);
//   2. train: hardware-aware training on a budget (epochs, the first N
//      images) with the candidate's own arrays, ADCs and device noise;
//   3. evaluate: its weight export on the chip, Monte-Carlo over device draws
//      at drift times (accuracy at the last time, AVM).
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
};

struct StageCommand {
  std::string name;               // estimate, train, evaluate
  std::vector<std::string> args;  // after the binary's path
  std::string report;             // the JSON file the command writes
};

// The commands of a candidate whose files go under `dir`, in order.
std::vector<StageCommand> stage_commands(const EvaluationPlan& plan, const std::string& arch, const Candidate& c,
                                         const std::string& dir);

// Adds the metrics of a stage's report (its JSON text) to `m`; throws
// std::runtime_error when the report lacks them.
void read_stage_metrics(const std::string& stage, const std::string& json_text, Metrics& m);

}  // namespace tessera::search

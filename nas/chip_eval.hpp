// Simulator-faithful evaluation: the accuracy of a weight export on the
// simulated chip, computed with libtorch in batches but in the functional
// model's number formats (docs/functional-model.md, docs/training.md):
//   - activation codes from the export's input scales (codes.hpp: round half
//     away from zero, clamp, offset 2^(A-1) for signed inputs, padding = the
//     code of zero);
//   - the export's weight codes, sliced into the tile class's cells
//     (offset or differential encoding), in the arrays exactly as the mapper
//     cuts them, each array holding the conductances that functional::Datapath
//     programmed and read for the same seed and time (the same objects);
//   - per input cycle of dac_bits, the column sums of every array through the
//     same ADC objects (per-column step 2^k from the configured or calibrated
//     range, round half up, clamp: nas/adc_tensor.hpp), shift-and-add over cycles and
//     slices, row blocks summed, offset corrections, drift-compensation gain,
//     then real = acc * s_w * s_in + bias; digital layers in double precision.
// The result for a seed equals `tessera simulate --functional --seed` on the
// same images up to float32 summation order in the analog column sums.
// Torch-free interface.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "arch/config/arch_config.hpp"
#include "arch/functional/quantized_net.hpp"
#include "nas/device_eval.hpp"
#include "workloads/datasets/image_set.hpp"
#include "workloads/ir/network.hpp"

namespace tessera::nas {

struct ChipEvalOptions {
  // The protocol: 1 s, 1 h, 1 day, 30 days.
  std::vector<double> times_s{1, 3600, 86400, 2592000};
  int runs = 10;                 // Monte-Carlo device draws
  uint64_t seed = 1;             // run k programs the arrays with seed + k (as `tessera simulate --seed`)
  bool drift_compensation = true;
  int batch_size = 200;
  int64_t images = 0;            // the first N test images; 0: all
  // Calibrated ADC ranges (arch/components/adc_range.hpp): the first images of
  // this set (training images); null: of the test set.
  const data::ImageSet* calibration_set = nullptr;
  // Called after every batch: the fraction of the evaluation done and what runs.
  std::function<void(double fraction, const std::string& what)> progress;
};

struct ChipEvalResult {
  double ideal_accuracy = 0;       // ideal devices: the export's integer-reference accuracy
  std::vector<DriftPoint> points;  // per time: accuracy per run, mean, std
  int64_t images = 0;
  double seconds = 0;
};

// One device draw (seed, t_inference; ideal: devices return their targets).
// Returns the logits, images x classes, row-major.
std::vector<double> chip_logits(const Network& net, const ArchConfig& arch, const functional::QuantizedNet& q,
                                const data::ImageSet& images, int64_t first, int64_t count, uint64_t seed,
                                double t_inference, bool drift_compensation, bool ideal,
                                const data::ImageSet* calibration_set = nullptr);

ChipEvalResult evaluate_on_chip(const Network& net, const ArchConfig& arch, const functional::QuantizedNet& q,
                                const data::ImageSet& test_set, const ChipEvalOptions& opt);

}  // namespace tessera::nas

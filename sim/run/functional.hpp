// The functional mode of `tessera simulate` (docs/functional-model.md):
// weights (an export or seeded random ones), the image, calibration, the
// integer reference, and the hardware datapath that the simulation drives.
// Everything that can fail on bad input fails in prepare_functional, before
// the simulation runs and before anything is written.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "arch/functional/compare.hpp"
#include "arch/functional/datapath.hpp"
#include "arch/functional/input_image.hpp"
#include "arch/functional/quantized_net.hpp"
#include "workloads/datasets/image_set.hpp"

namespace tessera {

struct FunctionalOptions {
  std::string weights_dir;  // empty: the network's own weights (ONNX), else seeded random weights
  std::string input_file;   // empty: seeded random uint8 image
  uint64_t seed = 1;
  double t_inference = 1.0;
  bool drift_compensation = false;          // per-layer global drift compensation (datapath.hpp)
  const data::ImageSet* dataset = nullptr;  // set: the first image is the simulated one, and run_dataset() runs the rest
  // Calibrated ADC ranges (arch/components/adc_range.hpp): the first images of
  // this set (a data set's training split); null: the simulated image.
  const data::ImageSet* calibration_set = nullptr;
};

// A test set through the standalone datapath (the same code the simulation drove).
struct DatasetResult {
  std::string name;
  int64_t images = 0, correct = 0;
  double accuracy = 0;
  double seconds = 0;             // datapath run() over all images
  double ms_per_image = 0;
  bool first_matches_simulation = false;  // image 0's logits from run() equal the SystemC-driven ones
};

struct FunctionalRun {
  FunctionalOptions options;
  functional::QuantizedNet q;
  functional::InputImage image;
  std::vector<double> reference_logits;
  std::unique_ptr<functional::Datapath> datapath;
  // The simulated image's logits, kept when the simulation ends
  // (finish_functional): run_dataset reuses the datapath for other images.
  std::vector<double> logits;
};

// Throws InputError for a bad manifest, weight file, image or option.
std::unique_ptr<FunctionalRun> prepare_functional(const Network& net, const ArchConfig& arch, const Mapping& map,
                                                  const Program& prog, const FunctionalOptions& opt);
// After the simulation: checks that every layer was computed and keeps the logits.
void finish_functional(FunctionalRun& run);
// After the simulation: the report's "functional" section as JSON text, and a
// console summary line.
std::string functional_json(const FunctionalRun& run, const Network& net, const ArchConfig& arch, const Mapping& map,
                            const Program& prog);
std::string functional_summary(const FunctionalRun& run);

// After the simulation: images [0, n) of the data set through Datapath::run.
DatasetResult run_dataset(FunctionalRun& run, const data::ImageSet& set, int64_t n);
std::string dataset_json(const DatasetResult& r);
std::string dataset_summary(const DatasetResult& r);

}  // namespace tessera

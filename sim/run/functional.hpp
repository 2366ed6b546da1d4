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

namespace tessera {

struct FunctionalOptions {
  std::string weights_dir;  // empty: seeded random weights
  std::string input_file;   // empty: seeded random uint8 image
  uint64_t seed = 1;
  double t_inference = 1.0;
};

struct FunctionalRun {
  FunctionalOptions options;
  functional::QuantizedNet q;
  functional::InputImage image;
  std::vector<double> reference_logits;
  std::unique_ptr<functional::Datapath> datapath;
};

// Throws InputError for a bad manifest, weight file, image or option.
std::unique_ptr<FunctionalRun> prepare_functional(const Network& net, const ArchConfig& arch, const Mapping& map,
                                                  const Program& prog, const FunctionalOptions& opt);
// After the simulation: the report's "functional" section as JSON text, and a
// console summary line.
std::string functional_json(const FunctionalRun& run, const Network& net, const ArchConfig& arch, const Mapping& map,
                            const Program& prog);
std::string functional_summary(const FunctionalRun& run);

}  // namespace tessera

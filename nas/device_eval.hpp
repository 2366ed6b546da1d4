// Monte-Carlo accuracy of a trained network on analog arrays built from a
// device model (arch/device): every array's target weights are mapped to
// differential conductance pairs (s = g_max / max|W| per array), programmed
// once per run (programming noise, drift exponents, faults), and read at each
// inference time (drift, read noise); global drift compensation rescales each
// array's output by its probe response right after programming over the
// response now. AnalogNAS's protocol: 25 runs at 60 s, 1 h, 1 day, 30 days.
// Torch-free interface.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nas/analog_params.hpp"
#include "workloads/datasets/image_set.hpp"
#include "workloads/ir/network.hpp"

namespace tessera::device {
class Device;
}
namespace tessera::io {
class Section;
}

namespace tessera::nas {

struct DriftEvalOptions {
  // AnalogNAS (imc-facts section 4): 25 Monte-Carlo draws at 60 s, 1 h, 1 day, 30 days.
  std::vector<double> times_s{60, 3600, 86400, 2592000};
  int runs = 25;
  uint64_t seed = 1;
  bool drift_compensation = true;
  int batch_size = 1000;

  void load(const io::Section& s);
};

struct DriftPoint {
  double t_s = 0;
  std::vector<double> accuracy;  // one per run
  double mean = 0, std = 0;      // over runs (std with n - 1)
};

// `analog` must be enabled (the device replaces the trained weights in the arrays).
std::vector<DriftPoint> evaluate_drift(const Network& net, const std::string& checkpoint_dir,
                                       const data::ImageSet& test_set, const AnalogParams& analog,
                                       const device::Device& dev, const DriftEvalOptions& opt);

std::string drift_line(const DriftPoint& p);

}  // namespace tessera::nas

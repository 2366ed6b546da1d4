// The analog arrays of one Monte-Carlo run of evaluate_drift (device_eval.hpp):
// each array's target weights are mapped to conductance pairs and programmed
// on first use; set_time() makes the next pass read them at a new time.
//
// Includes <torch/torch.h>: for nas/ translation units only.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <map>

#include "arch/device/device.hpp"
#include "nas/analog_mvm.hpp"

namespace tessera::nas {

class DeviceArrays : public ArrayWeightSource {
 public:
  // Without compensation every gain is 1.
  DeviceArrays(const device::Device& d, uint64_t seed, bool compensate) : dev_(d), seed_(seed), compensate_(compensate) {}

  // Inference time t (seconds after programming); time_index selects the read-noise stream.
  void set_time(double t, uint64_t time_index);
  torch::Tensor weights(int layer, int64_t array, const torch::Tensor& w, double& gain) override;

 private:
  struct Array {
    bool programmed = false;
    int rows = 0, cols = 0;
    double scale = 0;
    device::ProgrammedCells plus, minus;
    double reference = 0;
    torch::Tensor now;
    double gain = 1;
  };
  void program(Array& a, uint64_t key, const torch::Tensor& w);
  torch::Tensor read(const Array& a, double t, device::Rng& rng) const;

  const device::Device& dev_;
  uint64_t seed_;
  bool compensate_;
  double t_ = 0;
  uint64_t time_index_ = 0;
  std::map<uint64_t, Array> arrays_;
};

// Mean |column sum| of an array's weights: its response to an all-ones probe,
// the reference of global drift compensation.
double probe_response(const torch::Tensor& w);

}  // namespace tessera::nas

// A small weight export for CLI tests: mlp:hidden=8,wbits=4 with 4-bit
// uniform codes, a bias on fc2 and fc2's input scale (fc1's is calibrated on
// the image when a run needs it).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "workloads/io/npy.hpp"
#include "workloads/io/weights_manifest.hpp"

namespace tessera::testing {

// Writes the export into `dir` (created) and returns it.
inline std::string write_mlp_export(const std::string& dir) {
  std::filesystem::create_directories(dir);
  io::WeightsManifest m;
  m.dir = dir;
  m.network = "mlp:hidden=8,wbits=4";
  std::vector<int8_t> q1(8 * 784), q2(10 * 8);
  for (size_t i = 0; i < q1.size(); ++i) q1[i] = int8_t(int(i * 5 % 15) - 7);
  for (size_t i = 0; i < q2.size(); ++i) q2[i] = int8_t(int(i * 3 % 15) - 7);
  io::write_npy(dir + "/fc1.npy", io::NpyArray::of_int8(q1, {8, 784}));
  io::write_npy(dir + "/fc2.npy", io::NpyArray::of_int8(q2, {10, 8}));
  io::write_npy(dir + "/fc2b.npy", io::NpyArray::of_floats(std::vector<float>(10, 0.5f), {10}));
  io::LayerWeights fc1{"fc1", "fc1.npy", "", {8, 784}, 4, io::Quantization::Uniform, {0.01}};
  io::LayerWeights fc2{"fc2", "fc2.npy", "fc2b.npy", {10, 8}, 4, io::Quantization::Uniform, {0.02}};
  fc2.input_scale = 0.05;
  m.layers = {fc1, fc2};
  io::write_weights_manifest(m);
  return dir;
}

}  // namespace tessera::testing

// Fuzz target: weight-export manifest.json, read on its own and then checked
// against fmnist-cnn (the network the seed manifests describe).
#include <filesystem>

#include "fuzz_support.hpp"
#include "workloads/io/weights_manifest.hpp"
#include "workloads/zoo/zoo.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string dir = [] {
    const std::string d = tessera::fuzz::scratch_path("weights");
    std::filesystem::create_directories(d);
    return d;
  }();
  static const tessera::Network net = tessera::zoo::build("fmnist-cnn");
  const std::string file = dir + "/manifest.json";
  std::ofstream(file, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), std::streamsize(size));
  tessera::fuzz::parse_or_input_error([&] {
    const auto m = tessera::io::read_weights_manifest(dir);
    tessera::io::validate_weights_manifest(m, net);
  });
  return 0;
}

#include "workloads/load.hpp"

#include <filesystem>

#include "workloads/importers/network_toml.hpp"
#include "workloads/importers/neurosim_csv.hpp"
#include "workloads/importers/onnx_model.hpp"
#include "workloads/zoo/zoo.hpp"

namespace tessera {

Network load_network(const std::string& spec) {
  namespace fs = std::filesystem;
  fs::path p(spec);
  auto ext = p.extension().string();
  bool looks_like_file = ext == ".toml" || ext == ".csv" || ext == ".onnx" || spec.find('/') != std::string::npos;
  if (fs::exists(p) || (looks_like_file && !zoo::has(spec))) {
    if (!fs::exists(p)) throw InputError({spec, 0, 0}, "", "cannot open network file: no such file");
    if (ext == ".csv") return load_neurosim_csv(spec);
    if (ext == ".toml") return load_network_toml(spec);
    if (ext == ".onnx") return load_onnx(spec);
    throw InputError({spec, 0, 0}, "", "unknown network file type '" + ext + "'; allowed: .toml, .csv (NeuroSim), .onnx");
  }
  return zoo::build(spec);
}

}  // namespace tessera

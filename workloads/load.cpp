#include "workloads/load.hpp"

#include <cstdlib>
#include <filesystem>

#include "workloads/importers/network_toml.hpp"
#include "workloads/importers/neurosim_csv.hpp"
#include "workloads/importers/onnx_model.hpp"
#include "workloads/io/toml_reader.hpp"
#include "workloads/zoo/zoo.hpp"

namespace tessera {

namespace {

namespace fs = std::filesystem;

bool looks_like_file(const std::string& s) {
  const std::string ext = fs::path(s).extension().string();
  return ext == ".toml" || ext == ".csv" || ext == ".onnx" || s.find('/') != std::string::npos;
}

// A network file's parameters: "FILE:wbits=4,abits=6" (the precision parameters every zoo network takes).
struct FilePrecision {
  int wbits = 0, abits = 0;  // 0: the file's own
};

FilePrecision parse_precision(const std::string& spec, const std::string& params) {
  FilePrecision p;
  size_t at = 0;
  while (at <= params.size()) {
    const size_t end = std::min(params.find(',', at), params.size());
    const std::string kv = params.substr(at, end - at);
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw InputError({"--net " + spec, 0, 0}, kv, "expected key=value after ':'");
    const std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
    if (key != "wbits" && key != "abits")
      throw InputError({"--net " + spec, 0, 0}, key, "unknown parameter of a network file; allowed: wbits, abits");
    char* stop = nullptr;
    const long v = std::strtol(value.c_str(), &stop, 10);
    if (value.empty() || *stop || v < 1 || v > 32)
      throw InputError({"--net " + spec, 0, 0}, key, "'" + value + "' is not allowed; allowed: an integer in [1, 32]");
    (key == "wbits" ? p.wbits : p.abits) = int(v);
    at = end + 1;
  }
  return p;
}

Network load_file(const std::string& path, const FilePrecision& p) {
  const std::string ext = fs::path(path).extension().string();
  if (!fs::exists(path)) throw InputError({path, 0, 0}, "", "cannot open network file: no such file");
  if (ext == ".csv") return load_neurosim_csv(path, p.wbits ? p.wbits : 8, p.abits ? p.abits : 8);
  if (ext == ".toml") {
    io::Document doc = io::Document::from_file(path);
    // The file's network-wide defaults; layers that set their own keep them.
    if (p.wbits) doc.apply_override("weight_bits=" + std::to_string(p.wbits));
    if (p.abits) doc.apply_override("activation_bits=" + std::to_string(p.abits));
    return read_network(doc.root());
  }
  if (ext == ".onnx") {
    Network net = load_onnx(path);
    // A model has no precision of its own (8 bits unless given): every layer takes it.
    for (auto& l : net.layers) {
      if (p.wbits) l.weight_bits = p.wbits;
      if (p.abits) l.activation_bits = p.abits;
    }
    return net;
  }
  throw InputError({path, 0, 0}, "", "unknown network file type '" + ext + "'; allowed: .toml, .csv (NeuroSim), .onnx");
}

}  // namespace

Network load_network(const std::string& spec) {
  if (fs::exists(spec)) return load_file(spec, {});
  // FILE:params, the colon after the last directory separator.
  const size_t slash = spec.rfind('/');
  const size_t colon = spec.find(':', slash == std::string::npos ? 0 : slash);
  if (colon != std::string::npos) {
    const std::string file = spec.substr(0, colon);
    if (fs::exists(file) || (looks_like_file(file) && !zoo::has(spec)))
      return load_file(file, parse_precision(spec, spec.substr(colon + 1)));
  }
  if (looks_like_file(spec) && !zoo::has(spec)) return load_file(spec, {});
  return zoo::build(spec);
}

}  // namespace tessera

#include "sim/cli/common.hpp"

#include <cstdlib>
#include <filesystem>

#include "workloads/load.hpp"

#ifndef TESSERA_CONFIG_DIR
#define TESSERA_CONFIG_DIR "configs"
#endif

namespace tessera::cli {

std::string configs_dir() {
  if (const char* env = std::getenv("TESSERA_CONFIG_DIR")) return env;
  return TESSERA_CONFIG_DIR;
}

std::string default_arch() { return configs_dir() + "/arch/isaac.toml"; }

std::string resolve_arch(const std::string& s) {
  namespace fs = std::filesystem;
  if (fs::exists(s) || s.find('/') != std::string::npos || fs::path(s).extension() == ".toml") return s;
  std::string preset = configs_dir() + "/arch/" + s + ".toml";
  if (fs::exists(preset)) return preset;
  std::string names;
  if (fs::exists(configs_dir() + "/arch")) {
    for (const auto& e : fs::directory_iterator(configs_dir() + "/arch"))
      if (e.path().extension() == ".toml") names += (names.empty() ? "" : ", ") + e.path().stem().string();
  }
  throw InputError({"--arch " + s, 0, 0}, "", "no arch file or preset named '" + s + "'; presets: " + names);
}

void print_params(const std::vector<io::ParamInfo>& params, bool markdown, std::ostream& os) {
  if (markdown) {
    os << "| key | type | default | allowed | description |\n| --- | --- | --- | --- | --- |\n";
    for (const auto& p : params)
      os << "| `" << p.path << "` | " << p.type << " | " << (p.default_value.empty() ? "required" : "`" + p.default_value + "`")
         << " | " << p.allowed << " | " << p.description << " |\n";
    return;
  }
  for (const auto& p : params)
    os << p.path << " (" << p.type << (p.default_value.empty() ? ", required" : ", default " + p.default_value)
       << (p.allowed.empty() ? "" : ", " + p.allowed) << "): " << p.description << "\n";
}

Inputs load_inputs(const std::string& net_spec, const std::string& arch_spec, const std::vector<std::string>& sets) {
  Inputs in{load_network(net_spec), load_arch(resolve_arch(arch_spec), sets)};
  return in;
}

}  // namespace tessera::cli

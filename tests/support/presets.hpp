// Arch presets and test data paths for tests.
#pragma once

#include <string>
#include <vector>

#include "arch/config/arch_config.hpp"

namespace tessera::testing {

inline ArchConfig preset(const std::string& name, const std::vector<std::string>& sets = {}) {
  return load_arch(std::string(TESSERA_SOURCE_DIR) + "/configs/arch/" + name + ".toml", sets);
}
inline ArchConfig isaac(const std::vector<std::string>& sets = {}) { return preset("isaac", sets); }

}  // namespace tessera::testing

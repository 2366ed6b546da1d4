// Pieces shared by the subcommands: locating presets, loading the network
// and the arch config with overrides, writing outputs.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "arch/config/arch_config.hpp"
#include "workloads/ir/network.hpp"

namespace tessera::cli {

// "isaac" -> <configs>/arch/isaac.toml; a path is returned unchanged.
std::string resolve_arch(const std::string& name_or_path);
std::string configs_dir();
std::string default_arch();

// A parameter list (describe-config, sweep describe): one line each, or a
// Markdown table for docs/.
void print_params(const std::vector<io::ParamInfo>& params, bool markdown, std::ostream& os);

struct Inputs {
  Network net;
  ArchConfig arch;
};
Inputs load_inputs(const std::string& net_spec, const std::string& arch_spec, const std::vector<std::string>& sets);

}  // namespace tessera::cli

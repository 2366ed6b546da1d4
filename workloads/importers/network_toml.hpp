// Network files in TOML: `[input]` plus `[[layer]]` tables (docs/network-format.md).
#pragma once

#include <string>

#include "workloads/ir/network.hpp"

namespace tessera {
namespace io {
class Section;
}

// Reads and finalizes a network; errors name file, line, column and key.
Network load_network_toml(const std::string& path);
Network read_network(const io::Section& root);
// Writes a network in the same format (round-trips through load_network_toml).
std::string network_to_toml(const Network& net);

}  // namespace tessera

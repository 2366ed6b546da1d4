// The shared front of the `tessera` executables: finds the command named by
// argv[1] in a table, runs it and maps exceptions to exit codes (2 for bad
// input, 1 for internal errors).
#pragma once

#include <vector>

#include "sim/cli/commands.hpp"

namespace tessera::cli {

int dispatch(const std::vector<Command>& table, int argc, char** argv);

// The executable `name` next to this one (/proc/self/exe's directory).
std::string sibling_path(const char* name);

// Replaces this process by the sibling executable `name` with argv[0] = name
// and the given arguments. Returns only on failure, as an InputError naming
// the missing executable.
[[noreturn]] void exec_sibling(const char* name, const std::vector<std::string>& args);
// The same with argv[1] = `command` followed by `args`: the command runs in
// the sibling executable that holds it (tessera-sim, tessera-nas, ...).
[[noreturn]] void exec_command(const char* executable, const char* command, const Args& args);

}  // namespace tessera::cli

// Runs a program as a child process with its output in a log file. The child
// dies with the process that started it (PR_SET_PDEATHSIG), so a killed search
// leaves no orphan training behind to race its own rerun.
#pragma once

#include <string>
#include <vector>

namespace tessera::search {

// Exit code of `program args...` (128 + signal when killed by one); stdout
// and stderr go to `log`. Throws std::runtime_error if it cannot start.
int run_child(const std::string& program, const std::vector<std::string>& args, const std::string& log);

// The last non-empty line of a file (for error messages), or "".
std::string last_line(const std::string& path);

}  // namespace tessera::search

// Subcommands of the `tessera` binary. Each parses its own options and returns
// the process exit code: 0 success, 1 internal error, 2 bad input.
#pragma once

#include <string>
#include <vector>

namespace tessera::cli {

using Args = std::vector<std::string>;

int cmd_estimate(const Args& args);
int cmd_simulate(const Args& args);
int cmd_compare(const Args& args);
int cmd_compare_arch(const Args& args);
int cmd_list(const Args& args);
int cmd_describe_config(const Args& args);
int cmd_export_net(const Args& args);
int cmd_sweep(const Args& args);
int cmd_plot(const Args& args);
int cmd_search(const Args& args);
// Defined in tessera-nas only (libtorch).
int cmd_train(const Args& args);
int cmd_evaluate(const Args& args);

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const Args&);
};
const std::vector<Command>& commands();

}  // namespace tessera::cli

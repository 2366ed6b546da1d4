// Boost.Program_options helpers: parse a subcommand's arguments, turning
// option errors into InputErrors (exit code 2).
#pragma once

#include <boost/program_options.hpp>
#include <iostream>

#include "sim/cli/commands.hpp"
#include "workloads/base/error.hpp"

namespace tessera::cli {

namespace po = boost::program_options;

// Returns false when --help was printed.
inline bool parse(const Args& args, const po::options_description& desc, po::variables_map& vm, const char* usage_line,
                  const po::positional_options_description* pos = nullptr) {
  try {
    auto parser = po::command_line_parser(args).options(desc);
    if (pos) parser.positional(*pos);
    po::store(parser.run(), vm);
    if (vm.count("help")) {
      std::cout << "usage: " << usage_line << "\n\n" << desc << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw InputError({"command line", 0, 0}, "", std::string(e.what()) + " (see --help)");
  }
  return true;
}

}  // namespace tessera::cli

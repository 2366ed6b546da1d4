// tessera: cycle-accurate and analytical simulation of in-memory-computing
// DNN accelerators. Thin dispatcher over the subcommands.
#include <iostream>

#include "sim/cli/commands.hpp"
#include "workloads/io/error.hpp"

using namespace tessera;

namespace {
void usage(std::ostream& os) {
  os << "usage: tessera <command> [options]\n\ncommands:\n";
  for (const auto& c : cli::commands()) os << "  " << c.name << std::string(18 - std::string(c.name).size(), ' ') << c.summary << "\n";
  os << "\n'tessera <command> --help' describes a command's options.\n";
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    usage(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? kExitInputError : 0;
  }
  std::string name = argv[1];
  if (name == "--version") {
    std::cout << "tessera " << TESSERA_VERSION << "\n";
    return 0;
  }
  cli::Args args(argv + 2, argv + argc);
  for (const auto& c : cli::commands()) {
    if (name != c.name) continue;
    try {
      return c.run(args);
    } catch (const InputError& e) {
      std::cerr << "tessera " << name << ": error: " << e.what() << "\n";
      return kExitInputError;
    } catch (const std::exception& e) {
      std::cerr << "tessera " << name << ": internal error: " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << "tessera: unknown command '" << name << "'\n";
  usage(std::cerr);
  return kExitInputError;
}

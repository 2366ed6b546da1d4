// tessera: cycle-accurate and analytical simulation of in-memory-computing
// DNN accelerators. Thin dispatcher over the subcommands.
#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

#include "sim/cli/commands.hpp"
#include "workloads/base/error.hpp"

using namespace tessera;

namespace {
void usage(std::ostream& os) {
  os << "usage: tessera <command> [options]\n\ncommands:\n";
  for (const auto& c : cli::commands()) os << "  " << c.name << std::string(18 - std::string(c.name).size(), ' ') << c.summary << "\n";
  os << "\n'tessera <command> --help' describes a command's options.\n";
}
// train and evaluate allocate and free tensors of tens of megabytes per
// batch; glibc hands blocks above its mmap threshold back to the kernel on
// every free and the next batch faults them in again (measured: half of
// evaluate's time in the kernel, twice the run time). For these commands
// large blocks come from the heap instead and the heap is not trimmed, so
// freed tensors are reused.
void tune_allocator(const std::string& cmd) {
  if (cmd != "train" && cmd != "evaluate") return;
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}
}  // namespace

// libsystemc's own main() refers to sc_main; tessera brings its own main and
// runs the kernel from the simulate and compare commands.
extern "C" int sc_main(int, char**) { return 1; }

int main(int argc, char** argv) {
  // Keep SystemC's banner out of machine-readable output.
  setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 0);
  tune_allocator(argc > 1 ? argv[1] : "");
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

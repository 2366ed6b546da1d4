// tessera: cycle-accurate and analytical simulation of in-memory-computing
// DNN accelerators. Thin dispatcher over the subcommands.
#include "sim/cli/dispatch.hpp"

using namespace tessera;

// libsystemc's own main() refers to sc_main; tessera brings its own main and
// runs the kernel from the simulate and compare commands.
extern "C" int sc_main(int, char**) { return 1; }

int main(int argc, char** argv) { return cli::dispatch(cli::commands(), argc, argv); }

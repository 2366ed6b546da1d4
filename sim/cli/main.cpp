// tessera: cycle-accurate and analytical simulation of in-memory-computing
// DNN accelerators. Thin dispatcher over the subcommands.
#include "sim/cli/dispatch.hpp"

using namespace tessera;

int main(int argc, char** argv) { return cli::dispatch(cli::commands(), argc, argv); }

// tessera-nas: the commands that need libtorch (train, evaluate). `tessera
// train|evaluate` replace themselves by this executable, so that the main
// binary never maps libtorch's ~290 shared libraries (about 1 s and 160 MB at
// process start, measured by bench/startup_bench).
#include <malloc.h>

#include <string>

#include "sim/cli/dispatch.hpp"

using namespace tessera;

namespace {
// train and evaluate allocate and free tensors of tens of megabytes per
// batch; glibc hands blocks above its mmap threshold back to the kernel on
// every free and the next batch faults them in again (measured: half of
// evaluate's time in the kernel, twice the run time). Large blocks come from
// the heap instead and the heap is not trimmed, so freed tensors are reused.
void tune_allocator() {
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}
}  // namespace

int main(int argc, char** argv) {
  tune_allocator();
  static const std::vector<cli::Command> table = {
      {"train", "train a network (clean or hardware-aware) on a data set; checkpoints and weight export", cli::cmd_train},
      {"evaluate", "accuracy of trained weights on the simulated chip: clean and Monte-Carlo over device draws", cli::cmd_evaluate},
  };
  return cli::dispatch(table, argc, argv);
}

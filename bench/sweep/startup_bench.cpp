// Start-up of whole tessera processes, side by side in one run: `--version`
// (the floor: loading the binary), the VGG-8 estimate, the ResNet-18
// simulation, and, for scale, tessera-nas (the libtorch executable that train
// and evaluate run) printing its version. Median wall time over repeats and
// peak resident memory. Goals (issue 10): estimate within 30 ms, simulate
// within 150 ms, resident memory under 60 MB.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/support/process.hpp"

using tessera::bench::Child;
using tessera::bench::run;

namespace {
struct Figure {
  double median_s;
  long maxrss_kb;
};

Figure measure(const std::string& cmd, int repeats) {
  std::vector<double> t;
  long rss = 0;
  for (int i = 0; i < repeats; ++i) {
    Child c = run("exec " + cmd + " >/dev/null");
    if (c.code != 0) {
      std::fprintf(stderr, "failed (exit %d): %s\n", c.code, cmd.c_str());
      std::exit(1);
    }
    t.push_back(c.wall);
    rss = std::max(rss, c.maxrss_kb);
  }
  std::sort(t.begin(), t.end());
  return {t[t.size() / 2], rss};
}
}  // namespace

int main(int argc, char** argv) {
  int repeats = argc > 1 ? std::atoi(argv[1]) : 11;
  std::string bin = TESSERA_BINARY_DIR;
  struct Row {
    const char* what;
    std::string cmd;
    double goal_s;
  } rows[] = {
      {"tessera --version", bin + "/tessera --version", 0},
      {"tessera estimate --net vgg8", bin + "/tessera estimate --net vgg8 -q", 0.030},
      {"tessera simulate --net resnet18", bin + "/tessera simulate --net resnet18 -q", 0.150},
  };
  std::printf("%-36s %12s %12s %10s\n", "whole process", "median (ms)", "peak RSS (MB)", "goal (ms)");
  double floor_s = 0;
  for (const auto& r : rows) {
    Figure f = measure(r.cmd, repeats);
    if (floor_s == 0) floor_s = f.median_s;
    std::printf("%-36s %12.1f %12.1f %10s\n", r.what, 1e3 * f.median_s, f.maxrss_kb / 1024.0,
                r.goal_s > 0 ? std::to_string(int(1e3 * r.goal_s)).c_str() : "-");
  }
  if (std::filesystem::exists(bin + "/tessera-nas")) {
    Figure f = measure(bin + "/tessera-nas --version", std::max(3, repeats / 3));
    std::printf("%-36s %12.1f %12.1f %10s   (libtorch: what every command paid before)\n", "tessera-nas --version",
                1e3 * f.median_s, f.maxrss_kb / 1024.0, "-");
  }
  std::printf("(%d repeats each; memory goal: under 60 MB)\n", repeats);
  return 0;
}

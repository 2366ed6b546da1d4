// Costs of the sweep machinery, measured as a user runs it (whole
// processes), side by side in one run:
//  - per-point overhead: a sweep of N estimate points with -j 1 against the
//    same N `tessera estimate` processes run one after another (the points'
//    own work); the difference per point is what the sweep adds (goal: within
//    20 ms);
//  - parallel speed-up: the same sweep with -j 2 against -j 1 (goal: at least
//    1.9x on two cores), on points of a few seconds each (ResNet-18 at 64 px
//    with 4-bit activations on the associative-processor preset, compiled and
//    simulated), so that the sweep's serial work (resolving and checking every
//    point up front) is small beside the points' own.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "bench/support/process.hpp"

using tessera::bench::run;
namespace fs = std::filesystem;

namespace {
std::string bin() { return TESSERA_BINARY_DIR; }
const std::string kIsaac = std::string(TESSERA_SOURCE_DIR) + "/configs/arch/isaac.toml";

std::string write_spec(const fs::path& dir, const std::string& name, const std::string& mode, const std::string& net,
                       int points) {
  std::string values;
  for (int i = 0; i < points; ++i) values += (i ? ", " : "") + std::to_string(16 + i);  // tile counts
  fs::path p = dir / name;
  std::ofstream(p) << "[sweep]\nmode = \"" << mode << "\"\nnet = \"" << net << "\"\narch = \"" << kIsaac
                   << "\"\nset = [\"mapping.weight_reload=true\"]\n[[axis]]\nkey = \"tile_class.0.count\"\nvalues = [" << values
                   << "]\n";
  return p.string();
}
}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 40;
  fs::path dir = fs::temp_directory_path() / ("tessera_sweep_bench_" + std::to_string(getpid()));
  fs::create_directories(dir);

  // 1. Per-point overhead on estimate points (the cheapest work a point does).
  std::string spec = write_spec(dir, "estimate.toml", "estimate", "resnet20", n);
  auto standalone = run("for c in $(seq 16 " + std::to_string(15 + n) + "); do " + bin() + "/tessera estimate --net resnet20 --arch " +
                        kIsaac + " --set mapping.weight_reload=true --set tile_class.0.count=$c -q -o " + (dir / "one.json").string() +
                        " || exit 1; done");
  auto sweep = run("exec " + bin() + "/tessera sweep " + spec + " -o " + (dir / "est").string() + " -j 1 -q");
  if (standalone.code || sweep.code) {
    std::fprintf(stderr, "a run failed: %s\n", sweep.out.c_str());
    return 1;
  }
  double overhead_ms = 1e3 * (sweep.wall - standalone.wall) / n;
  std::printf("per-point overhead (%d estimate points of ResNet-20, -j 1):\n", n);
  std::printf("  %d standalone estimate processes %8.3f s  (%.1f ms each)\n", n, standalone.wall, 1e3 * standalone.wall / n);
  std::printf("  tessera sweep -j 1               %8.3f s  (%.1f ms each)\n", sweep.wall, 1e3 * sweep.wall / n);
  std::printf("  overhead per point               %8.1f ms  (goal: within 20 ms)\n\n", overhead_ms);

  // 2. -j 2 against -j 1 on simulate points (work that fills a core).
  int m = std::max(8, n / 5);
  std::string seeds;
  for (int i = 1; i <= m; ++i) seeds += (i > 1 ? ", " : "") + std::to_string(i);
  std::string sim = (dir / "simulate.toml").string();
  std::ofstream(sim) << "[sweep]\nmode = \"simulate\"\nnet = \"resnet18:abits=4,size=64\"\narch = \"" << TESSERA_SOURCE_DIR
                     << "/configs/arch/rtm-ap.toml\"\n[[axis]]\nkey = \"mapping.seed\"\nvalues = [" << seeds << "]\n";
  auto j1 = run("exec " + bin() + "/tessera sweep " + sim + " -o " + (dir / "j1").string() + " -j 1 -q");
  auto j2 = run("exec " + bin() + "/tessera sweep " + sim + " -o " + (dir / "j2").string() + " -j 2 -q");
  if (j1.code || j2.code) {
    std::fprintf(stderr, "a simulate sweep failed\n");
    return 1;
  }
  std::printf("parallel speed-up (%d simulate points of ResNet-18 at 64 px on rtm-ap):\n", m);
  std::printf("  -j 1 %8.3f s\n  -j 2 %8.3f s\n  speed-up %.2fx  (goal: at least 1.9x; cores: %ld)\n", j1.wall, j2.wall,
              j1.wall / j2.wall, sysconf(_SC_NPROCESSORS_ONLN));
  fs::remove_all(dir);
  return 0;
}

// Speed of the cycle-accurate engine (issue 3), measured side by side in one run:
//  - VGG-8 and ResNet-18 (isaac preset, timing mode): wall time and peak memory
//    of the whole `tessera simulate` process;
//  - model events per second against a bare SystemC timed SC_METHOD loop
//    (the kernel's own cost for one activation, same machine, same run);
//  - wall time against crossbar operations for three ResNet-18 input sizes;
//  - the clocked reference against the event-driven engine on fmnist-cnn.
// Every simulation runs in a child process (one SystemC elaboration per process).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <systemc>

#include "bench/support/process.hpp"
#include <vector>

extern "C" int sc_main(int, char**) { return 1; }

namespace {

// The reference: one SC_METHOD re-triggering itself at the next cycle.
struct Loop : sc_core::sc_module {
  SC_HAS_PROCESS(Loop);
  uint64_t left;
  sc_core::sc_time step{1, sc_core::SC_NS};
  Loop(sc_core::sc_module_name n, uint64_t count) : sc_module(n), left(count) { SC_METHOD(tick); }
  void tick() {
    if (--left) next_trigger(step);
  }
};

int bare_loop(uint64_t n) {
  setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
  Loop l("loop", n);
  auto t0 = std::chrono::steady_clock::now();
  sc_core::sc_start();
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%.6f\n", double(n) / s);
  return 0;
}

using tessera::bench::Child;
using tessera::bench::run;

nlohmann::json simulate(const std::string& args, Child* child = nullptr) {
  std::string out = "/tmp/tessera_sim_bench_" + std::to_string(getpid()) + ".json";
  // exec keeps the measured process the simulator itself, not the shell.
  Child c = run("exec " + std::string(TESSERA_BINARY_DIR) + "/tessera simulate -q " + args + " -o " + out);
  if (c.code != 0) {
    std::fprintf(stderr, "simulate %s failed (%d)\n", args.c_str(), c.code);
    std::exit(1);
  }
  if (child) *child = c;
  std::ifstream f(out);
  nlohmann::json j = nlohmann::json::parse(f);
  std::remove(out.c_str());
  return j;
}

double crossbar_ops(const nlohmann::json& j) { return j["events"].value("crossbar_read", 0.0); }

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--bare") return bare_loop(std::strtoull(argv[2], nullptr, 10));
  const std::string self = argv[0];

  std::printf("tessera simulator speed (timing mode, isaac preset, one core per process)\n\n");
  for (const char* net : {"vgg8", "resnet18"}) {
    Child c;
    nlohmann::json j = simulate(std::string("--net ") + net, &c);
    std::printf("%-9s process wall %.3f s (goal: %s), kernel run %.3f s, peak memory %.1f MB (goal <= 1024 MB), "
                "%.0f simulated cycles, %.3g crossbar reads\n",
                net, c.wall, std::string(net) == "vgg8" ? "<= 1 s" : "<= 10 s, stretch 3 s", j["run"]["wall_s"].get<double>(),
                double(c.maxrss_kb) / 1024.0, j["totals"]["cycles"].get<double>(), crossbar_ops(j));
  }

  // Events per second against the bare kernel loop.
  {
    Child bare = run("exec " + self + " --bare 2000000");
    double bare_rate = std::atof(bare.out.c_str());
    nlohmann::json j = simulate("--net resnet18");
    double events = j["run"]["sim_events"].get<double>(), wall = j["run"]["wall_s"].get<double>();
    double rate = events / wall;
    std::printf("\nbare SystemC timed SC_METHOD loop: %.3g activations/s\n", bare_rate);
    std::printf("tessera on resnet18: %.0f model events (%.0f process activations) in %.4f s = %.3g events/s\n", events,
                j["run"]["sim_activations"].get<double>(), wall, rate);
    std::printf("ratio: %.2f (goal >= 0.5)\n", rate / bare_rate);
  }

  // Wall time against crossbar operations.
  std::printf("\nscaling (resnet18 at three input sizes):\n");
  double base = 0;
  for (int size : {112, 224, 448}) {
    nlohmann::json j = simulate("--net resnet18:size=" + std::to_string(size) + " --set mapping.weight_reload=true");
    double ops = crossbar_ops(j), wall = j["run"]["wall_s"].get<double>();
    if (base == 0) base = wall / ops;
    std::printf("  size %3d: %.3g crossbar reads, kernel run %.4f s, %.3g s per million reads (x%.2f of the first)\n", size,
                ops, wall, wall / ops * 1e6, (wall / ops) / base);
  }

  // Clocked reference against event-driven.
  {
    nlohmann::json c = simulate("--net fmnist-cnn --clocked");
    nlohmann::json e = simulate("--net fmnist-cnn");
    double wc = c["run"]["wall_s"].get<double>(), we = e["run"]["wall_s"].get<double>();
    std::printf("\nclocked vs event-driven on fmnist-cnn: %.3f s vs %.4f s = %.0fx slower (same %.0f cycles: %s)\n", wc, we,
                wc / we, e["totals"]["cycles"].get<double>(), c["totals"]["cycles"] == e["totals"]["cycles"] ? "yes" : "NO");
  }
  return 0;
}

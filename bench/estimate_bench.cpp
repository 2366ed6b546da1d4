// Analytical-model speed (issue 2): layer evaluations per second on one core,
// and the whole `estimate` pipeline (zoo network -> mapping -> program ->
// analytical run -> report) for VGG-8 and ResNet-18 on the ISAAC preset.
// Prints figures; it asserts nothing (timings are not tests).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "arch/analytical/model.hpp"
#include "arch/cost/cost_table.hpp"
#include "sim/report/report.hpp"
#include "workloads/zoo/zoo.hpp"

using namespace tessera;
using clk = std::chrono::steady_clock;

namespace {
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
volatile double sink;
}  // namespace

int main(int argc, char** argv) {
  const std::string arch_file = std::string(TESSERA_SOURCE_DIR) + "/configs/arch/isaac.toml";
  ArchConfig arch = load_arch(arch_file);
  CostTable cost(arch);

  // 1. Layer evaluations: tiling, stage times and events of one weight layer,
  // priced by the cost table, over all of ResNet-18's layers.
  {
    Network net = zoo::build("resnet18");
    Mapping map = map_network(net, arch);
    Program prog = compile(net, arch, map);
    const int reps = 2000;
    auto t0 = clk::now();
    double acc = 0;
    int64_t evals = 0;
    for (int r = 0; r < reps; ++r) {
      for (const auto& h : prog.hosts) {
        const Layer& l = net.layers[h.layer];
        CrossbarTiling t = tile_layer(l, arch.tile_classes[0], arch.mapping);
        HostPipeline p = host_pipeline(arch, h);
        acc += double(layer_latency(p, l.positions())) + double(t.crossbars);
        acc += cost.total_energy_pj(h.tile_class, host_events(arch, net, prog, h));
        ++evals;
      }
    }
    double s = std::chrono::duration<double>(clk::now() - t0).count();
    sink = acc;
    std::printf("analytical layer evaluations: %.0f per second (one core; %lld evaluations in %.3f s; goal >= 100000)\n",
                double(evals) / s, (long long)evals, s);
  }

  // 2. Whole estimates.
  for (const char* name : {"vgg8", "resnet18"}) {
    std::vector<double> times;
    for (int r = 0; r < 50; ++r) {
      auto t0 = clk::now();
      Network net = zoo::build(name);
      Mapping map = map_network(net, arch);
      Program prog = compile(net, arch, map);
      RunResult run = analytical_run(net, arch, prog);
      Report rep = build_report(net, arch, map, prog, cost, run);
      sink = rep.energy_total_pj;
      times.push_back(std::chrono::duration<double>(clk::now() - t0).count());
    }
    std::printf("estimate %-9s %.3f ms median of %zu (network build, mapping, program, analytical run, report)%s\n", name,
                median(times) * 1e3, times.size(), std::string(name) == "vgg8" ? "; goal <= 10 ms" : "");
  }
  std::printf("for scale (issue 2): MNSIM 2.0 takes about 2 s and NeuroSim V1.4 about 89 s for VGG-8 on this kind of machine\n");
  (void)argc;
  (void)argv;
  return 0;
}

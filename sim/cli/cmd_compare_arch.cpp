// tessera compare-arch: one network on several chips (for example the RTM-AP
// preset against the crossbar presets): energy, latency, area, TOPS/W, the
// energy-efficiency ratio against the first chip, and where the energy goes.
// Uses the analytical model (validated against the simulation by `compare`).
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "arch/analytical/model.hpp"
#include "arch/cost/cost_table.hpp"
#include "sim/cli/common.hpp"
#include "sim/cli/options.hpp"
#include "sim/report/report.hpp"
#include "workloads/load.hpp"

namespace tessera::cli {

namespace {

// Energy groups for the breakdown.
struct Group {
  const char* name;
  std::vector<Component> parts;
};
const std::vector<Group>& groups() {
  static const std::vector<Group> g = {
      {"array (crossbar reads, CAM compare/write)", {Component::Crossbar, Component::ApCompare, Component::ApWrite}},
      {"racetrack shifts", {Component::RtmShift}},
      {"racetrack reads/writes", {Component::RtmAccess}},
      {"periphery (DAC, S&H, ADC, shift-add, registers, digital units)",
       {Component::Dac, Component::SampleHold, Component::Adc, Component::ShiftAdd, Component::InputRegister,
        Component::ImaOutputRegister, Component::OutputRegister, Component::Reduce, Component::Activation,
        Component::Pooling}},
      {"data movement (buffers, bus, network, off chip)",
       {Component::Buffer, Component::Bus, Component::Router, Component::Link, Component::GlobalBuffer,
        Component::Offchip}},
      {"weight reload", {Component::WeightReload}},
      {"leakage", {Component::Leakage}},
  };
  return g;
}

}  // namespace

int cmd_compare_arch(const Args& args) {
  po::options_description desc("compare-arch options");
  std::string net, out;
  std::vector<std::string> archs, sets;
  desc.add_options()("help,h", "this help")
      ("net", po::value(&net)->required(), "zoo network or network file (the same network on every chip)")
      ("arch", po::value(&archs)->composing()->required(), "arch preset or file (repeat: the first is the reference)")
      ("set", po::value(&sets)->composing(), "override applied to every chip (must be valid for each)")
      ("output,o", po::value(&out), "write the comparison as JSON here");
  po::variables_map vm;
  if (!parse(args, desc, vm, "tessera compare-arch --net NAME|FILE --arch A --arch B [--arch C]... [-o cmp.json]")) return 0;
  check_output_paths({out});
  Network network = load_network(net);

  std::vector<Report> reps;
  for (const auto& a : archs) {
    ArchConfig arch = load_arch(resolve_arch(a), sets);
    Mapping map = map_network(network, arch);
    Program prog = compile(network, arch, map);
    CostTable cost(arch);
    RunResult run = analytical_run(network, arch, prog);
    reps.push_back(build_report(network, arch, map, prog, cost, run));
  }

  const Report& ref = reps.front();
  std::cout << fmt::format("'{}' ({:.3g} GMACs) on {} chips, analytical model; ratios against '{}'\n\n", network.name,
                           double(network.macs()) / 1e9, reps.size(), ref.arch_name);
  std::cout << fmt::format("{:<12} {:>12} {:>12} {:>10} {:>10} {:>12} {:>14}\n", "chip", "energy", "latency", "area",
                           "TOPS/W", "TOPS/mm^2", "efficiency x");
  for (const auto& r : reps) {
    std::cout << fmt::format("{:<12} {:>9.4g} uJ {:>9.4g} ms {:>7.4g} mm2 {:>10.4g} {:>12.4g} {:>14.3g}\n", r.arch_name,
                             r.energy_total_pj * 1e-6, r.latency_s * 1e3, r.area_total_mm2, r.tops_per_w, r.tops_per_mm2,
                             r.tops_per_w / ref.tops_per_w);
  }
  std::cout << "\nwhere the energy goes (share of each chip's energy):\n";
  std::cout << fmt::format("{:<66}", "");
  for (const auto& r : reps) std::cout << fmt::format(" {:>10}", r.arch_name);
  std::cout << "\n";
  nlohmann::ordered_json jchips = nlohmann::ordered_json::array();
  std::vector<nlohmann::ordered_json> breakdowns(reps.size(), nlohmann::ordered_json::object());
  for (const auto& g : groups()) {
    std::cout << fmt::format("{:<66}", g.name);
    for (size_t i = 0; i < reps.size(); ++i) {
      double e = 0;
      for (Component c : g.parts) e += reps[i].energy_pj[static_cast<int>(c)];
      breakdowns[i][g.name] = e;
      std::cout << fmt::format(" {:>9.1f}%", reps[i].energy_total_pj > 0 ? 100 * e / reps[i].energy_total_pj : 0.0);
    }
    std::cout << "\n";
  }
  if (!out.empty()) {
    for (size_t i = 0; i < reps.size(); ++i) {
      const auto& r = reps[i];
      jchips.push_back({{"arch", r.arch_name},
                        {"file", r.arch_file},
                        {"energy_pj", r.energy_total_pj},
                        {"latency_s", r.latency_s},
                        {"area_mm2", r.area_total_mm2},
                        {"tops_per_w", r.tops_per_w},
                        {"tops_per_mm2", r.tops_per_mm2},
                        {"efficiency_vs_first", r.tops_per_w / ref.tops_per_w},
                        {"energy_groups_pj", breakdowns[i]}});
    }
    nlohmann::ordered_json j = {{"schema", "tessera.compare-arch/1"}, {"network", network.name}, {"macs", network.macs()},
                                {"model", "analytical"}, {"chips", jchips}};
    write_file_atomic(out, j.dump(2) + "\n");
  }
  return 0;
}

}  // namespace tessera::cli

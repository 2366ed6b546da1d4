// tessera list: presets and zoo networks; describe-config: every config key;
// export-net: a network as a TOML file.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "arch/config/arch_config.hpp"
#include "sim/cli/common.hpp"
#include "sim/cli/dispatch.hpp"
#include "sim/cli/options.hpp"
#include "sim/report/report.hpp"
#include "workloads/importers/network_toml.hpp"
#include "workloads/load.hpp"
#include "workloads/zoo/zoo.hpp"

namespace tessera::cli {

int cmd_list(const Args& args) {
  po::options_description desc("list options");
  desc.add_options()("help,h", "this help");
  po::variables_map vm;
  if (!parse(args, desc, vm, "tessera list")) return 0;
  namespace fs = std::filesystem;
  std::cout << "arch presets (" << configs_dir() << "/arch):\n";
  std::vector<std::string> presets;
  if (fs::exists(configs_dir() + "/arch"))
    for (const auto& e : fs::directory_iterator(configs_dir() + "/arch"))
      if (e.path().extension() == ".toml") presets.push_back(e.path().stem().string());
  std::sort(presets.begin(), presets.end());
  for (const auto& p : presets) std::cout << "  " << p << "\n";
  std::cout << "\nzoo networks (--net NAME[:key=value,...]; every network takes wbits=, abits=):\n";
  for (const auto& e : zoo::entries()) {
    std::cout << "  " << e.name << std::string(e.name.size() < 16 ? 16 - e.name.size() : 1, ' ') << e.description;
    if (!e.parameters.empty()) std::cout << "  [" << e.parameters << "]";
    std::cout << "\n";
  }
  return 0;
}

int cmd_describe_config(const Args& args) {
  po::options_description desc("describe-config options");
  desc.add_options()("help,h", "this help")("markdown", "print a Markdown table (docs/config-reference.md)");
  po::variables_map vm;
  if (!parse(args, desc, vm, "tessera describe-config [--markdown]")) return 0;
  print_params(describe_arch(), vm.count("markdown") > 0, std::cout);
  return 0;
}

int cmd_export_net(const Args& args) {
  po::options_description desc("export-net options");
  std::string net, out;
  desc.add_options()("help,h", "this help")("net", po::value(&net)->required(), "zoo network or network file")(
      "output,o", po::value(&out), "write the TOML here (default: standard output)");
  po::variables_map vm;
  if (!parse(args, desc, vm, "tessera export-net --net NAME [-o FILE]")) return 0;
  std::string text = network_to_toml(load_network(net));
  if (out.empty()) std::cout << text;
  else write_file_atomic(out, text);
  return 0;
}

#ifdef TESSERA_WITH_NAS
namespace {
[[noreturn]] void exec_nas(const char* command, const Args& args) {
  std::vector<std::string> argv{command};
  argv.insert(argv.end(), args.begin(), args.end());
  exec_sibling("tessera-nas", argv);
}
}  // namespace
#endif

const std::vector<Command>& commands() {
  static const std::vector<Command> c = {
      {"estimate", "analytical latency, energy and area of a network on an accelerator", cmd_estimate},
      {"simulate", "cycle-accurate SystemC simulation: the same report plus stalls, utilisation, traces", cmd_simulate},
      {"compare", "analytical model against simulation, per layer, with the cause of each difference", cmd_compare},
      {"compare-arch", "one network on several chips: energy, latency, area, TOPS/W, energy breakdown", cmd_compare_arch},
      {"list", "arch presets and zoo networks", cmd_list},
      {"describe-config", "every arch config key with type, default and meaning", cmd_describe_config},
      {"export-net", "write a network (zoo or file) as a TOML network file", cmd_export_net},
      {"sweep", "design-space sweep into a results store (status, export, merge, describe)", cmd_sweep},
      {"plot", "plots from a results store or a report: heatmap, Pareto front, per-layer breakdown", cmd_plot},
      {"search", "search networks and hardware together (strategies, Pareto front); 'search export' writes the chosen", cmd_search},
#ifdef TESSERA_WITH_NAS
      // libtorch lives in tessera-nas only: these replace the process by it.
      {"train", "train a network (clean or hardware-aware) on a data set; checkpoints and weight export",
       [](const Args& a) -> int { exec_nas("train", a); }},
      {"evaluate", "accuracy of trained weights on the simulated chip: clean and Monte-Carlo over device draws",
       [](const Args& a) -> int { exec_nas("evaluate", a); }},
#endif
  };
  return c;
}

}  // namespace tessera::cli

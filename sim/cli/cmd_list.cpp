// tessera list: presets and zoo networks; describe-config: every config key;
// export-net: a network as a TOML file.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "arch/config/arch_config.hpp"
#include "arch/functional/weight_files.hpp"
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
  namespace fs = std::filesystem;
  po::options_description desc("export-net options");
  std::string net_spec, out;
  desc.add_options()("help,h", "this help")("net", po::value(&net_spec)->required(), "zoo network or network file")(
      "output,o", po::value(&out),
      "FILE.toml, or a directory for NAME.toml; a network with weights of its own (ONNX) also gets a weight export "
      "(FILE.weights/ or DIR/weights/); default: the TOML on standard output");
  po::variables_map vm;
  if (!parse(args, desc, vm, "tessera export-net --net NAME|FILE [-o FILE.toml|DIR]")) return 0;
  Network net = load_network(net_spec);
  std::string text = network_to_toml(net);
  if (out.empty()) {
    std::cout << text;
    if (net.params) std::cerr << "export-net: the network's weights are not written; give -o FILE.toml or -o DIR\n";
    return 0;
  }
  const bool to_dir = fs::path(out).extension() != ".toml";
  const fs::path toml = to_dir ? fs::path(out) / (net.name + ".toml") : fs::path(out);
  const fs::path weights = to_dir ? fs::path(out) / "weights" : fs::path(out).replace_extension(".weights");
  if (!to_dir) check_output_paths({toml.string()});
  else if (fs::exists(out) && !fs::is_directory(out)) throw InputError({out, 0, 0}, "", "exists and is not a directory");
  if (net.params && fs::exists(weights / "manifest.json"))
    throw InputError({weights.string(), 0, 0}, "", "a weight export is already there; remove it or choose another -o");
  // Quantise (which checks the layers' precisions) before anything is written.
  functional::QuantizedNet q = net.params ? functional::network_weights(net) : functional::QuantizedNet{};
  if (to_dir) fs::create_directories(out);
  if (net.params) functional::write_weight_export(q, net, toml.string(), weights.string());
  write_file_atomic(toml.string(), text);
  std::cout << "network written to " << toml.string()
            << (net.params ? ", its weights to " + weights.string() + "/ (" + std::to_string(net.weight_layers().size()) +
                                 " layers, uniform codes per output channel)"
                           : std::string())
            << "\n";
  return 0;
}


const std::vector<Command>& commands() {
  static const std::vector<Command> c = {
      {"estimate", "analytical latency, energy and area of a network on an accelerator", cmd_estimate},
      // SystemC lives in tessera-sim only: these replace the process by it.
      {"simulate", "cycle-accurate SystemC simulation: the same report plus stalls, utilisation, traces",
       [](const Args& a) -> int { exec_command("tessera-sim", "simulate", a); }},
      {"compare", "analytical model against simulation, per layer, with the cause of each difference",
       [](const Args& a) -> int { exec_command("tessera-sim", "compare", a); }},
      {"compare-arch", "one network on several chips: energy, latency, area, TOPS/W, energy breakdown", cmd_compare_arch},
      {"list", "arch presets and zoo networks", cmd_list},
      {"describe-config", "every arch config key with type, default and meaning", cmd_describe_config},
      {"export-net", "write a network (zoo or file) as a TOML network file, and an ONNX model's weights as a weight export", cmd_export_net},
      {"sweep", "design-space sweep into a results store (status, export, merge, describe)", cmd_sweep},
      {"plot", "plots from a results store or a report: heatmap, Pareto front, per-layer breakdown", cmd_plot},
      // pagmo and XGBoost live in tessera-search only: this replaces the process by it.
      {"search", "search networks and hardware together (strategies, Pareto front); 'search export' writes the chosen",
       [](const Args& a) -> int { exec_command("tessera-search", "search", a); }},
#ifdef TESSERA_WITH_NAS
      // libtorch lives in tessera-nas only: these replace the process by it.
      {"train", "train a network (clean or hardware-aware) on a data set; checkpoints and weight export",
       [](const Args& a) -> int { exec_command("tessera-nas", "train", a); }},
      {"evaluate", "accuracy of trained weights on the simulated chip: clean and Monte-Carlo over device draws",
       [](const Args& a) -> int { exec_command("tessera-nas", "evaluate", a); }},
#endif
  };
  return c;
}

}  // namespace tessera::cli

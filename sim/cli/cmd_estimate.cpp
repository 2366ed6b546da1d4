// tessera estimate: the analytical model, in milliseconds.
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include "arch/analytical/model.hpp"
#include "arch/compile/program.hpp"
#include "arch/compile/programmed_conductance.hpp"
#include "arch/functional/datapath.hpp"
#include "arch/functional/quantized_net.hpp"
#include "arch/cost/cost_table.hpp"
#include "arch/mapping/mapping.hpp"
#include "sim/cli/common.hpp"
#include "sim/cli/options.hpp"
#include "sim/report/report.hpp"
#include "workloads/base/error.hpp"
#include "workloads/io/weights_manifest.hpp"

namespace tessera::cli {

int cmd_estimate(const Args& args) {
  po::options_description desc("estimate options");
  std::string net, arch, out, csv, weights_dir;
  std::vector<std::string> sets;
  functional::DatapathOptions dopt;
  desc.add_options()("help,h", "this help")
      ("net", po::value(&net)->required(), "zoo network (see 'tessera list') or network file (.toml, NeuroSim .csv, .onnx)")
      ("arch", po::value(&arch)->default_value(default_arch()), "arch preset name or file")
      ("set", po::value(&sets)->composing(), "override a config value: --set tile_class.isaac.adc.bits=6 (repeatable)")
      ("output,o", po::value(&out), "write the JSON report here")
      ("csv", po::value(&csv), "write per-layer figures as CSV here")
      ("weights", po::value(&weights_dir),
       "a weight export (manifest.json): the arrays are programmed with it and the cell reads priced at the conductance "
       "they read (docs/cost-model.md); default: the device's mean")
      ("seed", po::value(&dopt.seed)->default_value(1), "with --weights: seed of the device draws at programming")
      ("t-inference", po::value(&dopt.t_inference)->default_value(1.0), "with --weights: seconds from programming to reading (drift)")
      ("quiet,q", "no console table");
  po::variables_map vm;
  if (!parse(args, desc, vm,
             "tessera estimate --net NAME|FILE [--arch FILE] [--set k=v]... [-o report.json] [--csv layers.csv] "
             "[--weights DIR [--seed N] [--t-inference S]]"))
    return 0;
  for (const char* o : {"seed", "t-inference"})
    if (!vm[o].defaulted() && weights_dir.empty())
      throw InputError({"command line", 0, 0}, std::string("--") + o, "only applies with --weights");
  if (!std::isfinite(dopt.t_inference) || dopt.t_inference <= 0)
    throw InputError({"command line", 0, 0}, "--t-inference", "must be a positive number of seconds");

  check_output_paths({out, csv});
  Inputs in = load_inputs(net, arch, sets);
  Mapping map = map_network(in.net, in.arch);
  Program prog = compile(in.net, in.arch, map);
  if (!weights_dir.empty()) {
    // Bad weights fail here, before anything is written.
    const functional::QuantizedNet q = functional::load_weights(in.net, io::read_weights_manifest(weights_dir, in.net));
    price_programmed_conductance(prog, in.arch, functional::programmed_conductances_us(in.net, in.arch, map, prog, q, dopt));
  }
  CostTable cost(in.arch);
  RunResult run = analytical_run(in.net, in.arch, prog);
  Report rep = build_report(in.net, in.arch, map, prog, cost, run);

  // Render everything first: nothing is written unless all of it succeeded.
  std::ostringstream json, table;
  if (!out.empty()) write_json(rep, json);
  if (!csv.empty()) write_layers_csv(rep, table);
  write_files_atomic({{out, json.str()}, {csv, table.str()}});
  if (!vm.count("quiet")) print_console(rep, std::cout);
  return 0;
}

}  // namespace tessera::cli

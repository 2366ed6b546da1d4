// tessera estimate: the analytical model, in milliseconds.
#include <fstream>
#include <iostream>
#include <sstream>

#include "arch/analytical/model.hpp"
#include "arch/compile/program.hpp"
#include "arch/cost/cost_table.hpp"
#include "arch/mapping/mapping.hpp"
#include "sim/cli/common.hpp"
#include "sim/cli/options.hpp"
#include "sim/report/report.hpp"

namespace tessera::cli {

int cmd_estimate(const Args& args) {
  po::options_description desc("estimate options");
  std::string net, arch, out, csv;
  std::vector<std::string> sets;
  desc.add_options()("help,h", "this help")
      ("net", po::value(&net)->required(), "zoo network (see 'tessera list') or network file (.toml, NeuroSim .csv, .onnx)")
      ("arch", po::value(&arch)->default_value(default_arch()), "arch preset name or file")
      ("set", po::value(&sets)->composing(), "override a config value: --set tile_class.isaac.adc.bits=6 (repeatable)")
      ("output,o", po::value(&out), "write the JSON report here")
      ("csv", po::value(&csv), "write per-layer figures as CSV here")
      ("quiet,q", "no console table");
  po::variables_map vm;
  if (!parse(args, desc, vm, "tessera estimate --net NAME|FILE [--arch FILE] [--set k=v]... [-o report.json] [--csv layers.csv]"))
    return 0;

  check_output_paths({out, csv});
  Inputs in = load_inputs(net, arch, sets);
  Mapping map = map_network(in.net, in.arch);
  Program prog = compile(in.net, in.arch, map);
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

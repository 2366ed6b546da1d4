// tessera simulate: the cycle-accurate SystemC model; tessera compare: the
// analytical model against the simulation, layer by layer.
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "arch/analytical/model.hpp"
#include "arch/compile/programmed_conductance.hpp"
#include "arch/cost/cost_table.hpp"
#include "sim/cli/common.hpp"
#include "sim/cli/options.hpp"
#include "sim/report/report.hpp"
#include "sim/run/functional.hpp"
#include "sim/run/simulate.hpp"
#include "sim/run/stream_limits.hpp"
#include "workloads/datasets/dataset.hpp"
#include "workloads/io/npy.hpp"

namespace tessera::cli {

namespace {

void stream_option(po::options_description& d, int64_t& images) {
  d.add_options()("stream", po::value(&images)->default_value(1),
                  "simulate N images back to back and measure the steady-state interval between their outputs "
                  "(throughput_fps); 1: one image, throughput from the formula");
}

int check_stream(int64_t images) {
  if (images < 1 || images > kMaxStreamImages)
    throw InputError({"command line", 0, 0}, "--stream",
                     "must be between 1 and " + std::to_string(kMaxStreamImages) + " images, got " + std::to_string(images));
  return int(images);
}

void common_options(po::options_description& d, std::string& net, std::string& arch, std::vector<std::string>& sets) {
  d.add_options()("help,h", "this help")
      ("net", po::value(&net)->required(), "zoo network (see 'tessera list') or network file (.toml, NeuroSim .csv, .onnx)")
      ("arch", po::value(&arch)->default_value(default_arch()), "arch preset name or file")
      ("set", po::value(&sets)->composing(), "override a config value: --set tile_class.isaac.adc.bits=6 (repeatable)");
}

}  // namespace

int cmd_simulate(const Args& args) {
  po::options_description desc("simulate options");
  std::string net, arch, out, csv, trace, vcd_file, output_npy, dataset, data_dir;
  int64_t images = 0, stream = 1;
  std::vector<std::string> sets;
  FunctionalOptions fopt;
  common_options(desc, net, arch, sets);
  stream_option(desc, stream);
  desc.add_options()("output,o", po::value(&out), "write the JSON report (with statistics) here")
      ("csv", po::value(&csv), "write per-layer figures as CSV here")
      ("trace", po::value(&trace), "write a Chrome trace-event file (Perfetto, chrome://tracing)")
      ("vcd", po::value(&vcd_file), "write busy signals per tile and stage as VCD (GTKWave); for small runs")
      ("clocked", "reference mode: evaluate every unit every cycle (slow)")
      ("functional", "compute the network's output on the simulated hardware (docs/functional-model.md)")
      ("weights", po::value(&fopt.weights_dir), "functional: weight export directory (manifest.json); default: seeded random weights")
      ("input", po::value(&fopt.input_file), "functional: input image, .npy of shape (C, H, W), uint8 or float; default: seeded random uint8 image")
      ("seed", po::value(&fopt.seed)->default_value(1), "functional: seed of random weights, random image and device variation")
      ("t-inference", po::value(&fopt.t_inference)->default_value(1.0), "functional: seconds from programming to reading the arrays (drift)")
      ("output-npy", po::value(&output_npy), "functional: write the logits as a float64 .npy here")
      ("drift-compensation", "functional: per-layer global drift compensation (reference read right after programming)")
      ("dataset", po::value(&dataset), "functional: run the test set of fashion-mnist, cifar10 or idx on the simulated chip and report accuracy (image 0 is the simulated one)")
      ("data-dir", po::value(&data_dir), "functional: directory of the data set files")
      ("images", po::value(&images)->default_value(0), "functional with --dataset: the first N test images (0: all)")
      ("quiet,q", "no console table");
  po::variables_map vm;
  if (!parse(args, desc, vm,
             "tessera simulate --net NAME|FILE [--arch FILE] [--set k=v]... [-o report.json] [--csv layers.csv] "
             "[--trace trace.json] [--vcd waves.vcd] [--clocked] [--stream N] [--functional [--weights DIR] [--input FILE.npy] "
             "[--seed N] [--t-inference S] [--output-npy FILE] [--drift-compensation] "
             "[--dataset NAME [--data-dir DIR] [--images N]]]"))
    return 0;
  const bool functional = vm.count("functional") > 0;
  for (const char* o : {"weights", "input", "output-npy", "dataset", "data-dir", "drift-compensation"})
    if (vm.count(o) && !functional)
      throw InputError({"command line", 0, 0}, std::string("--") + o, "only applies with --functional");
  if (vm.count("input") && vm.count("dataset"))
    throw InputError({"command line", 0, 0}, "--input", "give either --input or --dataset");
  if (images < 0) throw InputError({"command line", 0, 0}, "--images", "must not be negative");
  const int stream_images = check_stream(stream);
  if (functional && stream_images > 1)
    throw InputError({"command line", 0, 0}, "--stream", "the functional mode simulates one image (--stream 1)");
  fopt.drift_compensation = vm.count("drift-compensation") > 0;
  check_output_paths({out, csv, trace, vcd_file, output_npy});
  Inputs in = load_inputs(net, arch, sets);
  Mapping map = map_network(in.net, in.arch);
  Program prog = compile(in.net, in.arch, map);
  CostTable cost(in.arch);
  data::ImageSet test_set, calibration_set;
  if (!dataset.empty()) {
    test_set = data::load_dataset(dataset, data::Split::Test, data_dir);
    fopt.dataset = &test_set;
    // Calibrated ADC ranges come from training images, never from the test images scored.
    if (functional && functional::Datapath::adc_calibration_images(in.arch) > 0) {
      calibration_set = data::load_dataset(dataset, data::Split::Train, data_dir);
      fopt.calibration_set = &calibration_set;
    }
  }
  // Bad weights or images fail here, before the simulation and before any output.
  std::unique_ptr<FunctionalRun> fun = functional ? prepare_functional(in.net, in.arch, map, prog, fopt) : nullptr;
  // The weights are known: cell reads cost what the programmed cells conduct.
  if (fun) price_programmed_conductance(prog, in.arch, fun->datapath->read_conductances_us());
  const bool record = !trace.empty() || !vcd_file.empty();
  SimRun run = run_simulation(in.net, in.arch, prog, vm.count("clocked") ? sc::Mode::Clocked : sc::Mode::Event, record,
                              fun ? fun->datapath.get() : nullptr, stream_images);
  if (fun) finish_functional(*fun);
  Report rep = build_report(in.net, in.arch, map, prog, cost, run.result);
  std::string stats;
  run.stats.write_json(stats);
  rep.stats_json = stats;
  if (fun) rep.functional_json = functional_json(*fun, in.net, in.arch, map, prog);
  std::unique_ptr<DatasetResult> ds;
  if (fun && fopt.dataset) {
    ds = std::make_unique<DatasetResult>(run_dataset(*fun, test_set, images));
    nlohmann::json f = nlohmann::json::parse(rep.functional_json);
    f["dataset"] = nlohmann::json::parse(dataset_json(*ds));
    rep.functional_json = f.dump();
  }

  std::ostringstream json, table;
  if (!out.empty()) write_json(rep, json);
  if (!csv.empty()) write_layers_csv(rep, table);
  std::string trace_text = trace.empty() ? "" : chrome_trace(run.activity, in.arch.clock_ghz);
  // A stream's waves run to its last image's end.
  const int64_t end = run.result.image_end.empty() ? run.result.cycles : run.result.image_end.back();
  std::string vcd_text = vcd_file.empty() ? "" : vcd(run.activity, end, in.arch.clock_ghz);
  std::string npy_text;
  if (fun && !output_npy.empty()) {
    const std::vector<double>& logits = fun->logits;
    const std::vector<uint8_t> bytes = io::format_npy(io::NpyArray::of_doubles(logits, {int64_t(logits.size())}));
    npy_text.assign(bytes.begin(), bytes.end());
  }
  write_files_atomic({{out, json.str()},
                      {csv, table.str()},
                      {trace, trace_text},
                      {vcd_file, vcd_text},
                      {npy_text.empty() ? std::string() : output_npy, npy_text}});
  if (!vm.count("quiet")) {
    print_console(rep, std::cout);
    std::cout << fmt::format("simulated  {} model events ({} process activations) in {:.3f} s\n", rep.sim_events,
                             rep.sim_activations, rep.model_wall_s);
    if (fun) std::cout << functional_summary(*fun);
    if (ds) std::cout << dataset_summary(*ds);
  }
  return 0;
}

int cmd_compare(const Args& args) {
  po::options_description desc("compare options");
  std::string net, arch, out;
  std::vector<std::string> sets;
  int64_t stream = 1;
  common_options(desc, net, arch, sets);
  stream_option(desc, stream);
  desc.add_options()("output,o", po::value(&out), "write the comparison as JSON here")("quiet,q", "no console table");
  po::variables_map vm;
  if (!parse(args, desc, vm, "tessera compare --net NAME|FILE [--arch FILE] [--set k=v]... [--stream N] [-o compare.json] [-q]"))
    return 0;
  const int stream_images = check_stream(stream);
  check_output_paths({out});
  Inputs in = load_inputs(net, arch, sets);
  Mapping map = map_network(in.net, in.arch);
  Program prog = compile(in.net, in.arch, map);
  CostTable cost(in.arch);
  RunResult ana = analytical_run(in.net, in.arch, prog);
  SimRun sim = run_simulation(in.net, in.arch, prog, sc::Mode::Event, false, nullptr, stream_images);
  Report ra = build_report(in.net, in.arch, map, prog, cost, ana);
  Report rs = build_report(in.net, in.arch, map, prog, cost, sim.result);

  // The cause of a layer's extra time: its own contention stalls, else what it inherited.
  auto cause = [&](size_t i) -> std::string {
    const auto& st = sim.result.hosts[i].stall;
    StallCause best = StallCause::kCount;
    int64_t most = 0;
    for (StallCause c : {StallCause::BufferPort, StallCause::Network, StallCause::OutputSpace, StallCause::Dependency}) {
      if (st[int(c)] > most) {
        most = st[int(c)];
        best = c;
      }
    }
    const int64_t d_end = sim.result.hosts[i].end - ana.hosts[i].end;
    if (d_end == 0) return "-";
    // Incoming rows delayed by the network on the way to its tiles.
    if (2 * most < std::abs(d_end) && sim.result.hosts[i].incoming_wait > most) {
      most = sim.result.hosts[i].incoming_wait;
      best = StallCause::kCount;
      if (2 * most >= std::abs(d_end)) return "network (incoming rows)";
    }
    // Its own contention explains the difference when it accounts for at least half of it.
    if (best == StallCause::kCount || 2 * most < std::abs(d_end)) return "upstream (later input)";
    return to_string(best);
  };
  auto rel = [](double a, double b) { return b == 0 ? 0.0 : (a - b) / b; };
  std::ostringstream unused;
  std::ostream& console = vm.count("quiet") ? unused : std::cout;
  console << fmt::format("{:<22} {:>12} {:>12} {:>8} {:>12} {:>9}  {}\n", "layer", "analytical", "simulated", "error",
                           "energy err", "", "dominant cause of the difference");
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (size_t i = 0; i < prog.hosts.size(); ++i) {
    const auto& a = ana.hosts[i];
    const auto& s = sim.result.hosts[i];
    double e = rel(rs.layers[i].energy_total_pj, ra.layers[i].energy_total_pj);
    std::string c = cause(i);
    console << fmt::format("{:<22} {:>12} {:>12} {:>7.2f}% {:>11.2g}%  {:>9}  {}\n", rs.layers[i].name, a.end, s.end,
                             100 * rel(double(s.end), double(a.end)), 100 * e, "", c);
    layers.push_back({{"name", rs.layers[i].name},
                      {"analytical_end_cycle", a.end},
                      {"simulated_end_cycle", s.end},
                      {"analytical_start_cycle", a.start},
                      {"simulated_start_cycle", s.start},
                      {"end_error", rel(double(s.end), double(a.end))},
                      {"energy_error", e},
                      {"cause", c}});
  }
  double lat_err = rel(double(rs.cycles), double(ra.cycles));
  double en_err = rel(rs.energy_total_pj, ra.energy_total_pj);
  console << fmt::format("\ntotal latency: analytical {} cycles, simulated {} cycles, error {:.3f}%\n", ra.cycles, rs.cycles,
                           100 * lat_err);
  console << fmt::format("total energy:  analytical {:.6g} pJ, simulated {:.6g} pJ, error {:.3g}% (leakage follows latency)\n",
                           ra.energy_total_pj, rs.energy_total_pj, 100 * en_err);
  // The interval between images: the analytical formula against the simulated stream's measurement.
  const double int_err = rel(rs.interval_cycles, ra.interval_cycles);
  if (rs.interval_measured)
    console << fmt::format("interval:      analytical {:.6g} cycles (formula), simulated {:.6g} cycles over {} images, "
                             "error {:.3f}%\n",
                             ra.interval_cycles, rs.interval_cycles, rs.images, 100 * int_err);
  console << fmt::format("model time:    analytical {:.3g} s, simulation {:.3g} s\n", ra.model_wall_s, rs.model_wall_s);
  if (!out.empty()) {
    nlohmann::ordered_json j = {{"schema", "tessera.compare/1"},
                                {"network", in.net.name},
                                {"arch", in.arch.name},
                                {"analytical_cycles", ra.cycles},
                                {"simulated_cycles", rs.cycles},
                                {"latency_error", lat_err},
                                {"analytical_energy_pj", ra.energy_total_pj},
                                {"simulated_energy_pj", rs.energy_total_pj},
                                {"energy_error", en_err},
                                {"images", rs.images},
                                {"analytical_interval_cycles", ra.interval_cycles},
                                {"simulated_interval_cycles", rs.interval_measured ? nlohmann::ordered_json(rs.interval_cycles)
                                                                                   : nlohmann::ordered_json()},
                                {"interval_error", rs.interval_measured ? nlohmann::ordered_json(int_err)
                                                                        : nlohmann::ordered_json()},
                                {"layers", layers}};
    write_file_atomic(out, j.dump(2) + "\n");
  }
  return 0;
}

}  // namespace tessera::cli

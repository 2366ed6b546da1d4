// tessera evaluate: the accuracy of trained weights on the simulated chip
// (nas/chip_eval.hpp): clean (float checkpoint, when given), ideal devices
// (the export's quantised network), and Monte-Carlo over device draws at
// inference times, with mean, standard deviation and AVM.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "arch/device/device.hpp"
#include "arch/functional/datapath.hpp"
#include "arch/functional/reference.hpp"
#include "arch/mapping/mapping.hpp"
#include "nas/chip_eval.hpp"
#include "nas/trainer.hpp"
#include "nas/weight_export.hpp"
#include "sim/cli/common.hpp"
#include "sim/cli/options.hpp"
#include "sim/cli/progress.hpp"
#include "sim/report/report.hpp"
#include "workloads/datasets/dataset.hpp"
#include "workloads/io/weights_manifest.hpp"

namespace tessera::cli {

namespace {

std::vector<double> parse_times(const std::string& s) {
  std::vector<double> t;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t used = 0;
    double v = -1;
    try {
      v = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || !(v > 0) || !std::isfinite(v))
      throw InputError({"command line", 0, 0}, "--times",
                       "'" + item + "' is not allowed; allowed: positive seconds, comma-separated (1,3600,86400,2592000)");
    t.push_back(v);
  }
  if (t.empty()) throw InputError({"command line", 0, 0}, "--times", "give at least one time");
  return t;
}

}  // namespace

int cmd_evaluate(const Args& args) {
  po::options_description desc("evaluate options");
  std::string net_spec, arch, weights, checkpoint, dataset, data_dir, times = "1,3600,86400,2592000", out, export_dir;
  std::vector<std::string> sets;
  int runs = 10, threads = 0, batch = 200, calibration = 1000;
  int64_t images = 0;
  uint64_t seed = 1;
  desc.add_options()("help,h", "this help")
      ("net", po::value(&net_spec)->required(), "zoo network or network file")
      ("arch", po::value(&arch)->default_value(default_arch()), "arch preset or file: the chip (mapping, cells, DACs, ADCs, devices)")
      ("set", po::value(&sets)->composing(), "override an arch config value (repeatable), e.g. --set device.rram.sigma=0.05")
      ("weights", po::value(&weights), "a weight export (manifest.json with input scales); default for an ONNX network: its own weights, input scales calibrated on --calibration-images training images")
      ("checkpoint", po::value(&checkpoint), "a training checkpoint; exported in memory (calibrated on training images)")
      ("dataset", po::value(&dataset)->required(), "fashion-mnist, cifar10 or idx")
      ("data-dir", po::value(&data_dir), "directory of the data set files")
      ("images", po::value(&images)->default_value(0), "the first N test images (0: all)")
      ("device-runs", po::value(&runs)->default_value(10), "Monte-Carlo device draws (run k uses seed + k)")
      ("times", po::value(&times)->default_value(times), "inference times after programming, seconds, comma-separated")
      ("seed", po::value(&seed)->default_value(1), "seed of the first device draw")
      ("no-drift-compensation", "read the arrays without global drift compensation")
      ("calibration-images", po::value(&calibration)->default_value(1000), "with --checkpoint or an ONNX network's own weights: training images for input scales")
      ("export", po::value(&export_dir), "with --checkpoint: also write its weight export to this directory (before evaluating)")
      ("batch-size", po::value(&batch)->default_value(200), "images per batch")
      ("threads", po::value(&threads)->default_value(0), "torch threads (0: default)")
      ("output,o", po::value(&out), "write the JSON report here");
  po::variables_map vm;
  if (!parse(args, desc, vm,
             "tessera evaluate --net NAME|FILE --arch FILE [--set k=v]... [--weights DIR | --checkpoint DIR] "
             "--dataset NAME [--device-runs N] [--times T1,T2,...] [-o report.json]"))
    return 0;
  auto need = [](bool ok, const char* opt_name, const std::string& what) {
    if (!ok) throw InputError({"command line", 0, 0}, opt_name, what);
  };
  need(weights.empty() || checkpoint.empty(), "--weights", "give at most one of --weights DIR and --checkpoint DIR");
  need(runs >= 1 && runs <= 100000, "--device-runs", fmt::format("{} is out of range; allowed: 1 to 100000", runs));
  need(images >= 0, "--images", "must not be negative");
  need(batch >= 1, "--batch-size", "must be at least 1");
  need(calibration >= 1, "--calibration-images", "must be at least 1");
  need(export_dir.empty() || !checkpoint.empty(), "--export", "only applies with --checkpoint");
  check_output_paths({out});  // a bad report path fails before the evaluation, not after it
  nas::ChipEvalOptions opt;
  opt.times_s = parse_times(times);
  opt.runs = runs;
  opt.seed = seed;
  opt.drift_compensation = !vm.count("no-drift-compensation");
  opt.batch_size = batch;
  opt.images = images;
  nas::set_threads(threads);

  Inputs in = load_inputs(net_spec, arch, sets);
  data::ImageSet test_set = data::load_dataset(dataset, data::Split::Test, data_dir);
  functional::QuantizedNet q;
  double clean = -1;
  if (!checkpoint.empty()) {
    data::ImageSet train_set = data::load_dataset(dataset, data::Split::Train, data_dir);
    nas::ExportOptions eo;
    eo.calibration_images = calibration;
    nas::WeightExport e = nas::export_weights(in.net, net_spec, checkpoint, train_set, eo);
    q = nas::to_quantized(e, in.net);
    clean = nas::evaluate_checkpoint(in.net, checkpoint, test_set);
    if (!export_dir.empty()) {
      nas::write_export(e, in.net, export_dir);
      std::cout << "weights exported to " << export_dir << "\n";
    }
  } else if (weights.empty()) {
    // The network's own weights (ONNX), input scales calibrated on training images.
    need(in.net.params != nullptr, "--weights",
         "give --weights DIR or --checkpoint DIR; network '" + in.net.name + "' carries no weights of its own");
    q = functional::network_weights(in.net);
    functional::set_input_signedness(in.net, q, false);
    data::ImageSet train_set = data::load_dataset(dataset, data::Split::Train, data_dir);
    need(train_set.channels == in.net.input.c && train_set.height == in.net.input.h && train_set.width == in.net.input.w,
         "--dataset", fmt::format("images are {}x{}x{}; network '{}' takes {}", train_set.channels, train_set.height,
                                  train_set.width, in.net.name, in.net.input.str()));
    std::vector<functional::InputImage> images;
    for (int64_t i = 0; i < std::min<int64_t>(calibration, train_set.count); ++i)
      images.push_back(functional::image_from_pixels(train_set.image(i), in.net.input, train_set.name));
    functional::calibrate(in.net, q, images);
  } else {
    q = functional::load_weights(in.net, io::read_weights_manifest(weights, in.net));
    functional::set_input_signedness(in.net, q, false);
    for (int i : in.net.weight_layers())
      if (!(q.at(i).input.scale > 0))
        throw InputError({weights + "/manifest.json", 0, 0}, "layers." + in.net.layers[size_t(i)].name + ".input_scale",
                         "missing; evaluation needs every layer's input scale (tessera train writes them)");
  }
  // Calibrated ADC ranges come from training images, never from the test images scored.
  data::ImageSet calibration_set;
  if (functional::Datapath::adc_calibration_images(in.arch) > 0) {
    calibration_set = data::load_dataset(dataset, data::Split::Train, data_dir);
    opt.calibration_set = &calibration_set;
  }
  Progress progress("evaluating");
  opt.progress = [&](double fraction, const std::string& what) { progress.update(fraction, what); };
  nas::ChipEvalResult r = nas::evaluate_on_chip(in.net, in.arch, q, test_set, opt);
  progress.clear();

  Mapping map = map_network(in.net, in.arch);
  std::string devices;
  for (int i : in.net.weight_layers()) {
    const std::string d = in.arch.device_of(map.layers[size_t(i)].tile_class).impl();
    if (devices.find(d) == std::string::npos) devices += (devices.empty() ? "" : ", ") + d;
  }
  std::cout << fmt::format("{} on {} ({} devices{}), {} {} test images\n", in.net.name, in.arch.name, devices,
                           opt.drift_compensation ? ", drift compensation" : "", r.images, dataset);
  if (clean >= 0) std::cout << fmt::format("clean (float checkpoint):   {:6.2f}%\n", 100 * clean);
  std::cout << fmt::format("chip, ideal devices:        {:6.2f}%\n", 100 * r.ideal_accuracy);
  for (const auto& p : r.points) std::cout << nas::drift_line(p) << "\n";
  const double avm = r.points.back().mean - r.points.front().mean;
  if (r.points.size() > 1)
    std::cout << fmt::format("AVM (t = {:g} s minus t = {:g} s): {:+.2f} points\n", r.points.back().t_s,
                             r.points.front().t_s, 100 * avm);
  std::cout << fmt::format("{:.1f} s\n", r.seconds);

  if (!out.empty()) {
    nlohmann::ordered_json j;
    j["schema"] = "tessera.evaluate/1";
    j["network"] = net_spec;
    j["arch"] = in.arch.name;
    j["set"] = sets;
    j[checkpoint.empty() ? "weights" : "checkpoint"] =
        !checkpoint.empty() ? checkpoint : !weights.empty() ? weights : q.source;
    j["dataset"] = dataset;
    j["images"] = r.images;
    j["devices"] = devices;
    j["device_runs"] = runs;
    j["seed"] = seed;
    j["drift_compensation"] = opt.drift_compensation;
    j["clean_accuracy"] = clean >= 0 ? nlohmann::ordered_json(clean) : nlohmann::ordered_json();
    j["ideal_chip_accuracy"] = r.ideal_accuracy;
    auto& pts = j["times"] = nlohmann::ordered_json::array();
    for (const auto& p : r.points)
      pts.push_back({{"t_s", p.t_s}, {"mean", p.mean}, {"std", p.std}, {"accuracy", p.accuracy}});
    j["avm"] = avm;
    j["seconds"] = r.seconds;
    write_file_atomic(out, j.dump(2) + "\n");
  }
  return 0;
}

}  // namespace tessera::cli

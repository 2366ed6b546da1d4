#include "sim/run/functional.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "arch/device/device.hpp"
#include "arch/functional/reference.hpp"
#include "workloads/io/weights_manifest.hpp"

namespace tessera {

std::unique_ptr<FunctionalRun> prepare_functional(const Network& net, const ArchConfig& arch, const Mapping& map,
                                                  const Program& prog, const FunctionalOptions& opt) {
  if (!std::isfinite(opt.t_inference) || opt.t_inference <= 0)
    throw InputError({"command line", 0, 0}, "--t-inference",
                     fmt::format("{} is not allowed; allowed: a positive number of seconds", opt.t_inference));
  auto run = std::make_unique<FunctionalRun>();
  run->options = opt;
  // An export given wins; else the network's own weights (ONNX); else seeded random ones.
  run->q = !opt.weights_dir.empty() ? functional::load_weights(net, io::read_weights_manifest(opt.weights_dir, net))
           : net.params            ? functional::network_weights(net)
                                   : functional::random_weights(net, opt.seed);
  if (opt.dataset) {
    const data::ImageSet& d = *opt.dataset;
    if (d.channels != net.input.c || d.height != net.input.h || d.width != net.input.w)
      throw InputError({d.name, 0, 0}, "", fmt::format("images are {}x{}x{}; network '{}' takes {}", d.channels, d.height,
                                                       d.width, net.name, net.input.str()));
    if (d.count < 1) throw InputError({d.name, 0, 0}, "", "the data set has no images");
    run->image = functional::image_from_pixels(d.image(0), net.input, d.name + "[0]");
  } else {
    run->image = opt.input_file.empty() ? functional::random_input(net.input, opt.seed)
                                        : functional::read_input(opt.input_file, net.input);
  }
  functional::set_input_signedness(net, run->q, run->image.has_negative());
  functional::calibrate(net, run->q, run->image);
  run->reference_logits = functional::logits_of(functional::run_reference(net, run->q, run->image));
  functional::DatapathOptions dopt;
  dopt.seed = opt.seed;
  dopt.t_inference = opt.t_inference;
  dopt.drift_compensation = opt.drift_compensation;
  run->datapath = std::make_unique<functional::Datapath>(net, arch, map, prog, run->q, dopt);
  if (const int n = functional::Datapath::adc_calibration_images(arch))
    run->datapath->calibrate_adc(opt.calibration_set ? functional::first_images(*opt.calibration_set, n, net.input)
                                                     : std::vector<functional::InputImage>{run->image});
  run->datapath->begin(run->image);
  return run;
}

void finish_functional(FunctionalRun& run) {
  if (!run.datapath->complete()) throw std::logic_error("functional mode: the simulation left layers uncomputed");
  run.logits = run.datapath->logits();
}

std::string functional_json(const FunctionalRun& run, const Network& net, const ArchConfig& arch, const Mapping& map,
                            const Program& prog) {
  using J = nlohmann::ordered_json;
  const std::vector<double>& logits = run.logits;
  const functional::LogitComparison c = functional::compare_logits(logits, run.reference_logits);
  J j;
  j["weights"] = run.q.source;
  j["input"] = run.image.source;
  j["seed"] = run.options.seed;
  j["t_inference_s"] = run.options.t_inference;
  j["drift_compensation"] = run.options.drift_compensation;
  j["signed_weights"] = arch.mapping.signed_weights;
  j["logits"] = logits;
  j["argmax"] = c.argmax;
  j["reference"] = {{"logits", run.reference_logits}, {"argmax", c.reference_argmax}};
  j["comparison"] = {{"exact", c.exact},
                     {"max_abs_error", c.max_abs_error},
                     {"rms_error", c.rms_error},
                     {"top1_agrees", c.top1_agrees}};
  J layers = J::array();
  for (size_t h = 0; h < prog.hosts.size(); ++h) {
    const int li = prog.hosts[h].layer;
    const Layer& l = net.layers[size_t(li)];
    const auto& ql = run.q.at(li);
    const auto& tc = arch.tile_classes[size_t(map.layers[size_t(li)].tile_class)];
    layers.push_back({{"name", l.name},
                      {"weight_bits", l.weight_bits},
                      {"activation_bits", l.activation_bits},
                      {"input_scale", ql.input.scale},
                      {"input_signed", ql.input.is_signed},
                      {"device", arch.device_of(map.layers[size_t(li)].tile_class).impl()},
                      {"adc_bits", tc.adc.bits},
                      {"adc_step_log2", run.datapath->adc_step_log2(int(h))}});
  }
  j["layers"] = layers;
  return j.dump();
}

std::string functional_summary(const FunctionalRun& run) {
  const functional::LogitComparison c = functional::compare_logits(run.logits, run.reference_logits);
  std::string s = fmt::format("functional argmax {} (integer reference {}): ", c.argmax, c.reference_argmax);
  if (c.exact) return s + "logits identical to the integer reference\n";
  return s + fmt::format("logit error max {:.4g}, rms {:.4g}; top-1 {}\n", c.max_abs_error, c.rms_error,
                         c.top1_agrees ? "agrees" : "differs");
}

}  // namespace tessera

namespace tessera {

DatasetResult run_dataset(FunctionalRun& run, const data::ImageSet& set, int64_t n) {
  DatasetResult r;
  r.name = set.name;
  r.images = std::min<int64_t>(n > 0 ? n : set.count, set.count);
  const std::vector<double>& simulated = run.logits;
  const Shape& shape = run.image.real.shape;
  const auto t0 = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < r.images; ++i) {
    const std::vector<double> logits = run.datapath->run(functional::image_from_pixels(set.image(i), shape, set.name));
    if (i == 0) r.first_matches_simulation = logits == simulated;
    const size_t best = size_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
    if (best == size_t(set.labels[size_t(i)])) ++r.correct;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.accuracy = r.images ? double(r.correct) / double(r.images) : 0.0;
  r.ms_per_image = r.images ? 1e3 * r.seconds / double(r.images) : 0.0;
  return r;
}

std::string dataset_json(const DatasetResult& r) {
  nlohmann::ordered_json j = {{"name", r.name},
                              {"images", r.images},
                              {"correct", r.correct},
                              {"accuracy", r.accuracy},
                              {"seconds", r.seconds},
                              {"ms_per_image", r.ms_per_image},
                              {"first_image_matches_simulation", r.first_matches_simulation}};
  return j.dump();
}

std::string dataset_summary(const DatasetResult& r) {
  return fmt::format("{}: accuracy {:.2f}% ({}/{}) on the simulated chip, {:.2f} ms per image (standalone datapath, "
                     "one core); image 0 {} the SystemC-driven run\n",
                     r.name, 100 * r.accuracy, r.correct, r.images, r.ms_per_image,
                     r.first_matches_simulation ? "equals" : "DIFFERS FROM");
}

}  // namespace tessera

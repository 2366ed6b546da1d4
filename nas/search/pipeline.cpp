#include "nas/search/pipeline.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "nas/search/halving.hpp"

namespace tessera::search {

EvaluationPlan EvaluationPlan::load(const io::Section& s) {
  EvaluationPlan p;
  p.dataset = s.string("dataset", "data set of training and evaluation", p.dataset, {"fashion-mnist", "cifar10"});
  p.data_dir = s.string("data_dir", "directory of the data set files (empty: the usual place)", p.data_dir);
  p.epochs = int(s.integer("epochs", "training epochs per candidate (0: estimate only)", p.epochs, 0, 1000));
  p.min_epochs = int(s.integer("min_epochs", "successive halving: epochs of the first rung (0: no halving, every candidate trains for epochs)", p.min_epochs, 0, 1000));
  p.eta = int(s.integer("eta", "successive halving: the best 1/eta of a rung train on for eta times the epochs", p.eta, 2, 100));
  s.check(p.min_epochs < p.epochs || p.min_epochs == 0, "min_epochs", "must be below epochs (or 0: no halving)");
  p.proxy_epochs = int(s.integer("proxy_epochs", "accuracy proxy: epochs of a short training without the array model (0: no proxy)", p.proxy_epochs, 0, 1000));
  p.proxy_images = s.integer("proxy_images", "accuracy proxy: train on the first N training images", p.proxy_images, 1, INT64_MAX);
  p.simulate_front = s.boolean("simulate_front", "run the cycle-level simulation of the final Pareto set", p.simulate_front);
  p.train_images = s.integer("train_images", "train on the first N training images (0: all)", 0, 0, INT64_MAX);
  p.test_images = s.integer("test_images", "training's test accuracy on the first N test images (0: all)", 0, 0, INT64_MAX);
  p.hwa = s.string("hwa", "hardware-aware training: Gaussian weight noise level (as --hwa) or device", p.hwa);
  if (p.hwa != "device" && !s.describing()) {
    char* end = nullptr;
    const double v = std::strtod(p.hwa.c_str(), &end);
    s.check(!p.hwa.empty() && *end == '\0' && v >= 0 && v <= 10, "hwa", "'" + p.hwa + "' is not allowed; allowed: 0 to 10, or device");
  }
  p.hwa_periphery = s.boolean("hwa_periphery", "train through the array model (DAC, output noise, ADC per array)", p.hwa_periphery);
  s.check(!(p.hwa_periphery && p.hwa == "device"), "hwa_periphery", "the array model takes a noise level, not device");
  p.ternary = s.string("ternary", "TWN ternary weights for: none, ap (layers on AP units), all", p.ternary, {"none", "ap", "all"});
  p.lr = s.number("lr", "learning rate", p.lr, 1e-9, 10);
  p.batch_size = int(s.integer("batch_size", "mini-batch size", p.batch_size, 1, 65536));
  p.threads = int(s.integer("threads", "torch threads of each training or evaluation process", p.threads, 1, 256));
  p.seed = uint64_t(s.integer("seed", "seed of training and device draws", 1, 0, INT32_MAX));
  p.device_runs = int(s.integer("device_runs", "Monte-Carlo device draws on the chip (0: no chip evaluation)", p.device_runs, 0, 100000));
  p.times_s = s.number_list("times_s", "inference times after programming, seconds (drift)", p.times_s, 1e-9, 1e12);
  s.check(!p.times_s.empty(), "times_s", "give at least one time");
  p.eval_images = s.integer("eval_images", "chip evaluation on the first N test images (0: all)", 0, 0, INT64_MAX);
  s.check(p.device_runs == 0 || p.epochs > 0, "device_runs", "the chip evaluation needs trained weights (epochs >= 1)");
  s.finish();
  return p;
}

std::vector<int> EvaluationPlan::rungs() const { return rung_epochs(min_epochs, eta, epochs); }

namespace {

std::vector<std::string> chip_args(const std::string& arch, const Candidate& c) {
  std::vector<std::string> chip = {"--net", c.net, "--arch", arch};
  for (const auto& s : c.sets) {
    chip.push_back("--set");
    chip.push_back(s);
  }
  return chip;
}

std::string train_dir(const EvaluationPlan& p, const std::string& dir, int epochs) {
  return epochs == p.epochs ? dir + "/train" : fmt::format("{}/train-{}ep", dir, epochs);
}

}  // namespace

StageCommand estimate_command(const EvaluationPlan&, const std::string& arch, const Candidate& c,
                              const std::string& dir) {
  StageCommand est{"estimate", {"estimate"}, dir + "/estimate.json", dir + "/estimate.json"};
  const auto chip = chip_args(arch, c);
  est.args.insert(est.args.end(), chip.begin(), chip.end());
  est.args.insert(est.args.end(), {"-q", "-o", est.report});
  return est;
}

StageCommand train_command(const EvaluationPlan& p, const std::string& arch, const Candidate& c,
                           const std::string& dir, int epochs) {
  const std::string out = train_dir(p, dir, epochs);
  StageCommand tr{epochs == p.epochs ? "train" : fmt::format("train-{}ep", epochs), {"train"}, out + "/train.json", out};
  const auto chip = chip_args(arch, c);
  tr.args.insert(tr.args.end(), chip.begin(), chip.end());
  tr.args.insert(tr.args.end(), {"--dataset", p.dataset, "--hwa", p.hwa, "--epochs", std::to_string(epochs),
                                 "--lr", fmt::format("{}", p.lr), "--batch-size", std::to_string(p.batch_size),
                                 "--threads", std::to_string(p.threads), "--seed", std::to_string(p.seed),
                                 "--train-images", std::to_string(p.train_images), "--test-images",
                                 std::to_string(p.test_images), "--ternary", p.ternary, "-o", out});
  if (p.hwa_periphery) tr.args.push_back("--hwa-periphery");
  // Only the full budget's weights are evaluated on the chip and exported.
  if (epochs != p.epochs) tr.args.push_back("--no-export");
  if (!p.data_dir.empty()) tr.args.insert(tr.args.end(), {"--data-dir", p.data_dir});
  return tr;
}

StageCommand proxy_command(const EvaluationPlan& p, const std::string& arch, const Candidate& c,
                           const std::string& dir) {
  StageCommand pr{"proxy", {"train"}, dir + "/proxy/train.json", dir + "/proxy"};
  const auto chip = chip_args(arch, c);
  pr.args.insert(pr.args.end(), chip.begin(), chip.end());
  pr.args.insert(pr.args.end(), {"--dataset", p.dataset, "--epochs", std::to_string(p.proxy_epochs), "--lr",
                                 fmt::format("{}", p.lr), "--batch-size", std::to_string(p.batch_size), "--threads",
                                 std::to_string(p.threads), "--seed", std::to_string(p.seed), "--train-images",
                                 std::to_string(p.proxy_images), "--test-images", std::to_string(p.test_images),
                                 "--ternary", p.ternary, "--no-export", "-o", pr.output});
  if (p.hwa != "device") pr.args.insert(pr.args.end(), {"--hwa", p.hwa});
  if (!p.data_dir.empty()) pr.args.insert(pr.args.end(), {"--data-dir", p.data_dir});
  return pr;
}

StageCommand evaluate_command(const EvaluationPlan& p, const std::string& arch, const Candidate& c,
                              const std::string& dir) {
  std::string times;
  for (double t : p.times_s) times += (times.empty() ? "" : ",") + fmt::format("{}", t);
  StageCommand ev{"evaluate", {"evaluate"}, dir + "/evaluate.json", dir + "/evaluate.json"};
  const auto chip = chip_args(arch, c);
  ev.args.insert(ev.args.end(), chip.begin(), chip.end());
  ev.args.insert(ev.args.end(), {"--weights", train_dir(p, dir, p.epochs) + "/export", "--dataset", p.dataset,
                                 "--device-runs", std::to_string(p.device_runs), "--times", times, "--images",
                                 std::to_string(p.eval_images), "--seed", std::to_string(p.seed), "--threads",
                                 std::to_string(p.threads), "-o", ev.report});
  if (!p.data_dir.empty()) ev.args.insert(ev.args.end(), {"--data-dir", p.data_dir});
  return ev;
}

StageCommand simulate_command(const std::string& arch, const Candidate& c, const std::string& dir) {
  StageCommand sim{"simulate", {"simulate"}, dir + "/simulate.json", dir + "/simulate.json"};
  const auto chip = chip_args(arch, c);
  sim.args.insert(sim.args.end(), chip.begin(), chip.end());
  sim.args.insert(sim.args.end(), {"-q", "-o", sim.report});
  return sim;
}

void read_stage_metrics(const std::string& stage, const std::string& text, Metrics& m) {
  const auto j = nlohmann::json::parse(text);
  try {
    if (stage == "estimate") {
      m["latency_ms"] = j.at("totals").at("latency_s").get<double>() * 1e3;
      m["energy_uj"] = j.at("totals").at("energy_pj").get<double>() * 1e-6;
      m["area_mm2"] = j.at("totals").at("area_mm2").get<double>();
      m["edap"] = j.at("metrics").at("edap_j_s_mm2").get<double>();
      m["used_area_mm2"] = j.at("totals").at("used_area_mm2").get<double>();
      m["used_energy_uj"] = j.at("totals").at("used_energy_pj").get<double>() * 1e-6;
      m["edap_used"] = j.at("metrics").at("edap_used_j_s_mm2").get<double>();
    } else if (stage == "train") {
      m["accuracy"] = j.at("test_accuracy").get<double>();
    } else if (stage == "evaluate") {
      m["ideal_accuracy"] = j.at("ideal_chip_accuracy").get<double>();
      m["drift_accuracy"] = j.at("times").back().at("mean").get<double>();
      m["avm"] = j.at("avm").get<double>();
    } else if (stage == "proxy") {
      m["proxy_accuracy"] = j.at("test_accuracy").get<double>();
    } else if (stage == "simulate") {
      m["sim_latency_ms"] = j.at("totals").at("latency_s").get<double>() * 1e3;
      m["sim_energy_uj"] = j.at("totals").at("energy_pj").get<double>() * 1e-6;
    } else {
      throw std::invalid_argument("no stage named '" + stage + "'");
    }
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(stage + " report: " + e.what());
  }
}

}  // namespace tessera::search

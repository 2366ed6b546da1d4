#include "nas/search/pipeline.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace tessera::search {

EvaluationPlan EvaluationPlan::load(const io::Section& s) {
  EvaluationPlan p;
  p.dataset = s.string("dataset", "data set of training and evaluation", p.dataset, {"fashion-mnist", "cifar10"});
  p.data_dir = s.string("data_dir", "directory of the data set files (empty: the usual place)", p.data_dir);
  p.epochs = int(s.integer("epochs", "training epochs per candidate (0: estimate only)", p.epochs, 0, 1000));
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

std::vector<StageCommand> stage_commands(const EvaluationPlan& p, const std::string& arch, const Candidate& c,
                                         const std::string& dir) {
  std::vector<std::string> chip = {"--net", c.net, "--arch", arch};
  for (const auto& s : c.sets) {
    chip.push_back("--set");
    chip.push_back(s);
  }
  std::vector<StageCommand> out;
  StageCommand est{"estimate", {"estimate"}, dir + "/estimate.json"};
  est.args.insert(est.args.end(), chip.begin(), chip.end());
  est.args.insert(est.args.end(), {"-q", "-o", est.report});
  out.push_back(est);
  if (p.epochs == 0) return out;

  const std::string train_dir = dir + "/train";
  StageCommand tr{"train", {"train"}, train_dir + "/train.json"};
  tr.args.insert(tr.args.end(), chip.begin(), chip.end());
  tr.args.insert(tr.args.end(), {"--dataset", p.dataset, "--hwa", p.hwa, "--epochs", std::to_string(p.epochs),
                                 "--lr", fmt::format("{}", p.lr), "--batch-size", std::to_string(p.batch_size),
                                 "--threads", std::to_string(p.threads), "--seed", std::to_string(p.seed),
                                 "--train-images", std::to_string(p.train_images), "--test-images",
                                 std::to_string(p.test_images), "--ternary", p.ternary, "-o", train_dir});
  if (p.hwa_periphery) tr.args.push_back("--hwa-periphery");
  if (!p.data_dir.empty()) tr.args.insert(tr.args.end(), {"--data-dir", p.data_dir});
  out.push_back(tr);
  if (p.device_runs == 0) return out;

  std::string times;
  for (double t : p.times_s) times += (times.empty() ? "" : ",") + fmt::format("{}", t);
  StageCommand ev{"evaluate", {"evaluate"}, dir + "/evaluate.json"};
  ev.args.insert(ev.args.end(), chip.begin(), chip.end());
  ev.args.insert(ev.args.end(), {"--weights", train_dir + "/export", "--dataset", p.dataset, "--device-runs",
                                 std::to_string(p.device_runs), "--times", times, "--images",
                                 std::to_string(p.eval_images), "--seed", std::to_string(p.seed), "--threads",
                                 std::to_string(p.threads), "-o", ev.report});
  if (!p.data_dir.empty()) ev.args.insert(ev.args.end(), {"--data-dir", p.data_dir});
  out.push_back(ev);
  return out;
}

void read_stage_metrics(const std::string& stage, const std::string& text, Metrics& m) {
  const auto j = nlohmann::json::parse(text);
  try {
    if (stage == "estimate") {
      m["latency_ms"] = j.at("totals").at("latency_s").get<double>() * 1e3;
      m["energy_uj"] = j.at("totals").at("energy_pj").get<double>() * 1e-6;
      m["area_mm2"] = j.at("totals").at("area_mm2").get<double>();
      m["edap"] = j.at("metrics").at("edap_j_s_mm2").get<double>();
    } else if (stage == "train") {
      m["accuracy"] = j.at("test_accuracy").get<double>();
    } else if (stage == "evaluate") {
      m["ideal_accuracy"] = j.at("ideal_chip_accuracy").get<double>();
      m["drift_accuracy"] = j.at("times").back().at("mean").get<double>();
      m["avm"] = j.at("avm").get<double>();
    } else {
      throw std::invalid_argument("no stage named '" + stage + "'");
    }
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(stage + " report: " + e.what());
  }
}

}  // namespace tessera::search

// tessera train: clean or hardware-aware training of a network on an image
// data set (nas/trainer.hpp), checkpoints after every epoch and, at the end,
// the weight export the simulator reads (nas/weight_export.hpp) in DIR/export.
#include <fmt/format.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "nas/trainer.hpp"
#include "nas/weight_export.hpp"
#include "sim/cli/common.hpp"
#include "sim/cli/options.hpp"
#include "sim/report/report.hpp"
#include "workloads/datasets/dataset.hpp"
#include "workloads/io/toml_reader.hpp"
#include "workloads/load.hpp"

namespace tessera::cli {

int cmd_train(const Args& args) {
  po::options_description desc("train options");
  std::string net_spec, arch, dataset, data_dir, config, out, ternary, init_from;
  std::vector<std::string> sets;
  std::string hwa;
  double lr = 0;
  int epochs = -1, batch = 0, threads = 0, calibration = 1000;
  int64_t train_images = 0, test_images = 0;
  int64_t seed = -1;
  desc.add_options()("help,h", "this help")
      ("net", po::value(&net_spec), "zoo network or network file (required unless --config names one)")
      ("arch", po::value(&arch)->default_value(default_arch()), "arch preset or file: how --hwa cuts layers into arrays, which layers --ternary ap means")
      ("set", po::value(&sets)->composing(), "override an arch config value (repeatable)")
      ("dataset", po::value(&dataset), "fashion-mnist, cifar10 or idx (required unless --config names one)")
      ("data-dir", po::value(&data_dir), "directory of the data set files; default: the data set's usual location")
      ("config", po::value(&config), "TOML training config (configs/nas/*.toml); the options here override it")
      ("hwa", po::value(&hwa), "hardware-aware training, per mini-batch: SIGMA, Gaussian weight noise relative to max|W| of each weight's array (e.g. 0.08); "
                              "or 'device', the weights programmed into the arch's crossbar devices (PCM programming-noise polynomial, RRAM/FeFET variation)")
      ("hwa-periphery", "with --hwa: the full array model (DAC, output noise, ADC per array; slower)")
      ("hwa-scope", po::value<std::string>(), "with --hwa: noise relative to max|W| of the array (default) or of each output channel's column in it (column)")
      ("freeze-batchnorm", "batch norm keeps its running statistics while training (default with --hwa and --init-from)")
      ("no-freeze-batchnorm", "batch norm follows each batch's statistics even when fine-tuning with --hwa")
      ("ternary", po::value(&ternary), "TWN ternary weights (straight-through): none, ap (layers mapped to AP units), all")
      ("epochs", po::value(&epochs), "training epochs")
      ("train-images", po::value(&train_images), "train on the first N training images only (0: all)")
      ("test-images", po::value(&test_images), "test on the first N test images only (0: all)")
      ("seed", po::value(&seed), "seed of initialisation, shuffling and noise")
      ("lr", po::value(&lr), "initial learning rate")
      ("batch-size", po::value(&batch), "mini-batch size")
      ("threads", po::value(&threads), "torch threads (0: default)")
      ("init-from", po::value(&init_from), "start from this checkpoint's weights (fine-tuning)")
      ("resume", "continue from the checkpoint in the output directory")
      ("calibration-images", po::value(&calibration)->default_value(1000), "training images that calibrate the export's input scales")
      ("no-export", "skip the weight export")
      ("output,o", po::value(&out), "directory for checkpoints, train.json and export/ (required unless --config gives train.checkpoint_dir)");
  po::variables_map vm;
  if (!parse(args, desc, vm,
             "tessera train --net NAME|FILE --dataset NAME [--arch FILE] [--hwa SIGMA|device [--hwa-periphery]] "
             "[--ternary none|ap|all] [--epochs N] [--seed N] [--config FILE] [-o DIR]"))
    return 0;

  nas::TrainOptions opt;
  if (!config.empty()) {
    io::Document doc = io::Document::from_file(config);
    io::Section root = doc.root();
    const std::string cfg_net = root.string("network", "zoo spec or network file", "");
    io::Section ds = root.table("dataset", "training and test data");
    const std::string cfg_ds = ds.string("name", "data set", "", data::dataset_names());
    const std::string cfg_dir = ds.string("dir", "directory of the data set files", "");
    ds.finish();
    io::Section tr = root.table("train", "training options");
    opt.load(tr);
    tr.finish();
    root.table("drift_eval", "ignored by tessera train (use tessera evaluate)").free_keys();
    root.finish();
    if (net_spec.empty()) net_spec = cfg_net;
    if (dataset.empty()) dataset = cfg_ds;
    if (data_dir.empty()) data_dir = cfg_dir;
  }
  auto need = [](bool ok, const char* opt_name, const std::string& what) {
    if (!ok) throw InputError({"command line", 0, 0}, opt_name, what);
  };
  need(!net_spec.empty(), "--net", "give a network (zoo name or file), here or in --config");
  need(!dataset.empty(), "--dataset", "give a data set (fashion-mnist, cifar10, idx), here or in --config");
  if (vm.count("hwa")) {
    opt.analog.enabled = true;
    if (hwa == "device") {
      opt.analog.noise_model = "device";
    } else {
      size_t used = 0;
      double sigma = -1;
      try {
        sigma = std::stod(hwa, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      need(used == hwa.size() && sigma >= 0 && sigma <= 10, "--hwa",
           "'" + hwa + "' is not allowed; allowed: a noise level from 0 to 10, or device");
      opt.analog.noise_model = "gaussian";
      opt.analog.weight_noise = sigma;
    }
    opt.analog.periphery = vm.count("hwa-periphery") > 0;
    need(!(opt.analog.periphery && opt.analog.noise_model == "device"), "--hwa-periphery",
         "the array periphery model takes a noise level (--hwa SIGMA), not device");
    if (vm.count("hwa-scope")) {
      const std::string sc = vm["hwa-scope"].as<std::string>();
      need(sc == "array" || sc == "column", "--hwa-scope", "'" + sc + "' is not allowed; allowed: array, column");
      opt.analog.noise_scope = sc;
    }
  } else {
    need(!vm.count("hwa-periphery"), "--hwa-periphery", "only applies with --hwa");
    need(!vm.count("hwa-scope"), "--hwa-scope", "only applies with --hwa");
  }
  // The config's arrays unless --arch is given.
  if (!vm["arch"].defaulted() || opt.analog.arch.empty()) {
    opt.analog.arch = resolve_arch(arch);
    opt.analog.arch_sets = sets;
  }
  if (vm.count("ternary")) {
    need(ternary == "none" || ternary == "ap" || ternary == "all", "--ternary",
         "'" + ternary + "' is not allowed; allowed: none, ap, all");
    opt.ternary.layers = ternary;
  }
  if (epochs >= 0) opt.epochs = epochs;
  if (seed >= 0) opt.seed = uint64_t(seed);
  if (vm.count("lr")) {
    need(lr > 0 && lr <= 10, "--lr", fmt::format("{} is out of range; allowed: (0, 10]", lr));
    opt.lr = lr;
  }
  if (vm.count("batch-size")) {
    need(batch >= 1, "--batch-size", "must be at least 1");
    opt.batch_size = batch;
  }
  if (vm.count("threads")) opt.threads = threads;
  if (!init_from.empty()) opt.init_from = init_from;
  if (vm.count("resume")) opt.resume = true;
  if (!out.empty()) opt.checkpoint_dir = out;
  // Hardware-aware fine-tuning: batch norm frozen unless asked otherwise (nas/trainer.hpp).
  if (vm.count("freeze-batchnorm") || (opt.analog.enabled && !opt.init_from.empty())) opt.freeze_batchnorm = true;
  if (vm.count("no-freeze-batchnorm")) opt.freeze_batchnorm = false;
  need(!opt.checkpoint_dir.empty(), "--output", "give an output directory (-o DIR)");
  need(calibration >= 1, "--calibration-images", "must be at least 1");
  need(train_images >= 0, "--train-images", "must not be negative");
  need(test_images >= 0, "--test-images", "must not be negative");

  Network net = load_network(net_spec);
  // Arch problems (bad --set, a network that does not fit) fail before any training.
  if (opt.analog.enabled || opt.ternary.layers == "ap") map_network(net, load_arch(opt.analog.arch, opt.analog.arch_sets));
  data::ImageSet train_set = data::load_dataset(dataset, data::Split::Train, data_dir);
  data::ImageSet test_set = data::load_dataset(dataset, data::Split::Test, data_dir);
  train_set.keep_first(train_images);
  test_set.keep_first(test_images);
  // Every input is checked; the output directory exists before the first epoch, so a run of
  // any length can write its checkpoints and report (and a bad path fails before training).
  {
    std::error_code ec;
    std::filesystem::create_directories(opt.checkpoint_dir, ec);
    need(!ec && std::filesystem::is_directory(opt.checkpoint_dir), "--output",
         "cannot create directory '" + opt.checkpoint_dir + "'" + (ec ? ": " + ec.message() : ""));
  }
  std::cout << fmt::format("training {} ({} weights) on {}: {} train / {} test images{}\n", net.name, net.weights(),
                           dataset, train_set.count, test_set.count,
                           opt.analog.enabled ? fmt::format(", hardware-aware ({}{})",
                                                            opt.analog.noise_model == "device"
                                                                ? std::string("device weight noise")
                                                                : fmt::format("weight noise {}", opt.analog.weight_noise),
                                                            opt.analog.periphery ? ", array periphery" : "")
                                              : "")
            << std::flush;
  // On a terminal, a bar on stderr shows the epoch's progress, running loss
  // and accuracy; it is cleared before each epoch's line (stdout stays plain).
  const bool tty = isatty(fileno(stderr)) != 0;
  auto last_bar = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  auto bar = [&](const nas::BatchProgress& b) {
    const auto now = std::chrono::steady_clock::now();
    if (!tty || (now - last_bar < std::chrono::milliseconds(100) && b.batch < b.batches)) return;
    last_bar = now;
    const int width = 30, done = int(width * b.batch / b.batches);
    std::cerr << fmt::format("\repoch {:3d}/{} [{}{}] {:3d}%  loss {:.4f}  train {:6.2f}%\033[K", b.epoch, b.epochs,
                             std::string(size_t(done), '='), std::string(size_t(width - done), ' '),
                             int(100 * b.batch / b.batches), b.loss, 100 * b.accuracy)
              << std::flush;
  };
  nas::TrainResult r = nas::train(
      net, train_set, test_set, opt,
      [&](const nas::EpochReport& e) {
        if (tty) std::cerr << "\r\033[K" << std::flush;
        std::cout << nas::progress_line(e) << "\n" << std::flush;
      },
      bar);
  std::cout << fmt::format("done: test accuracy {:.2f}%, {} parameters, {:.1f} s\n", 100 * r.test_accuracy, r.parameters,
                           r.seconds);

  nlohmann::ordered_json j;
  j["schema"] = "tessera.train/1";
  j["network"] = net_spec;
  j["dataset"] = dataset;
  j["train_images"] = train_set.count;
  j["test_images"] = test_set.count;
  j["hwa"] = opt.analog.enabled ? nlohmann::ordered_json{{"noise_model", opt.analog.noise_model},
                                                        {"weight_noise", opt.analog.weight_noise},
                                                        {"periphery", opt.analog.periphery},
                                                        {"scope", opt.analog.noise_scope},
                                                        {"arch", opt.analog.arch}}
                                : nlohmann::ordered_json();
  j["ternary"] = opt.ternary.layers;
  j["freeze_batchnorm"] = opt.freeze_batchnorm;
  j["seed"] = opt.seed;
  j["test_accuracy"] = r.test_accuracy;
  j["seconds"] = r.seconds;
  auto& ep = j["epochs"] = nlohmann::ordered_json::array();
  for (const auto& e : r.epochs)
    ep.push_back({{"epoch", e.epoch}, {"lr", e.lr}, {"train_loss", e.train_loss}, {"train_accuracy", e.train_accuracy},
                  {"test_loss", e.test_loss}, {"test_accuracy", e.test_accuracy}, {"seconds", e.seconds}});
  if (!vm.count("no-export")) {
    nas::ExportOptions eo;
    eo.calibration_images = calibration;
    nas::WeightExport e = nas::export_weights(net, net_spec, opt.checkpoint_dir, train_set, eo);
    const std::string dir = opt.checkpoint_dir + "/export";
    nas::write_export(e, net, dir);
    j["export"] = dir;
    std::cout << fmt::format("weights exported to {} (batch norm folded, per-channel codes, input scales from {} training images)\n",
                             dir, e.calibration_images);
  }
  write_file_atomic(opt.checkpoint_dir + "/train.json", j.dump(2) + "\n");
  return 0;
}

}  // namespace tessera::cli

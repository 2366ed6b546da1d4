// tessera train: clean or hardware-aware training of a network on an image
// data set (nas/trainer.hpp), checkpoints after every epoch and, at the end,
// the weight export the simulator reads (nas/weight_export.hpp) in DIR/export.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "nas/trainer.hpp"
#include "nas/weight_export.hpp"
#include "sim/cli/common.hpp"
#include "sim/cli/options.hpp"
#include "sim/cli/progress.hpp"
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
  int epochs = 0, batch = 0, threads = 0, calibration = 1000;
  int64_t train_images = 0, test_images = 0;
  int64_t seed = 0;
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

  auto need = [](bool ok, const char* opt_name, const std::string& what) {
    if (!ok) throw InputError({"command line", 0, 0}, opt_name, what);
  };
  need(!(vm.count("hwa-periphery") && !vm.count("hwa")), "--hwa-periphery", "only applies with --hwa");
  need(!(vm.count("hwa-scope") && !vm.count("hwa")), "--hwa-scope", "only applies with --hwa");
  // Every training option is a key of the config's [train] table: the
  // options become overrides of the config (or of an empty one) and the
  // config's reader checks them all, in one place, naming the option.
  io::Document doc = config.empty() ? io::Document::from_string("", "command line") : io::Document::from_file(config);
  auto option = [&](const std::string& name, const std::string& key, const std::string& value) {
    doc.apply_override("train." + key + "=" + value, "--" + name + " " + value);
  };
  auto text_option = [&](const std::string& name, const std::string& key, const std::string& text) {
    doc.apply_override("train." + key + "=" + io::toml_string(text), "--" + name + " " + text);
  };
  if (vm.count("epochs")) option("epochs", "epochs", std::to_string(epochs));
  if (vm.count("seed")) option("seed", "seed", std::to_string(seed));
  if (vm.count("lr")) option("lr", "lr", fmt::format("{}", lr));
  if (vm.count("batch-size")) option("batch-size", "batch_size", std::to_string(batch));
  if (vm.count("threads")) option("threads", "threads", std::to_string(threads));
  if (!init_from.empty()) text_option("init-from", "init_from", init_from);
  if (vm.count("resume")) option("resume", "resume", "true");
  if (!out.empty()) text_option("output", "checkpoint_dir", out);
  if (vm.count("ternary")) text_option("ternary", "ternary.layers", ternary);
  if (vm.count("freeze-batchnorm")) option("freeze-batchnorm", "freeze_batchnorm", "true");
  // The arrays the config is checked against (device noise needs them): --arch
  // when given, else the config's own, else (no config) the default chip.
  if (!vm["arch"].defaulted() || config.empty()) text_option("arch", "analog.arch", resolve_arch(arch));
  if (vm.count("hwa")) {
    option("hwa", "analog.enabled", "true");
    text_option("hwa", "analog.noise_model", hwa == "device" ? "device" : "gaussian");
    if (hwa != "device") option("hwa", "analog.weight_noise", hwa);  // not a number: the reader says so
    option("hwa-periphery", "analog.periphery", vm.count("hwa-periphery") ? "true" : "false");
    if (vm.count("hwa-scope")) text_option("hwa-scope", "analog.noise_scope", vm["hwa-scope"].as<std::string>());
  }
  nas::TrainOptions opt;
  {
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
  need(!net_spec.empty(), "--net", "give a network (zoo name or file), here or in --config");
  need(!dataset.empty(), "--dataset", "give a data set (fashion-mnist, cifar10, idx), here or in --config");
  need(!(opt.analog.periphery && opt.analog.noise_model == "device" && vm.count("hwa")), "--hwa-periphery",
       "the array periphery model takes a noise level (--hwa SIGMA), not device");
  // The config's arrays unless --arch is given.
  if (!vm["arch"].defaulted() || opt.analog.arch.empty()) {
    opt.analog.arch = resolve_arch(arch);
    opt.analog.arch_sets = sets;
  }
  // Hardware-aware fine-tuning: batch norm frozen unless asked otherwise (nas/trainer.hpp).
  if (opt.analog.enabled && !opt.init_from.empty()) opt.freeze_batchnorm = true;
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
  // Progress on stderr (progress.hpp): the run's fraction, the epoch, running loss and accuracy, ETA.
  Progress progress("training");
  auto bar = [&](const nas::BatchProgress& b) {
    const double done = (double(b.epoch - 1) + double(b.batch) / double(std::max<int64_t>(b.batches, 1))) /
                        double(std::max(b.epochs, 1));
    progress.update(done, fmt::format("epoch {}/{} batch {}/{}  loss {:.4f}  train {:.2f}%", b.epoch, b.epochs, b.batch,
                                      b.batches, b.loss, 100 * b.accuracy));
  };
  nas::TrainResult r = nas::train(
      net, train_set, test_set, opt,
      [&](const nas::EpochReport& e) {
        progress.clear();
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

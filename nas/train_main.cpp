// tessera-train: trains a network of the zoo (or a network file) on an image
// data set, from a TOML configuration, printing a progress line per epoch.
//
//   tessera-train configs/nas/fmnist_cnn_train.toml [--set train.epochs=3 ...]
//
// With a [drift_eval] section (and [drift_eval.device], a device model of
// arch/device), the trained checkpoint is then evaluated on analog arrays of
// that device over time (Monte-Carlo runs, nas/device_eval.hpp).
//
// Exit codes: 0 done, 2 bad input (config, network, data set).
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "arch/device/registry.hpp"
#include "nas/device_eval.hpp"
#include "nas/trainer.hpp"
#include "workloads/datasets/cifar10.hpp"
#include "workloads/datasets/fashion_mnist.hpp"
#include "workloads/io/toml_reader.hpp"
#include "workloads/load.hpp"

using namespace tessera;

namespace {

int run(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0) {
    std::fprintf(stderr, "usage: tessera-train CONFIG.toml [--set KEY=VALUE]...\n");
    return argc < 2 ? kExitInputError : 0;
  }
  io::Document doc = io::Document::from_file(argv[1]);
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--set") != 0 || i + 1 >= argc)
      throw InputError({"command line", 0, 0}, argv[i], "expected --set KEY=VALUE");
    doc.apply_override(argv[++i]);
  }
  io::Section root = doc.root();
  const std::string net_spec = root.required_string("network", "zoo spec or network file");
  io::Section ds = root.table("dataset", "training and test data", true);
  const std::string ds_name = ds.required_string("name", "data set", {"fashion-mnist", "cifar10"});
  std::string dir = ds.string("dir", "directory of the data set files; empty: the default location", "");
  ds.finish();
  nas::TrainOptions opt;
  io::Section tr = root.table("train", "training options");
  opt.load(tr);
  tr.finish();
  const bool drift = root.has("drift_eval");
  io::Section de = root.table("drift_eval", "Monte-Carlo accuracy over time on a device model, after training");
  nas::DriftEvalOptions drift_opt;
  drift_opt.load(de);
  std::unique_ptr<device::Device> dev;
  if (drift || de.describing()) {
    dev = device::DeviceRegistry::create(de.table("device", "device model (impl = pcm, rram, fefet, sram)", true));
    de.check(opt.analog.enabled, "device", "needs train.analog.enabled = true (the device holds the arrays' weights)");
    de.check(!opt.checkpoint_dir.empty(), "device", "needs train.checkpoint_dir (the trained weights are read from it)");
  }
  de.finish();
  root.finish();

  Network net = load_network(net_spec);
  data::ImageSet train_set, test_set;
  if (ds_name == "fashion-mnist") {
    if (dir.empty()) dir = data::kFashionMnistDir;
    train_set = data::load_fashion_mnist(data::Split::Train, dir);
    test_set = data::load_fashion_mnist(data::Split::Test, dir);
  } else {
    if (dir.empty()) ds.fail("dir", "CIFAR-10 has no default location; give the directory of its .bin batches");
    train_set = data::load_cifar10(data::Split::Train, dir);
    test_set = data::load_cifar10(data::Split::Test, dir);
  }
  std::printf("training %s (%lld weights, %lld MACs) on %s: %lld train / %lld test images\n", net.name.c_str(),
              static_cast<long long>(net.weights()), static_cast<long long>(net.macs()), ds_name.c_str(),
              static_cast<long long>(train_set.count), static_cast<long long>(test_set.count));
  std::fflush(stdout);
  nas::TrainResult r = nas::train(net, train_set, test_set, opt, [](const nas::EpochReport& e) {
    std::printf("%s\n", nas::progress_line(e).c_str());
    std::fflush(stdout);
  });
  std::printf("done: test accuracy %.2f%%, %lld parameters, %.1f s\n", 100 * r.test_accuracy,
              static_cast<long long>(r.parameters), r.seconds);
  if (dev) {
    std::printf("drift evaluation on '%s' devices, %d runs:\n", dev->impl().c_str(), drift_opt.runs);
    std::fflush(stdout);
    for (const auto& p : nas::evaluate_drift(net, opt.checkpoint_dir, test_set, opt.analog, *dev, drift_opt))
      std::printf("%s\n", nas::drift_line(p).c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const InputError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return kExitInputError;
  }
}

#include "nas/trainer.hpp"

#include <ATen/Context.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "arch/device/rng.hpp"
#include "nas/ir_model.hpp"
#include "workloads/io/toml_reader.hpp"

namespace tessera::nas {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

void TrainOptions::load(const io::Section& s) {
  optimizer = s.string("optimizer", "sgd (with momentum) or adam", optimizer, {"sgd", "adam"});
  lr = s.number("lr", "initial learning rate", lr, 0, 10);
  momentum = s.number("momentum", "SGD momentum", momentum, 0, 1);
  nesterov = s.boolean("nesterov", "SGD with Nesterov momentum", nesterov);
  weight_decay = s.number("weight_decay", "L2 weight decay", weight_decay, 0, 1);
  schedule = s.string("schedule", "learning-rate schedule: cosine (to 0 at the end) or constant", schedule,
                      {"cosine", "constant"});
  epochs = int(s.integer("epochs", "training epochs", epochs, 0, 100000));
  batch_size = int(s.integer("batch_size", "training mini-batch size", batch_size, 1, 1 << 20));
  eval_batch_size = int(s.integer("eval_batch_size", "evaluation batch size", eval_batch_size, 1, 1 << 20));
  augment = s.boolean("augment", "random crop with padding and horizontal flip", augment);
  crop_padding = int(s.integer("crop_padding", "zero padding before the random crop, pixels", crop_padding, 0, 64));
  flip = s.boolean("flip", "horizontal flips when augmenting", flip);
  seed = uint64_t(s.integer("seed", "seed of initialisation, shuffling and augmentation", int64_t(seed), 0, INT64_MAX));
  threads = int(s.integer("threads", "torch intra-op threads; 0: torch's default", threads, 0, 1024));
  checkpoint_dir = s.string("checkpoint_dir", "directory for checkpoints after every epoch; empty: none", checkpoint_dir);
  resume = s.boolean("resume", "continue from the checkpoint in checkpoint_dir when there is one", resume);
  io::Section a = s.table("analog", "hardware-aware training: analog arrays with converters and noise");
  analog.load(a);
  a.finish();
}

std::string progress_line(const EpochReport& r) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "epoch %3d/%d  lr %.5f  loss %.4f  train %6.2f%%  test %6.2f%% (loss %.4f)  %.1f s",
                r.epoch, r.epochs, r.lr, r.train_loss, 100 * r.train_accuracy, 100 * r.test_accuracy, r.test_loss,
                r.seconds);
  return buf;
}

namespace {

// Per-channel mean and standard deviation of the training pixels (in [0, 1]):
// the input normalisation, measured rather than assumed.
struct Normalization {
  std::vector<double> mean, std;

  static Normalization of(const data::ImageSet& s) {
    Normalization n;
    const int64_t plane = int64_t(s.height) * s.width;
    for (int c = 0; c < s.channels; ++c) {
      double sum = 0, sq = 0;
      for (int64_t i = 0; i < s.count; ++i) {
        const uint8_t* p = s.image(i) + c * plane;
        for (int64_t k = 0; k < plane; ++k) sum += p[k], sq += double(p[k]) * p[k];
      }
      const double cnt = double(s.count * plane), m = sum / cnt / 255.0;
      n.mean.push_back(m);
      n.std.push_back(std::sqrt(std::max(sq / cnt / (255.0 * 255.0) - m * m, 1e-12)));
    }
    return n;
  }
  torch::Tensor apply(const torch::Tensor& x01) const {
    auto m = torch::tensor(std::vector<float>(mean.begin(), mean.end())).reshape({1, -1, 1, 1});
    auto s = torch::tensor(std::vector<float>(std.begin(), std.end())).reshape({1, -1, 1, 1});
    return (x01 - m) / s;
  }
};

// The data set as uint8 tensors; batches become float in [0, 1], are
// augmented, then normalised.
struct TensorSet {
  torch::Tensor images;  // N x C x H x W, uint8
  torch::Tensor labels;  // N, int64

  explicit TensorSet(const data::ImageSet& s) {
    images = torch::from_blob(const_cast<uint8_t*>(s.images.data()), {s.count, s.channels, s.height, s.width},
                              torch::kUInt8)
                 .clone();
    labels = torch::from_blob(const_cast<uint8_t*>(s.labels.data()), {s.count}, torch::kUInt8).to(torch::kInt64);
  }
  int64_t size() const { return images.size(0); }
};

torch::Tensor augment(const torch::Tensor& x, int pad, bool flip, device::Rng& rng) {
  const int64_t h = x.size(2), w = x.size(3);
  torch::Tensor padded = pad > 0 ? torch::constant_pad_nd(x, {pad, pad, pad, pad}, 0) : x;
  std::vector<torch::Tensor> out;
  out.reserve(size_t(x.size(0)));
  for (int64_t i = 0; i < x.size(0); ++i) {
    // Draws in a fixed order per sample: crop row, crop column, flip.
    const int64_t dy = pad > 0 ? int64_t(rng.bits() % uint64_t(2 * pad + 1)) : 0;
    const int64_t dx = pad > 0 ? int64_t(rng.bits() % uint64_t(2 * pad + 1)) : 0;
    torch::Tensor img = padded[i].narrow(1, dy, h).narrow(2, dx, w);
    if (flip && rng.uniform() < 0.5) img = img.flip({2});
    out.push_back(img);
  }
  return torch::stack(out);
}

struct EvalResult {
  double loss = 0, accuracy = 0;
};

EvalResult evaluate(IrModel& model, const TensorSet& set, const Normalization& norm, int batch) {
  torch::NoGradGuard no_grad;
  model->eval();
  double loss = 0;
  int64_t correct = 0;
  for (int64_t b = 0; b < set.size(); b += batch) {
    const int64_t n = std::min<int64_t>(batch, set.size() - b);
    auto x = norm.apply(set.images.narrow(0, b, n).to(torch::kFloat32).div(255.0));
    auto y = set.labels.narrow(0, b, n);
    auto logits = model->forward(x);
    loss += torch::nn::functional::cross_entropy(logits, y).item<double>() * double(n);
    correct += logits.argmax(1).eq(y).sum().item<int64_t>();
  }
  return {loss / double(set.size()), double(correct) / double(set.size())};
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(IrModel& model, const TrainOptions& o) {
  if (o.optimizer == "adam")
    return std::make_unique<torch::optim::Adam>(model->parameters(),
                                                torch::optim::AdamOptions(o.lr).weight_decay(o.weight_decay));
  return std::make_unique<torch::optim::SGD>(
      model->parameters(),
      torch::optim::SGDOptions(o.lr).momentum(o.momentum).nesterov(o.nesterov).weight_decay(o.weight_decay));
}

// Checkpoint: model.pt, optimizer.pt and state.json (epochs done, normalisation).
void save_checkpoint(const std::string& dir, IrModel& model, torch::optim::Optimizer& opt, int epochs_done,
                     const Normalization& norm, const Network& net) {
  fs::create_directories(dir);
  // Write to temporary names first so an interrupted save leaves the previous checkpoint intact.
  torch::save(model, dir + "/model.pt.tmp");
  torch::save(opt, dir + "/optimizer.pt.tmp");
  nlohmann::json j = {{"network", net.name}, {"epochs_done", epochs_done}, {"mean", norm.mean}, {"std", norm.std}};
  std::ofstream(dir + "/state.json.tmp") << j.dump(2) << "\n";
  for (const char* f : {"model.pt", "optimizer.pt", "state.json"})
    fs::rename(dir + "/" + f + ".tmp", dir + "/" + f);
}

struct CheckpointState {
  int epochs_done = 0;
  Normalization norm;
};

CheckpointState read_state(const std::string& dir, const Network& net) {
  const std::string path = dir + "/state.json";
  std::ifstream in(path);
  if (!in) throw InputError({path, 0, 0}, "", "cannot open checkpoint state");
  nlohmann::json j;
  try {
    in >> j;
    CheckpointState s;
    if (j.at("network").get<std::string>() != net.name)
      throw InputError({path, 0, 0}, "network",
                       "checkpoint of network '" + j.at("network").get<std::string>() + "', not '" + net.name + "'");
    s.epochs_done = j.at("epochs_done").get<int>();
    s.norm.mean = j.at("mean").get<std::vector<double>>();
    s.norm.std = j.at("std").get<std::vector<double>>();
    if (int64_t(s.norm.mean.size()) != net.input.c || s.norm.std.size() != s.norm.mean.size())
      throw InputError({path, 0, 0}, "mean", "normalisation has " + std::to_string(s.norm.mean.size()) +
                                                 " channels; the network's input has " + std::to_string(net.input.c));
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw InputError({path, 0, 0}, "", std::string("malformed checkpoint state: ") + e.what());
  }
}

void check_geometry(const Network& net, const data::ImageSet& s) {
  if (s.channels != net.input.c || s.height != net.input.h || s.width != net.input.w)
    throw InputError({s.name, 0, 0}, "", "images are " + std::to_string(s.channels) + "x" + std::to_string(s.height) + "x" +
                                             std::to_string(s.width) + "; network '" + net.name + "' takes " + net.input.str());
  const Layer& last = net.layers.back();
  if (last.out.size() < s.classes)
    throw InputError({s.name, 0, 0}, "", std::to_string(s.classes) + " classes but network '" + net.name + "' has " +
                                             std::to_string(last.out.size()) + " outputs");
}

}  // namespace

TrainResult train(const Network& net, const data::ImageSet& train_set, const data::ImageSet& test_set,
                  const TrainOptions& o, const ProgressFn& progress) {
  const auto start = Clock::now();
  check_geometry(net, train_set);
  check_geometry(net, test_set);
  if (o.threads > 0) torch::set_num_threads(o.threads);
  at::globalContext().setDeterministicAlgorithms(true, /*warn_only=*/false);
  torch::manual_seed(o.seed);

  IrModel model(net);
  if (o.analog.enabled) model->set_analog(o.analog, array_geometry_for(net, o.analog));
  auto optimizer = make_optimizer(model, o);
  Normalization norm = Normalization::of(train_set);
  int first_epoch = 0;
  if (o.resume && !o.checkpoint_dir.empty() && fs::exists(o.checkpoint_dir + "/state.json")) {
    CheckpointState st = read_state(o.checkpoint_dir, net);
    torch::load(model, o.checkpoint_dir + "/model.pt");
    torch::load(*optimizer, o.checkpoint_dir + "/optimizer.pt");
    first_epoch = st.epochs_done;
    norm = st.norm;
  }

  TensorSet train_t(train_set), test_t(test_set);
  const int64_t n = train_t.size();
  const int64_t batches = (n + o.batch_size - 1) / o.batch_size;
  const double total_steps = double(batches) * o.epochs;
  const double pi = std::acos(-1.0);

  TrainResult result;
  for (const auto& p : model->parameters()) result.parameters += p.numel();
  for (int epoch = first_epoch; epoch < o.epochs; ++epoch) {
    const auto t0 = Clock::now();
    device::Rng rng = device::Rng::stream(o.seed, uint64_t(epoch));
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    for (int64_t i = n - 1; i > 0; --i) std::swap(order[size_t(i)], order[size_t(rng.bits() % uint64_t(i + 1))]);
    auto order_t = torch::from_blob(order.data(), {n}, torch::kInt64);

    model->train();
    double loss_sum = 0, lr = o.lr;
    int64_t correct = 0;
    for (int64_t b = 0; b < batches; ++b) {
      if (o.schedule == "cosine") {
        const double step = double(epoch) * double(batches) + double(b);
        lr = 0.5 * o.lr * (1 + std::cos(pi * step / total_steps));
      }
      for (auto& g : optimizer->param_groups()) g.options().set_lr(lr);
      const int64_t m = std::min<int64_t>(o.batch_size, n - b * o.batch_size);
      auto idx = order_t.narrow(0, b * o.batch_size, m);
      auto x = train_t.images.index_select(0, idx).to(torch::kFloat32).div(255.0);
      if (o.augment) x = augment(x, o.crop_padding, o.flip, rng);
      x = norm.apply(x);
      auto y = train_t.labels.index_select(0, idx);
      optimizer->zero_grad();
      auto logits = model->forward(x);
      auto loss = torch::nn::functional::cross_entropy(logits, y);
      loss.backward();
      optimizer->step();
      loss_sum += loss.item<double>() * double(m);
      correct += logits.argmax(1).eq(y).sum().item<int64_t>();
    }
    EvalResult ev = evaluate(model, test_t, norm, o.eval_batch_size);
    EpochReport r;
    r.epoch = epoch + 1;
    r.epochs = o.epochs;
    r.lr = lr;
    r.train_loss = loss_sum / double(n);
    r.train_accuracy = double(correct) / double(n);
    r.test_loss = ev.loss;
    r.test_accuracy = ev.accuracy;
    if (!o.checkpoint_dir.empty()) save_checkpoint(o.checkpoint_dir, model, *optimizer, epoch + 1, norm, net);
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    result.epochs.push_back(r);
    if (progress) progress(r);
  }
  result.test_accuracy = result.epochs.empty() ? evaluate(model, test_t, norm, o.eval_batch_size).accuracy
                                               : result.epochs.back().test_accuracy;
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

double evaluate_checkpoint(const Network& net, const std::string& dir, const data::ImageSet& test_set, int batch,
                           const AnalogParams& analog) {
  check_geometry(net, test_set);
  CheckpointState st = read_state(dir, net);
  IrModel model(net);
  if (analog.enabled) model->set_analog(analog, array_geometry_for(net, analog));
  torch::load(model, dir + "/model.pt");
  TensorSet t(test_set);
  return evaluate(model, t, st.norm, batch).accuracy;
}

}  // namespace tessera::nas

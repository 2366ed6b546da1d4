#include "nas/trainer.hpp"

#include <ATen/Context.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "arch/config/arch_config.hpp"
#include "arch/device/rng.hpp"
#include "arch/mapping/mapping.hpp"
#include "nas/ir_model.hpp"
#include "nas/model_io.hpp"
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
  freeze_batchnorm = s.boolean("freeze_batchnorm", "batch norm uses its running statistics during training (HWA fine-tuning)",
                               freeze_batchnorm);
  init_from = s.string("init_from", "checkpoint directory whose weights (and normalisation) to start from; empty: random init",
                       init_from);
  io::Section a = s.table("analog", "hardware-aware training: analog arrays with converters and noise");
  analog.load(a);
  a.finish();
  io::Section t = s.table("ternary", "TWN ternary weights with straight-through gradients");
  ternary.load(t);
  t.finish();
}

void TernaryTraining::load(const io::Section& s) {
  layers = s.string("layers", "layers trained ternary: none, ap (those the mapper puts on associative processors), all",
                    layers, {"none", "ap", "all"});
  threshold_factor = s.number("threshold_factor", "TWN threshold D as a multiple of mean|w| (Li and Liu 2016: 0.7)",
                              threshold_factor, 0, 100);
  per_channel = s.boolean("per_channel", "one threshold and scale per output channel", per_channel);
  arch = s.string("arch", "arch config whose mapping names the AP layers (layers = \"ap\"); empty: train.analog.arch", arch);
}

std::vector<bool> TernaryTraining::flags(const Network& net, const std::string& analog_arch) const {
  std::vector<bool> f(net.layers.size(), false);
  if (layers == "none") return f;
  if (layers == "all") {
    for (int i : net.weight_layers()) f[size_t(i)] = true;
    return f;
  }
  const std::string path = arch.empty() ? analog_arch : arch;
  if (path.empty())
    throw InputError({"train.ternary", 0, 0}, "train.ternary.arch",
                     "layers = \"ap\" needs an arch config (train.ternary.arch or train.analog.arch) to map the network");
  ArchConfig a = load_arch(path);
  Mapping m = map_network(net, a);
  for (int i : net.weight_layers()) f[size_t(i)] = m.layers[size_t(i)].unit == "ap";
  return f;
}

void set_threads(int n) {
  if (n > 0) torch::set_num_threads(n);
}

std::string progress_line(const EpochReport& r) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "epoch %3d/%d  lr %.5f  loss %.4f  train %6.2f%%  test %6.2f%% (loss %.4f)  %.1f s",
                r.epoch, r.epochs, r.lr, r.train_loss, 100 * r.train_accuracy, 100 * r.test_accuracy, r.test_loss,
                r.seconds);
  return buf;
}

namespace {

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


std::unique_ptr<torch::optim::Optimizer> make_optimizer(IrModel& model, const TrainOptions& o) {
  if (o.optimizer == "adam")
    return std::make_unique<torch::optim::Adam>(model->parameters(),
                                                torch::optim::AdamOptions(o.lr).weight_decay(o.weight_decay));
  return std::make_unique<torch::optim::SGD>(
      model->parameters(),
      torch::optim::SGDOptions(o.lr).momentum(o.momentum).nesterov(o.nesterov).weight_decay(o.weight_decay));
}

}  // namespace

TrainResult train(const Network& net, const data::ImageSet& train_set, const data::ImageSet& test_set,
                  const TrainOptions& o, const ProgressFn& progress, const BatchProgressFn& batch_progress) {
  const auto start = Clock::now();
  check_geometry(net, train_set);
  check_geometry(net, test_set);
  if (o.threads > 0) torch::set_num_threads(o.threads);
  at::globalContext().setDeterministicAlgorithms(true, /*warn_only=*/false);
  torch::manual_seed(o.seed);

  IrModel model(net);
  if (o.analog.enabled) model->set_analog(o.analog, array_geometry_for(net, o.analog));
  quant::TernaryParams tp;
  tp.threshold_factor = o.ternary.threshold_factor;
  tp.per_channel = o.ternary.per_channel;
  if (o.ternary.layers != "none") model->set_ternary(o.ternary.flags(net, o.analog.arch), tp);
  auto optimizer = make_optimizer(model, o);
  Normalization norm = Normalization::of(train_set);
  int first_epoch = 0;
  if (!o.init_from.empty()) {
    norm = read_state(o.init_from, net).norm;
    torch::load(model, o.init_from + "/model.pt");
  }
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
    if (o.freeze_batchnorm)
      for (size_t i = 0; i < net.layers.size(); ++i)
        if (net.layers[i].type == LayerType::BatchNorm) model->batchnorm(int(i))->eval();
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
      if (batch_progress) {
        const double seen = double(std::min(n, (b + 1) * o.batch_size));
        batch_progress({epoch + 1, o.epochs, b + 1, batches, loss_sum / seen, double(correct) / seen});
      }
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
  // No epoch ran (epochs = 0, or a resumed run already complete): the checkpoint
  // still holds the model as it stands, so it can be exported and evaluated.
  if (result.epochs.empty() && !o.checkpoint_dir.empty() && !(o.resume && fs::exists(o.checkpoint_dir + "/state.json")))
    save_checkpoint(o.checkpoint_dir, model, *optimizer, first_epoch, norm, net);
  result.test_accuracy = result.epochs.empty() ? evaluate(model, test_t, norm, o.eval_batch_size).accuracy
                                               : result.epochs.back().test_accuracy;
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

double evaluate_checkpoint(const Network& net, const std::string& dir, const data::ImageSet& test_set, int batch,
                           const AnalogParams& analog) {
  check_geometry(net, test_set);
  CheckpointState st = read_state(dir, net);
  IrModel model = load_model(net, dir, st);
  if (analog.enabled) model->set_analog(analog, array_geometry_for(net, analog));
  TensorSet t(test_set);
  return evaluate(model, t, st.norm, batch).accuracy;
}

}  // namespace tessera::nas

#include "nas/model_io.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace tessera::nas {

namespace fs = std::filesystem;

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

// Checkpoint: model.pt, optimizer.pt and state.json (epochs done, normalisation).
void save_checkpoint(const std::string& dir, IrModel& model, torch::optim::Optimizer& opt, int epochs_done,
                     const Normalization& norm, const Network& net) {
  fs::create_directories(dir);
  // Write to temporary names first so an interrupted save leaves the previous checkpoint intact.
  torch::save(model, dir + "/model.pt.tmp");
  torch::save(opt, dir + "/optimizer.pt.tmp");
  nlohmann::json j = {{"network", net.name}, {"epochs_done", epochs_done}, {"mean", norm.mean}, {"std", norm.std}};
  std::vector<std::string> ternary;
  for (size_t i = 0; i < net.layers.size(); ++i)
    if (model->ternary(int(i))) ternary.push_back(net.layers[i].name);
  if (!ternary.empty())
    j["ternary"] = {{"layers", ternary},
                    {"threshold_factor", model->ternary_params().threshold_factor},
                    {"per_channel", model->ternary_params().per_channel}};
  std::ofstream(dir + "/state.json.tmp") << j.dump(2) << "\n";
  for (const char* f : {"model.pt", "optimizer.pt", "state.json"})
    fs::rename(dir + "/" + f + ".tmp", dir + "/" + f);
}

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
    if (j.contains("ternary")) {
      const auto& t = j.at("ternary");
      s.ternary_layers = t.at("layers").get<std::vector<std::string>>();
      s.ternary.threshold_factor = t.at("threshold_factor").get<double>();
      s.ternary.per_channel = t.at("per_channel").get<bool>();
      for (const auto& name : s.ternary_layers) {
        const int i = net.find(name);
        if (i < 0 || !net.layers[size_t(i)].has_weights())
          throw InputError({path, 0, 0}, "ternary.layers", "'" + name + "' is not a weight layer of '" + net.name + "'");
      }
    }
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw InputError({path, 0, 0}, "", std::string("malformed checkpoint state: ") + e.what());
  }
}

IrModel load_model(const Network& net, const std::string& dir, const CheckpointState& st) {
  IrModel model(net);
  if (!st.ternary_layers.empty()) {
    std::vector<bool> flags(net.layers.size(), false);
    for (const auto& name : st.ternary_layers) flags[size_t(net.find(name))] = true;
    model->set_ternary(flags, st.ternary);
  }
  const std::string file = dir + "/model.pt";
  if (!fs::exists(file)) throw InputError({file, 0, 0}, "", "checkpoint has no model.pt");
  try {
    torch::load(model, file);
  } catch (const c10::Error& e) {
    throw InputError({file, 0, 0}, "", std::string("cannot load the model: ") + e.what_without_backtrace());
  }
  return model;
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

}  // namespace tessera::nas

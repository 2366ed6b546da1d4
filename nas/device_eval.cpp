#include "nas/device_eval.hpp"

#include <cmath>
#include <cstdio>

#include "arch/device/conductance_map.hpp"
#include "arch/device/device.hpp"
#include "arch/device/rng.hpp"
#include "nas/device_arrays.hpp"
#include "nas/model_io.hpp"
#include "workloads/io/toml_reader.hpp"

namespace tessera::nas {

void DriftEvalOptions::load(const io::Section& s) {
  times_s = s.number_list("times_s", "inference times after programming, seconds (AnalogNAS: 60 s, 1 h, 1 day, 30 days)",
                          times_s, 0, 1e12);
  s.check(!times_s.empty(), "times_s", "give at least one time");
  runs = int(s.integer("runs", "Monte-Carlo runs, each a fresh programming (AnalogNAS: 25)", runs, 1, 100000));
  seed = uint64_t(s.integer("seed", "seed of programming and read noise", int64_t(seed), 0, INT64_MAX));
  drift_compensation = s.boolean("drift_compensation", "global drift compensation per array", drift_compensation);
  batch_size = int(s.integer("batch_size", "evaluation batch size", batch_size, 1, 1 << 20));
}

std::string drift_line(const DriftPoint& p) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "t = %10.0f s  accuracy %6.2f%% +- %5.2f%% over %zu runs", p.t_s, 100 * p.mean,
                100 * p.std, p.accuracy.size());
  return buf;
}

namespace {

uint64_t mix(uint64_t a, uint64_t b) {
  uint64_t s = a ^ (b * 0x9E3779B97F4A7C15ull);
  return device::splitmix64(s);
}

}  // namespace

double probe_response(const torch::Tensor& w) { return w.sum(0).abs().mean().item<double>(); }

void DeviceArrays::set_time(double t, uint64_t time_index) {
  t_ = t;
  time_index_ = time_index;
  for (auto& [k, a] : arrays_) a.now = torch::Tensor();
}

torch::Tensor DeviceArrays::weights(int layer, int64_t array, const torch::Tensor& w, double& gain) {
  const uint64_t key = (uint64_t(layer) << 32) ^ uint64_t(array);
  Array& a = arrays_[key];
  if (!a.programmed) program(a, key, w);
  if (!a.now.defined()) {
    device::Rng rng = device::Rng::stream(mix(seed_, 3 + time_index_), key);
    a.now = read(a, t_, rng);
    a.gain = compensate_ && a.reference > 0 ? a.reference / std::max(probe_response(a.now), 1e-30) : 1.0;
  }
  gain = a.gain;
  return a.now;
}

void DeviceArrays::program(Array& a, uint64_t key, const torch::Tensor& w) {
  torch::Tensor wc = w.to(torch::kFloat32).contiguous();
  a.rows = int(wc.size(0));
  a.cols = int(wc.size(1));
  device::ConductancePair c = device::weights_to_conductances(wc.data_ptr<float>(), size_t(wc.numel()), dev_.g_max());
  a.scale = c.scale;
  device::Rng rng = device::Rng::stream(mix(seed_, 1), key);
  a.plus = dev_.program(c.g_plus, a.rows, a.cols, rng);
  a.minus = dev_.program(c.g_minus, a.rows, a.cols, rng);
  a.programmed = true;
  if (compensate_) {
    // Reference read right after programming (t_inference = 0).
    device::Rng ref_rng = device::Rng::stream(mix(seed_, 2), key);
    a.reference = probe_response(read(a, 0.0, ref_rng));
  }
}

torch::Tensor DeviceArrays::read(const Array& a, double t, device::Rng& rng) const {
  std::vector<float> gp = dev_.read(a.plus, t, rng), gm = dev_.read(a.minus, t, rng);
  std::vector<float> w(gp.size());
  device::conductances_to_weights(gp.data(), gm.data(), w.size(), a.scale, w.data());
  return torch::from_blob(w.data(), {a.rows, a.cols}, torch::kFloat32).clone();
}

std::vector<DriftPoint> evaluate_drift(const Network& net, const std::string& dir, const data::ImageSet& test_set,
                                       const AnalogParams& analog, const device::Device& dev,
                                       const DriftEvalOptions& opt) {
  if (!analog.enabled)
    throw InputError({dir, 0, 0}, "analog.enabled", "device evaluation needs analog arrays; set analog.enabled = true");
  check_geometry(net, test_set);
  CheckpointState st = read_state(dir, net);
  IrModel model = load_model(net, dir, st);
  model->set_analog(analog, array_geometry_for(net, analog));
  TensorSet t(test_set);

  std::vector<DriftPoint> points(opt.times_s.size());
  for (int run = 0; run < opt.runs; ++run) {
    DeviceArrays arrays(dev, mix(opt.seed, uint64_t(run)), opt.drift_compensation);
    model->set_array_weights(&arrays);
    for (size_t k = 0; k < opt.times_s.size(); ++k) {
      arrays.set_time(opt.times_s[k], k);
      torch::manual_seed(mix(mix(opt.seed, uint64_t(run)), 1000 + k));  // output noise of this pass
      points[k].t_s = opt.times_s[k];
      points[k].accuracy.push_back(evaluate(model, t, st.norm, opt.batch_size).accuracy);
    }
    model->set_array_weights(nullptr);
  }
  for (auto& p : points) {
    double s = 0, sq = 0;
    for (double a : p.accuracy) s += a;
    p.mean = s / double(p.accuracy.size());
    for (double a : p.accuracy) sq += (a - p.mean) * (a - p.mean);
    p.std = p.accuracy.size() > 1 ? std::sqrt(sq / double(p.accuracy.size() - 1)) : 0.0;
  }
  return points;
}

}  // namespace tessera::nas

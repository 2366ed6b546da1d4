// Time of one training step (forward + backward, batch 128) of a zoo network,
// digital and with analog arrays, split by layer type. Prints milliseconds.
//   build/bench/nas/analog_step_bench [network] [arch.toml]
#include <chrono>
#include <cstdio>
#include <string>

#include "nas/ir_model.hpp"
#include "workloads/zoo/zoo.hpp"

using namespace tessera;
using Clock = std::chrono::steady_clock;

namespace {
double step_ms(nas::IrModel& m, const torch::Tensor& x, const torch::Tensor& y, int reps) {
  m->train();
  auto t0 = Clock::now();
  for (int r = 0; r < reps; ++r) {
    m->zero_grad();
    torch::nn::functional::cross_entropy(m->forward(x), y).backward();
  }
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / reps;
}
}  // namespace

int main(int argc, char** argv) {
  const std::string spec = argc > 1 ? argv[1] : "fmnist-cnn";
  Network net = zoo::build(spec);
  torch::manual_seed(0);
  nas::IrModel m(net);
  auto x = torch::randn({128, net.input.c, net.input.h, net.input.w});
  auto y = torch::randint(0, 10, {128});
  std::printf("%s, batch 128, %d threads\n", spec.c_str(), torch::get_num_threads());
  std::printf("digital step: %.1f ms\n", step_ms(m, x, y, 5));
  nas::AnalogParams p;
  p.enabled = true;
  if (argc > 2) p.arch = argv[2];
  m->set_analog(p, nas::array_geometry_for(net, p));
  std::printf("analog step:  %.1f ms\n", step_ms(m, x, y, 5));
  p.out_noise = 0;
  p.weight_noise = 0;
  m->set_analog(p, nas::array_geometry_for(net, p));
  std::printf("analog step without noise: %.1f ms\n", step_ms(m, x, y, 5));
  p.dac_bits = p.adc_bits = 0;
  m->set_analog(p, nas::array_geometry_for(net, p));
  std::printf("analog step without noise and converters: %.1f ms\n", step_ms(m, x, y, 5));
  // One layer analog at a time: where the time goes.
  p = nas::AnalogParams();
  p.enabled = true;
  if (argc > 2) p.arch = argv[2];
  const auto all = nas::array_geometry_for(net, p);
  for (int i : net.weight_layers()) {
    std::vector<nas::ArrayGeometry> one(net.layers.size());
    one[i] = all[i];
    m->set_analog(p, one);
    std::printf("  only %-12s analog: %.1f ms\n", net.layers[i].name.c_str(), step_ms(m, x, y, 5));
  }
  return 0;
}

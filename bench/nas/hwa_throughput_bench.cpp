// Training throughput of hardware-aware training against plain training of
// the same network, measured side by side in one run (issue: noise injection
// may cost at most 25% of plain training's throughput). Three modes on the
// same mini-batches (batch 128, Fashion-MNIST training images, or random
// images if the data set is not installed):
//   plain         digital layers;
//   weight noise  + Gaussian noise relative to max|W| of each weight's array,
//                 redrawn per mini-batch (arrays as the mapper cuts the
//                 layers on the arch); the definition of HWA training;
//   device noise  the weights programmed per mini-batch into the arch's
//                 crossbar devices (--hwa device);
//   periphery     the full array model (DAC, output noise, ADC per array),
//                 reported separately: it is much slower.
// The modes alternate in rounds so that a change of machine load affects all alike.
//   hwa_throughput_bench [network] [arch.toml] [rounds] [steps]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "nas/ir_model.hpp"
#include "workloads/datasets/fashion_mnist.hpp"
#include "workloads/zoo/zoo.hpp"

using namespace tessera;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  const std::string spec = argc > 1 ? argv[1] : "fmnist-cnn";
  const std::string arch = argc > 2 ? argv[2] : std::string(TESSERA_SOURCE_DIR) + "/configs/arch/pcm-8b.toml";
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 3;
  const int steps = argc > 4 ? std::atoi(argv[4]) : 30;
  const int64_t batch = 128;
  Network net = zoo::build(spec);
  torch::manual_seed(0);

  torch::Tensor images;
  torch::Tensor labels;
  if (net.input.c == 1 && net.input.h == 28 && std::filesystem::exists(data::kFashionMnistDir)) {
    data::ImageSet s = data::load_fashion_mnist(data::Split::Train);
    images = torch::from_blob(s.images.data(), {s.count, 1, 28, 28}, torch::kUInt8).to(torch::kFloat32).div(255.0);
    labels = torch::from_blob(s.labels.data(), {s.count}, torch::kUInt8).to(torch::kInt64);
  } else {
    images = torch::rand({batch * steps, net.input.c, net.input.h, net.input.w});
    labels = torch::randint(0, 10, {batch * steps});
  }

  struct Mode {
    const char* name;
    nas::IrModel model;
    std::unique_ptr<torch::optim::SGD> opt;
    double seconds = 0;
    int64_t images = 0;
    int steps;
  };
  auto make = [&](const char* name, bool analog, bool periphery, int mode_steps, const char* noise_model = "gaussian") {
    torch::manual_seed(1);
    Mode m{name, nas::IrModel(net), nullptr, 0, 0, mode_steps};
    if (analog) {
      nas::AnalogParams p;
      p.enabled = true;
      p.periphery = periphery;
      p.weight_noise = 0.08;
      p.noise_model = noise_model;
      p.arch = arch;
      m.model->set_analog(p, nas::array_geometry_for(net, p));
    }
    m.opt = std::make_unique<torch::optim::SGD>(m.model->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
    return m;
  };
  std::vector<Mode> modes;
  modes.push_back(make("plain", false, false, steps));
  modes.push_back(make("weight noise", true, false, steps));
  modes.push_back(make("device noise", true, false, steps, "device"));
  modes.push_back(make("periphery", true, true, std::max(1, steps / 6)));

  int64_t cursor = 0;
  auto step = [&](Mode& m) {
    m.model->train();
    const int64_t n = images.size(0);
    if (cursor + batch > n) cursor = 0;
    auto x = images.narrow(0, cursor, batch), y = labels.narrow(0, cursor, batch);
    cursor += batch;
    m.opt->zero_grad();
    auto loss = torch::nn::functional::cross_entropy(m.model->forward(x), y);
    loss.backward();
    m.opt->step();
  };
  for (auto& m : modes) step(m);  // warm-up
  for (int r = 0; r < rounds; ++r)
    for (auto& m : modes) {
      const auto t0 = Clock::now();
      for (int s = 0; s < m.steps; ++s) step(m);
      m.seconds += std::chrono::duration<double>(Clock::now() - t0).count();
      m.images += int64_t(m.steps) * batch;
    }
  std::printf("%s, batch %lld, %d torch threads, arrays of %s, %d rounds\n", spec.c_str(), static_cast<long long>(batch),
              torch::get_num_threads(), std::filesystem::path(arch).stem().c_str(), rounds);
  const double plain = double(modes[0].images) / modes[0].seconds;
  for (const auto& m : modes) {
    const double ips = double(m.images) / m.seconds;
    std::printf("  %-13s %8.0f images/s  (%5.1f%% of plain; %.1f ms per step)\n", m.name, ips, 100 * ips / plain,
                1e3 * m.seconds / (double(m.images) / batch));
  }
  std::printf("weight-noise HWA costs %.1f%% of plain training throughput\n",
              100 * (1 - (double(modes[1].images) / modes[1].seconds) / plain));
  std::printf("device-noise HWA costs %.1f%% of plain training throughput\n",
              100 * (1 - (double(modes[2].images) / modes[2].seconds) / plain));
  return 0;
}

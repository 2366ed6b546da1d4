// Speed of the functional mode's standalone datapath (Datapath::run), the
// path the trainer uses to evaluate test sets on the simulated chip: one
// Fashion-MNIST image after another through fmnist-cnn on the ISAAC preset,
// against the integer reference on the same images.
//   functional_bench [images] [--set k=v]...
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "arch/config/arch_config.hpp"
#include "arch/functional/compare.hpp"
#include "arch/functional/datapath.hpp"
#include "arch/functional/reference.hpp"
#include "workloads/datasets/fashion_mnist.hpp"
#include "workloads/zoo/zoo.hpp"

using namespace tessera;
using namespace tessera::functional;

int main(int argc, char** argv) {
  int images = 200;
  std::vector<std::string> sets;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--set" && i + 1 < argc) sets.push_back(argv[++i]);
    else images = std::atoi(argv[i]);
  }
  Network net = zoo::build("fmnist-cnn");
  ArchConfig arch = load_arch(std::string(TESSERA_SOURCE_DIR) + "/configs/arch/isaac.toml", sets);
  Mapping map = map_network(net, arch);
  Program prog = compile(net, arch, map);

  // Test images if the data set is installed, else random ones.
  data::ImageSet set;
  const bool have_set = std::filesystem::exists(data::kFashionMnistDir);
  if (have_set) set = data::load_fashion_mnist(data::Split::Test);
  auto image = [&](int i) {
    return have_set ? image_from_pixels(set.image(i % set.count), net.input, "fashion-mnist")
                    : random_input(net.input, uint64_t(i + 1));
  };
  QuantizedNet q = random_weights(net, 1);
  set_input_signedness(net, q, false);
  calibrate(net, q, image(0));

  auto t0 = std::chrono::steady_clock::now();
  Datapath dp(net, arch, map, prog, q, {});
  double setup = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  double t_hw = 0, t_ref = 0, max_err = 0;
  int agree = 0;
  for (int i = 0; i < images; ++i) {
    InputImage im = image(i);
    auto a = std::chrono::steady_clock::now();
    std::vector<double> hw = dp.run(im);
    auto b = std::chrono::steady_clock::now();
    std::vector<double> ref = logits_of(run_reference(net, q, im));
    auto c = std::chrono::steady_clock::now();
    t_hw += std::chrono::duration<double>(b - a).count();
    t_ref += std::chrono::duration<double>(c - b).count();
    LogitComparison cmp = compare_logits(hw, ref);
    agree += cmp.top1_agrees ? 1 : 0;
    max_err = std::max(max_err, cmp.max_abs_error);
  }
  std::printf("fmnist-cnn on %s, %d %s images\n", arch.name.c_str(), images, have_set ? "Fashion-MNIST test" : "random");
  std::printf("programming the arrays: %.1f ms\n", setup * 1e3);
  std::printf("datapath (standalone):  %.2f ms per image\n", t_hw / images * 1e3);
  std::printf("integer reference:      %.2f ms per image\n", t_ref / images * 1e3);
  std::printf("top-1 agreement with the reference: %d/%d, largest logit error %.4g\n", agree, images, max_err);
  return 0;
}

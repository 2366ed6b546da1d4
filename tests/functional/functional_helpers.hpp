// A network mapped and compiled on a preset, with a quantised network and an
// image: what a Datapath needs (it keeps references, so keep this alive).
#pragma once

#include <string>
#include <vector>

#include "arch/config/arch_config.hpp"
#include "arch/functional/datapath.hpp"
#include "arch/functional/reference.hpp"
#include "workloads/zoo/zoo.hpp"

namespace tessera::functional::test {

inline ArchConfig preset(const std::string& name, const std::vector<std::string>& sets = {}) {
  return load_arch(std::string(TESSERA_SOURCE_DIR) + "/configs/arch/" + name + ".toml", sets);
}

struct Rig {
  Network net;
  ArchConfig arch;
  Mapping map;
  Program prog;
  QuantizedNet q;
  InputImage image;

  // Random weights and image of `seed`, calibrated on that image.
  Rig(Network n, ArchConfig a, uint64_t seed = 1) : net(std::move(n)), arch(std::move(a)) {
    map = map_network(net, arch);
    prog = compile(net, arch, map);
    q = random_weights(net, seed);
    image = random_input(net.input, seed);
    set_input_signedness(net, q, image.has_negative());
    calibrate(net, q, image);
  }
  // Replaces the image (and recalibrates every layer for it).
  void use_image(const InputImage& im) {
    image = im;
    for (auto& l : q.layers) l.input.scale = 0;
    set_input_signedness(net, q, image.has_negative());
    calibrate(net, q, image);
  }
  std::vector<double> reference() const { return logits_of(run_reference(net, q, image)); }
  std::vector<double> hardware(uint64_t seed = 1, double t_inference = 1.0) const {
    DatapathOptions o;
    o.seed = seed;
    o.t_inference = t_inference;
    Datapath dp(net, arch, map, prog, q, o);
    return dp.run(image);
  }
};

}  // namespace tessera::functional::test

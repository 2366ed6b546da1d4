// Step-by-step functional execution of an AP program on the racetrack AP
// (rtm_ap.hpp): every descriptor runs its bit loop with real compares, writes,
// column reads, writes and shifts, over every row tile of the layer. Its
// counts must equal analyse()'s, and its outputs the integer reference.
#pragma once

#include <cstdint>
#include <vector>

#include "arch/ap/cam.hpp"
#include "arch/ap/compiler/layout.hpp"
#include "arch/ap/compiler/program.hpp"
#include "arch/ap/rtm_params.hpp"
#include "workloads/ir/network.hpp"

namespace tessera::ap::compiler {

struct Execution {
  std::vector<int64_t> outputs;  // [Cout][positions], signed, wrapped at the accumulator width
  CamCounts cam;
  RtmCounts rtm;
};

// x: the layer's input activation codes in CHW order, each in 0 .. 2^bits - 1
// (InputError otherwise).
Execution execute(const Program& p, const Layout& l, const RtmParams& rtm, const Layer& layer,
                  const std::vector<int32_t>& x);

}  // namespace tessera::ap::compiler

#include "arch/compile/ap_layer.hpp"

#include <chrono>
#include <cmath>
#include <map>
#include <tuple>

#include "arch/ap/compiler/cost.hpp"
#include "arch/ap/compiler/fold.hpp"
#include "arch/ap/compiler/layout.hpp"
#include "arch/device/rng.hpp"

namespace tessera {

ApLayerCost ap_layer_cost(const Layer& l, const ArchConfig& arch, int cls, uint64_t seed) {
  using Key = std::tuple<int, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int, int, int, int, int, uint64_t>;
  static std::map<Key, ApLayerCost> cache;
  const Key key{int(l.type), l.in.c, l.in.h, l.in.w, l.out.c, l.out.h, l.out.w, l.kernel_h * 100 + l.kernel_w,
                l.stride_h * 100 + l.pad_h, l.groups, l.activation_bits, cls, seed};
  if (auto it = cache.find(key); it != cache.end()) return it->second;

  auto t0 = std::chrono::steady_clock::now();
  const ApClassParams& ac = arch.ap_class(cls);
  const quant::WeightDims dims = ap::compiler::weight_dims(l);
  // Random weights: a standard normal per weight, one stream per layer shape.
  device::Rng rng = device::Rng::stream(seed, uint64_t(std::hash<std::string>{}(l.name)) ^ uint64_t(dims.size()));
  std::vector<float> w(size_t(dims.size()));
  for (auto& v : w) v = float(rng.normal());
  quant::TernaryWeights tw = quant::ternarize(w, dims, ac.ternary);
  ap::compiler::Program p = ap::compiler::compile_layer(l, tw, ac.compiler, ac.ap, ac.rtm);
  ap::compiler::Layout layout = ap::compiler::Layout::build(ac.compiler.layout, p.fields, ac.rtm);
  ap::compiler::ProgramCost c = ap::compiler::analyse(p, layout, ac.rtm, ac.ap);

  ApLayerCost r;
  r.tiles = std::max<int64_t>(1, c.tiles);
  const double t = double(r.tiles);
  r.cycles_per_tile = c.latency_ns * arch.clock_ghz / t;
  r.passes_per_tile = double(c.passes) / t;
  // The compiler counts accesses per column group; the events are per
  // domain-block cluster (one per `tracks` CAM rows), which all move together.
  const double dbcs = double(c.dbcs_per_group);
  r.shifts_per_tile = double(c.rtm.shifts) * dbcs / t;
  r.reads_per_tile = double(c.rtm.reads) * dbcs / t;
  r.writes_per_tile = double(c.rtm.writes) * dbcs / t;
  r.addsub = p.stats.addsub;
  r.nonzero_weights = p.stats.nonzero_weights;
  r.temps = p.stats.temps;
  r.accumulator_bits = p.accumulator_bits;
  r.compile_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  cache[key] = r;
  return r;
}

}  // namespace tessera

// Fuzz target: sweep specs (sim/sweep/spec: the reader, every table's checks,
// the sampler's options), then drawing the points of a small sweep. Points
// are not resolved: that loads and maps a network per point, which the
// network and arch targets fuzz on their own, at a hundredth of the cost.
#include <cstdlib>

#include "fuzz_support.hpp"
#include "sim/sweep/sampler.hpp"
#include "sim/sweep/spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = tessera::fuzz::write_scratch(data, size, "sweep.toml");
  tessera::fuzz::parse_or_input_error([&] {
    const auto spec = tessera::sweep::load_sweep_spec(path);
    const int64_t n = spec.sampler_impl->count(spec.axes);
    // A sampler draws exactly the points it counts (the size check relies on it).
    if (n <= 4096 && int64_t(spec.sampler_impl->sample(spec.axes).size()) != n) std::abort();
  });
  return 0;
}

// Images of a simulated stream (`simulate --stream N`, `sweep.stream`):
// bounded so that the per-image row tables of every tile stay small.
#pragma once

#include <cstdint>

namespace tessera {

constexpr int64_t kMaxStreamImages = 1000;

}  // namespace tessera

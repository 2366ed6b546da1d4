// Shared data for the nas tests: a separable synthetic image set.
#pragma once

#include <cstdint>

#include "arch/device/rng.hpp"
#include "workloads/datasets/image_set.hpp"

namespace tessera::nas::test {

// size x size single-channel images in two classes: class 0 bright on the
// left half, class 1 on the right half, with per-pixel noise. A linear
// classifier separates them.
inline data::ImageSet halves(int count, uint64_t seed, int size = 4) {
  device::Rng rng(seed);
  data::ImageSet s;
  s.name = "halves";
  s.count = count;
  s.channels = 1;
  s.height = s.width = size;
  s.classes = 2;
  for (int i = 0; i < count; ++i) {
    s.labels.push_back(uint8_t(i % 2));
    for (int r = 0; r < size; ++r)
      for (int c = 0; c < size; ++c)
        s.images.push_back(uint8_t(((c < size / 2) == (i % 2 == 0) ? 150 : 60) + int(rng.bits() % 50)));
  }
  return s;
}

}  // namespace tessera::nas::test

// CIFAR-10 in its binary version (Krizhevsky 2009): files of 3073-byte records,
// one label byte (0-9) then 32x32 red, green and blue planes. Training data
// is data_batch_1.bin .. data_batch_5.bin, test data test_batch.bin.
#pragma once

#include <string>

#include "workloads/datasets/image_set.hpp"

namespace tessera::data {

constexpr int kCifar10RecordBytes = 1 + 3 * 32 * 32;

// One batch file; checks record completeness and every label.
ImageSet read_cifar10_batch(const std::string& path);
// All batches of a split from `dir` (e.g. .../cifar-10-batches-bin).
ImageSet load_cifar10(Split split, const std::string& dir);

}  // namespace tessera::data

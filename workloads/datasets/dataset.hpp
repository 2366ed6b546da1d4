// Data sets by name, for the command line: "fashion-mnist" (default
// directory: Debian's package), "cifar10" (the .bin batches' directory) and
// "idx" (any IDX pair in a directory: {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz],
// 10 classes; small synthetic sets for tests).
#pragma once

#include <string>
#include <vector>

#include "workloads/datasets/image_set.hpp"

namespace tessera::data {

std::vector<std::string> dataset_names();
// `dir` empty: the default location (fashion-mnist only). Unknown names and
// missing files are InputErrors.
ImageSet load_dataset(const std::string& name, Split split, const std::string& dir);

}  // namespace tessera::data

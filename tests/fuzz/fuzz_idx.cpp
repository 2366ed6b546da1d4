// Fuzz target: IDX data set files, plain and through the gzip reader.
#include <vector>

#include "fuzz_support.hpp"
#include "workloads/datasets/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> file(data, data + size);
  tessera::fuzz::parse_or_input_error([&] { tessera::data::parse_idx(file, "images.idx"); });
  // The file path: gzip detection and decompression, then the same parser.
  const std::string path = tessera::fuzz::write_scratch(data, size, "images.idx.gz");
  tessera::fuzz::parse_or_input_error([&] { tessera::data::read_idx(path); });
  return 0;
}

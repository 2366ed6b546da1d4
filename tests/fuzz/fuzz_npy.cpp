// Fuzz target: NumPy .npy reader, then every element conversion.
#include <vector>

#include "fuzz_support.hpp"
#include "workloads/io/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> file(data, data + size);
  tessera::fuzz::parse_or_input_error([&] {
    const auto a = tessera::io::parse_npy(file, "a.npy");
    a.to_doubles();
    if (tessera::io::is_integer(a.type)) a.to_integers();
  });
  return 0;
}

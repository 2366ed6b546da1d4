// Fuzz target: arch config TOML (checked reader + every component's load).
#include <string_view>

#include "arch/config/arch_config.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tessera::fuzz::parse_or_input_error([&] {
    auto doc = tessera::io::Document::from_string(std::string_view(reinterpret_cast<const char*>(data), size), "arch.toml");
    tessera::read_arch(doc.root());
  });
  return 0;
}

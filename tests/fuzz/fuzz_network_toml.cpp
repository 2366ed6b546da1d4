// Fuzz target: network files in TOML (reader, IR construction, shape inference).
#include <string_view>

#include "fuzz_support.hpp"
#include "workloads/importers/network_toml.hpp"
#include "workloads/io/toml_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tessera::fuzz::parse_or_input_error([&] {
    auto doc = tessera::io::Document::from_string(std::string_view(reinterpret_cast<const char*>(data), size), "net.toml");
    tessera::read_network(doc.root());
  });
  return 0;
}

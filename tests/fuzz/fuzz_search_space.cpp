// Fuzz target: NAS search spaces (nas/search/space: [network] and [hardware],
// every hardware value tried on its arch), then decoding, drawing and
// mutating genomes. Arch names resolve to the presets only, as the CLI does
// for a plain name, so that an input cannot make the target read any file.
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "fuzz_support.hpp"
#include "nas/search/space.hpp"
#include "workloads/io/toml_reader.hpp"

namespace {
std::string preset(const std::string& name) {
  const bool plain = !name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos;
  const std::string path = std::string(TESSERA_CONFIG_DIR) + "/arch/" + name + ".toml";
  if (!plain || !std::filesystem::exists(path))
    throw tessera::InputError({"arch " + name, 0, 0}, "", "no arch preset named '" + name + "'");
  return path;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tessera::fuzz::parse_or_input_error([&] {
    auto doc = tessera::io::Document::from_string(std::string_view(reinterpret_cast<const char*>(data), size), "space.toml");
    const auto space = tessera::search::SearchSpace::load(doc.root(), preset);
    tessera::search::Rng rng(size);
    const auto g = space.random(rng);
    if (!space.valid(g) || !space.valid(space.mutate(g, rng))) std::abort();  // drawn genomes are valid
    space.decode(g);
  });
  return 0;
}

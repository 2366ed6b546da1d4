// A main() for the fuzz targets where libFuzzer is not available (g++ builds,
// the ctest smoke in CI): runs every file given (or found in the directories
// given) through LLVMFuzzerTestOneInput, each followed by `-mutations=N`
// deterministic mutations of it (bit flips, interesting bytes, cut, repeated
// and truncated ranges). A crash or an escaping exception fails the run.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

struct SplitMix {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  size_t below(size_t n) { return n == 0 ? 0 : size_t(next() % n); }
};

std::vector<uint8_t> mutate(std::vector<uint8_t> v, SplitMix& rng) {
  static const uint8_t interesting[] = {0, 1, 0x7F, 0x80, 0xFF, '0', '9', '-', '"', '[', ']', '=', ',', '\n', 'e'};
  const int edits = 1 + int(rng.below(4));
  for (int e = 0; e < edits; ++e) {
    const size_t n = v.size();
    switch (rng.below(6)) {
      case 0:
        if (n) v[rng.below(n)] ^= uint8_t(1u << rng.below(8));
        break;
      case 1:
        if (n) v[rng.below(n)] = interesting[rng.below(sizeof interesting)];
        break;
      case 2:
        if (n) {
          const size_t at = rng.below(n), len = 1 + rng.below(std::min<size_t>(n - at, 16));
          v.erase(v.begin() + long(at), v.begin() + long(at + len));
        }
        break;
      case 3:
        if (n) {
          const size_t at = rng.below(n), len = 1 + rng.below(std::min<size_t>(n - at, 16));
          std::vector<uint8_t> piece(v.begin() + long(at), v.begin() + long(at + len));
          v.insert(v.begin() + long(rng.below(n + 1)), piece.begin(), piece.end());
        }
        break;
      case 4:
        v.resize(rng.below(n + 1));
        break;
      default:
        v.insert(v.begin() + long(rng.below(n + 1)), uint8_t(rng.next()));
        break;
    }
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  long mutations = 0;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("-mutations=", 0) == 0) {
      mutations = std::strtol(a.c_str() + 11, nullptr, 10);
    } else if (std::filesystem::is_directory(a)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(a))
        if (e.is_regular_file()) files.push_back(e.path().string());
    } else {
      files.push_back(a);
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "usage: %s [-mutations=N] FILE|DIR...\n", argv[0]);
    return 2;
  }
  long runs = 0;
  for (size_t f = 0; f < files.size(); ++f) {
    std::ifstream in(files[f], std::ios::binary);
    const std::vector<uint8_t> seed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(seed.data(), seed.size());
    ++runs;
    SplitMix rng{0x7E55E7A ^ f};
    for (long m = 0; m < mutations; ++m, ++runs) {
      const auto v = mutate(seed, rng);
      LLVMFuzzerTestOneInput(v.data(), v.size());
    }
  }
  std::printf("%ld inputs from %zu seed files: no crash\n", runs, files.size());
  return 0;
}

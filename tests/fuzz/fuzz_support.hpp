// Shared by the fuzz targets (one per parser, tests/fuzz/README.md): the
// contract every parser keeps is "a result or an InputError". Any other
// exception escapes LLVMFuzzerTestOneInput and aborts the run, as do the
// sanitizers' findings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "workloads/base/error.hpp"

namespace tessera::fuzz {

template <class Parse>
void parse_or_input_error(Parse&& parse) {
  try {
    parse();
  } catch (const InputError&) {
    // the expected answer to bad input
  }
}

// A scratch path of this process for parsers that read files (the fuzzer runs
// one input at a time; several fuzzers may share the directory). In memory
// where the system offers it: a disk file costs about 2 ms per input here.
inline std::string scratch_path(const std::string& name) {
  static const std::string dir = std::filesystem::is_directory("/dev/shm") ? "/dev/shm/" : "/tmp/";
  return dir + "tessera-fuzz-" + std::to_string(::getpid()) + "-" + name;
}

inline std::string write_scratch(const uint8_t* data, size_t size, const std::string& name) {
  const std::string path = scratch_path(name);
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), std::streamsize(size));
  return path;
}

// TOML++ 3.3 reaches __builtin_unreachable on some invalid UTF-8 (issue 12
// item 7: "\xcd\xa3"); the reader is to reject invalid UTF-8 before the parser
// (fix on another branch). Until it does, the TOML targets skip such inputs.
inline bool valid_utf8(const uint8_t* s, size_t n) {
  size_t i = 0;
  while (i < n) {
    const uint8_t c = s[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > n) return false;
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

}  // namespace tessera::fuzz

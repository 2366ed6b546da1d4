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

}  // namespace tessera::fuzz

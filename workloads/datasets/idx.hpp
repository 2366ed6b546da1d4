// IDX files (the MNIST family's format), plain or gzip-compressed: a magic of
// two zero bytes, a type byte and a dimension count, big-endian 32-bit
// dimensions, then the data. Data sets use unsigned bytes (type 0x08) only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/base/error.hpp"

namespace tessera::data {

struct IdxArray {
  std::vector<int64_t> dims;
  std::vector<uint8_t> data;  // product(dims) bytes
};

// Reads a whole file, decompressing it when it is gzip (zlib reads plain files as they are).
std::vector<uint8_t> read_maybe_gzip(const std::string& path);
// Parses an IDX file of unsigned bytes; `name` is used in error messages.
IdxArray parse_idx(const std::vector<uint8_t>& bytes, const std::string& name);
IdxArray read_idx(const std::string& path);

// Writes an uncompressed or gzip IDX file of unsigned bytes (tests, small exports).
void write_idx(const std::string& path, const IdxArray& a, bool gzip);

}  // namespace tessera::data

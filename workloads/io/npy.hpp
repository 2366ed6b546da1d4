// NumPy .npy arrays (format versions 1.0 and 2.0): the exchange format for
// trained weights. Only what weight exports need: little-endian float32,
// float64, int8, int16, int32, int64 and uint8 in C order. Anything else
// (Fortran order, big-endian, other dtypes, version 3.0) is an InputError
// naming the file and what is allowed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/base/error.hpp"

namespace tessera::io {

enum class NpyType { Float32, Float64, Int8, Int16, Int32, Int64, Uint8 };

// The descr string NumPy writes for a type ("<f4", "|u1", ...).
const char* npy_descr(NpyType t);
int npy_item_size(NpyType t);
// Descr strings accepted by the reader, for error messages.
std::string npy_allowed_descrs();

struct NpyArray {
  NpyType type = NpyType::Float32;
  std::vector<int64_t> shape;   // empty: a scalar (one element)
  std::vector<uint8_t> bytes;   // little-endian elements in C order

  int64_t count() const;
  // Element values converted to double / float (exact for every supported
  // integer type up to 2^53, and for float32).
  std::vector<double> to_doubles() const;
  std::vector<float> to_floats() const;
  std::vector<int64_t> to_integers() const;  // only for integer types

  static NpyArray of_floats(const std::vector<float>& v, std::vector<int64_t> shape);
  static NpyArray of_doubles(const std::vector<double>& v, std::vector<int64_t> shape);
  static NpyArray of_int8(const std::vector<int8_t>& v, std::vector<int64_t> shape);
  static NpyArray of_int32(const std::vector<int32_t>& v, std::vector<int64_t> shape);
  static NpyArray of_uint8(const std::vector<uint8_t>& v, std::vector<int64_t> shape);
};

bool is_integer(NpyType t);
std::string shape_str(const std::vector<int64_t>& shape);  // "(3, 4)" as NumPy prints it

NpyArray read_npy(const std::string& path);
// Parses an in-memory file; `name` is used in error messages.
NpyArray parse_npy(const std::vector<uint8_t>& file, const std::string& name);
// Writes version 1.0 (2.0 when the header does not fit 65535 bytes); the
// header is padded so the data starts on a 64-byte boundary, as NumPy does.
std::vector<uint8_t> format_npy(const NpyArray& a);
void write_npy(const std::string& path, const NpyArray& a);

}  // namespace tessera::io

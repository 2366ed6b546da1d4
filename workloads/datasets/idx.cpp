#include "workloads/datasets/idx.hpp"

#include <filesystem>
#include <zlib.h>

namespace tessera::data {

namespace {

constexpr uint8_t kUnsignedByte = 0x08;

[[noreturn]] void fail(const std::string& file, const std::string& key, const std::string& msg) {
  throw InputError({file, 0, 0}, key, msg);
}

std::string hex_byte(uint8_t v) {
  const char* digits = "0123456789ABCDEF";
  return std::string("0x") + digits[v >> 4] + digits[v & 15];
}

const char* idx_type_name(uint8_t t) {
  switch (t) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "short";
    case 0x0C: return "int";
    case 0x0D: return "float";
    case 0x0E: return "double";
    default: return "unknown";
  }
}

}  // namespace

std::vector<uint8_t> read_maybe_gzip(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) fail(path, "", "cannot open file: no such file");
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) fail(path, "", "cannot open file");
  std::vector<uint8_t> out;
  std::vector<uint8_t> buf(1 << 16);
  for (;;) {
    int n = gzread(f, buf.data(), unsigned(buf.size()));
    if (n < 0) break;
    out.insert(out.end(), buf.begin(), buf.begin() + n);
    if (n < int(buf.size())) break;
  }
  int err = Z_OK;
  const char* msg = gzerror(f, &err);
  std::string what = msg ? msg : "";
  gzclose(f);
  if (err != Z_OK && err != Z_STREAM_END)
    fail(path, "", "corrupt or truncated gzip stream after " + std::to_string(out.size()) +
                       " decompressed bytes (zlib: " + what + ")");
  return out;
}

IdxArray parse_idx(const std::vector<uint8_t>& b, const std::string& name) {
  if (b.size() < 4) fail(name, "magic", "file is " + std::to_string(b.size()) + " bytes, shorter than the 4-byte IDX magic");
  if (b[0] != 0 || b[1] != 0)
    fail(name, "magic", "not an IDX file: the first two bytes must be zero (is the file compressed some other way?)");
  if (b[2] != kUnsignedByte)
    fail(name, "magic", "data type " + hex_byte(b[2]) + " (" +
                            idx_type_name(b[2]) + ") is not supported; allowed: 0x08 (unsigned byte)");
  const int ndims = b[3];
  if (ndims < 1 || ndims > 4)
    fail(name, "magic", std::to_string(ndims) + " dimensions; allowed: 1 to 4");
  const size_t data_at = 4 + 4 * size_t(ndims);
  if (b.size() < data_at)
    fail(name, "dims", "file ends inside the dimension list (needs " + std::to_string(data_at) + " bytes)");
  IdxArray a;
  int64_t n = 1;
  for (int d = 0; d < ndims; ++d) {
    const uint8_t* p = b.data() + 4 + 4 * d;
    int64_t v = (int64_t(p[0]) << 24) | (int64_t(p[1]) << 16) | (int64_t(p[2]) << 8) | int64_t(p[3]);
    if (v < 1 || v > (int64_t(1) << 31))
      fail(name, "dims", "dimension " + std::to_string(d) + " is " + std::to_string(v) + "; allowed: 1 to 2^31");
    if (n > (int64_t(1) << 40) / v) fail(name, "dims", "dimensions describe more than 2^40 bytes");
    a.dims.push_back(v);
    n *= v;
  }
  const size_t have = b.size() - data_at;
  if (have < size_t(n))
    fail(name, "data", "truncated: the dimensions need " + std::to_string(n) + " data bytes from byte " +
                           std::to_string(data_at) + ", the file has " + std::to_string(have));
  if (have > size_t(n))
    fail(name, "data", std::to_string(have - size_t(n)) + " bytes after the last element (byte " +
                           std::to_string(data_at + size_t(n)) + ")");
  a.data.assign(b.begin() + std::ptrdiff_t(data_at), b.end());
  return a;
}

IdxArray read_idx(const std::string& path) { return parse_idx(read_maybe_gzip(path), path); }

void write_idx(const std::string& path, const IdxArray& a, bool gzip) {
  std::vector<uint8_t> b = {0, 0, kUnsignedByte, uint8_t(a.dims.size())};
  for (int64_t d : a.dims)
    for (int s = 24; s >= 0; s -= 8) b.push_back(uint8_t(d >> s));
  b.insert(b.end(), a.data.begin(), a.data.end());
  gzFile f = gzopen(path.c_str(), gzip ? "wb" : "wbT");  // T: write without compression
  if (!f) fail(path, "", "cannot create file");
  int n = b.empty() ? 0 : gzwrite(f, b.data(), unsigned(b.size()));
  int rc = gzclose(f);
  if (n != int(b.size()) || rc != Z_OK) fail(path, "", "write failed");
}

}  // namespace tessera::data

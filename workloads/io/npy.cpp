#include "workloads/io/npy.hpp"

#include "workloads/io/text_file.hpp"

#include <cctype>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>

// Elements are copied to and from memory as they are: the format stores them
// little-endian, so the host must be little-endian too.
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "npy.cpp assumes a little-endian host"
#endif

namespace tessera::io {

namespace {

const char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;

struct TypeInfo {
  NpyType type;
  const char* descr;  // as written
  int size;
};
constexpr TypeInfo kTypes[] = {
    {NpyType::Float32, "<f4", 4}, {NpyType::Float64, "<f8", 8}, {NpyType::Int8, "|i1", 1},
    {NpyType::Int16, "<i2", 2},   {NpyType::Int32, "<i4", 4},   {NpyType::Int64, "<i8", 8},
    {NpyType::Uint8, "|u1", 1},
};

const TypeInfo& info(NpyType t) {
  for (const auto& i : kTypes)
    if (i.type == t) return i;
  return kTypes[0];
}

[[noreturn]] void fail(const std::string& name, const std::string& key, const std::string& msg) {
  throw InputError({name, 0, 0}, key, msg);
}

// A reader for the Python dict literal of the header:
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
class HeaderParser {
 public:
  HeaderParser(const std::string& text, const std::string& name, size_t base)
      : s_(text), name_(name), base_(base) {}

  void skip_ws() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool eat(char c) {
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char c, const std::string& what) {
    if (!eat(c)) error("", "expected " + what);
  }
  std::string quoted() {
    skip_ws();
    if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"')) error("", "expected a quoted string");
    char q = s_[pos_++];
    size_t end = s_.find(q, pos_);
    if (end == std::string::npos) error("", "unterminated string");
    std::string v = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return v;
  }
  std::string word() {
    skip_ws();
    size_t b = pos_;
    while (pos_ < s_.size() && std::isalnum(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    return s_.substr(b, pos_ - b);
  }
  std::vector<int64_t> tuple(const std::string& key) {
    expect('(', "'(' to open the shape tuple");
    std::vector<int64_t> dims;
    while (!eat(')')) {
      skip_ws();
      size_t b = pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      if (b == pos_) error(key, "expected a non-negative integer dimension");
      if (pos_ - b > 15) error(key, "dimension too large");
      dims.push_back(std::stoll(s_.substr(b, pos_ - b)));
      if (!eat(',')) {
        expect(')', "',' or ')' in the shape tuple");
        break;
      }
    }
    return dims;
  }
  [[noreturn]] void error(const std::string& key, const std::string& msg) const {
    fail(name_, key.empty() ? "header" : "header." + key,
         msg + " (header byte " + std::to_string(base_ + pos_) + ")");
  }

 private:
  const std::string& s_;
  const std::string& name_;
  size_t base_;
  size_t pos_ = 0;
};

template <class T>
NpyArray pack(NpyType type, const std::vector<T>& v, std::vector<int64_t> shape) {
  NpyArray a;
  a.type = type;
  a.shape = std::move(shape);
  a.bytes.resize(v.size() * sizeof(T));
  if (!v.empty()) std::memcpy(a.bytes.data(), v.data(), a.bytes.size());
  return a;
}

template <class T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

double element(NpyType t, const uint8_t* p) {
  switch (t) {
    case NpyType::Float32: return load<float>(p);
    case NpyType::Float64: return load<double>(p);
    case NpyType::Int8: return load<int8_t>(p);
    case NpyType::Int16: return load<int16_t>(p);
    case NpyType::Int32: return load<int32_t>(p);
    case NpyType::Int64: return double(load<int64_t>(p));
    case NpyType::Uint8: return load<uint8_t>(p);
  }
  return 0;
}

}  // namespace

const char* npy_descr(NpyType t) { return info(t).descr; }
int npy_item_size(NpyType t) { return info(t).size; }
bool is_integer(NpyType t) { return t != NpyType::Float32 && t != NpyType::Float64; }

std::string npy_allowed_descrs() {
  std::string s;
  for (const auto& i : kTypes) s += (s.empty() ? "" : ", ") + std::string(i.descr);
  return s + " (little-endian float32, float64, int8, int16, int32, int64, uint8)";
}

std::string shape_str(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) s += ",";
  return s + ")";
}

int64_t NpyArray::count() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::vector<double> NpyArray::to_doubles() const {
  const int sz = npy_item_size(type);
  std::vector<double> out(size_t(bytes.size() / sz));
  for (size_t i = 0; i < out.size(); ++i) out[i] = element(type, bytes.data() + i * sz);
  return out;
}

std::vector<float> NpyArray::to_floats() const {
  if (type == NpyType::Float32) {
    std::vector<float> out(bytes.size() / 4);
    if (!out.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
    return out;
  }
  auto d = to_doubles();
  return std::vector<float>(d.begin(), d.end());
}

std::vector<int64_t> NpyArray::to_integers() const {
  const int sz = npy_item_size(type);
  std::vector<int64_t> out(size_t(bytes.size() / sz));
  for (size_t i = 0; i < out.size(); ++i) {
    const uint8_t* p = bytes.data() + i * sz;
    out[i] = type == NpyType::Int64 ? load<int64_t>(p) : int64_t(element(type, p));
  }
  return out;
}

NpyArray NpyArray::of_floats(const std::vector<float>& v, std::vector<int64_t> s) {
  return pack(NpyType::Float32, v, std::move(s));
}
NpyArray NpyArray::of_doubles(const std::vector<double>& v, std::vector<int64_t> s) {
  return pack(NpyType::Float64, v, std::move(s));
}
NpyArray NpyArray::of_int8(const std::vector<int8_t>& v, std::vector<int64_t> s) {
  return pack(NpyType::Int8, v, std::move(s));
}
NpyArray NpyArray::of_int32(const std::vector<int32_t>& v, std::vector<int64_t> s) {
  return pack(NpyType::Int32, v, std::move(s));
}
NpyArray NpyArray::of_uint8(const std::vector<uint8_t>& v, std::vector<int64_t> s) {
  return pack(NpyType::Uint8, v, std::move(s));
}

NpyArray parse_npy(const std::vector<uint8_t>& f, const std::string& name) {
  if (f.size() < kMagicLen + 2 || std::memcmp(f.data(), kMagic, kMagicLen) != 0)
    fail(name, "magic", "not a NumPy .npy file (expected the magic bytes \\x93NUMPY at byte 0)");
  const int major = f[6], minor = f[7];
  size_t len_bytes = 0;
  if (major == 1 && minor == 0) len_bytes = 2;
  else if (major == 2 && minor == 0) len_bytes = 4;
  else
    fail(name, "version", "format version " + std::to_string(major) + "." + std::to_string(minor) +
                              " is not supported; allowed: 1.0, 2.0");
  const size_t header_at = 8 + len_bytes;
  if (f.size() < header_at) fail(name, "header", "file ends inside the header length field (byte 8)");
  size_t header_len = 0;
  for (size_t i = 0; i < len_bytes; ++i) header_len |= size_t(f[8 + i]) << (8 * i);
  if (f.size() < header_at + header_len)
    fail(name, "header", "file ends inside the header: it declares " + std::to_string(header_len) +
                             " header bytes from byte " + std::to_string(header_at) + " but the file has " +
                             std::to_string(f.size()) + " bytes");
  const std::string text(reinterpret_cast<const char*>(f.data()) + header_at, header_len);

  HeaderParser p(text, name, header_at);
  std::string descr;
  bool have_descr = false, have_order = false, have_shape = false;
  bool fortran = false;
  NpyArray a;
  p.expect('{', "'{' at the start of the header dictionary");
  while (!p.eat('}')) {
    std::string key = p.quoted();
    p.expect(':', "':' after key '" + key + "'");
    if (key == "descr") {
      descr = p.quoted();
      have_descr = true;
    } else if (key == "fortran_order") {
      std::string w = p.word();
      if (w != "True" && w != "False") p.error(key, "expected True or False, found '" + w + "'");
      fortran = w == "True";
      have_order = true;
    } else if (key == "shape") {
      a.shape = p.tuple(key);
      have_shape = true;
    } else {
      p.error(key, "unknown header key; allowed: descr, fortran_order, shape");
    }
    if (!p.eat(',')) {
      p.expect('}', "',' or '}' in the header dictionary");
      break;
    }
  }
  if (!have_descr) fail(name, "header.descr", "missing in the header");
  if (!have_order) fail(name, "header.fortran_order", "missing in the header");
  if (!have_shape) fail(name, "header.shape", "missing in the header");
  if (fortran)
    fail(name, "header.fortran_order", "Fortran-order arrays are not supported; allowed: C order (fortran_order: False)");

  // One-byte types carry no byte order: NumPy writes '|', '<' and '=' are equivalent.
  bool found = false;
  for (const auto& t : kTypes) {
    std::string d = t.descr;
    bool match = descr == d;
    if (!match && t.size == 1) match = descr == "<" + d.substr(1) || descr == "=" + d.substr(1);
    if (match) {
      a.type = t.type;
      found = true;
    }
  }
  if (!found) fail(name, "header.descr", "dtype '" + descr + "' is not supported; allowed: " + npy_allowed_descrs());

  int64_t n = 1;
  for (int64_t d : a.shape) {
    if (d != 0 && n > std::numeric_limits<int64_t>::max() / 8 / d)
      fail(name, "header.shape", "shape " + shape_str(a.shape) + " is too large");
    n *= d;
  }
  const size_t data_at = header_at + header_len;
  const size_t need = size_t(n) * size_t(npy_item_size(a.type));
  const size_t have = f.size() - data_at;
  if (have < need)
    fail(name, "data", "truncated: shape " + shape_str(a.shape) + " of " + descr + " needs " + std::to_string(need) +
                           " data bytes from byte " + std::to_string(data_at) + ", the file has " + std::to_string(have));
  if (have > need)
    fail(name, "data", std::to_string(have - need) + " bytes after the last element (byte " +
                           std::to_string(data_at + need) + "); shape " + shape_str(a.shape) + " of " + descr +
                           " needs " + std::to_string(need));
  a.bytes.assign(f.begin() + std::ptrdiff_t(data_at), f.end());
  return a;
}

NpyArray read_npy(const std::string& path) {
  const std::string bytes = read_file(path, ".npy file");
  const std::vector<uint8_t> f(bytes.begin(), bytes.end());
  return parse_npy(f, path);
}

std::vector<uint8_t> format_npy(const NpyArray& a) {
  std::string dict = "{'descr': '" + std::string(npy_descr(a.type)) + "', 'fortran_order': False, 'shape': " +
                     shape_str(a.shape) + ", }";
  // Pad with spaces and end with '\n' so that the data starts on a 64-byte boundary.
  auto padded = [&](size_t prefix) {
    std::string h = dict;
    size_t total = prefix + h.size() + 1;
    h.append((64 - total % 64) % 64, ' ');
    return h + "\n";
  };
  std::string header = padded(10);
  int major = 1;
  if (header.size() > 65535) {
    major = 2;
    header = padded(12);
  }
  std::vector<uint8_t> out(kMagic, kMagic + kMagicLen);
  out.push_back(uint8_t(major));
  out.push_back(0);
  const size_t len_bytes = major == 1 ? 2 : 4;
  for (size_t i = 0; i < len_bytes; ++i) out.push_back(uint8_t(header.size() >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), a.bytes.begin(), a.bytes.end());
  return out;
}

void write_npy(const std::string& path, const NpyArray& a) {
  if (a.bytes.size() != size_t(a.count()) * size_t(npy_item_size(a.type)))
    throw std::logic_error("write_npy: " + path + ": byte count does not match shape " + shape_str(a.shape));
  auto bytes = format_npy(a);
  std::ofstream out(path, std::ios::binary);
  if (!out) fail(path, "", "cannot create file");
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  if (!out) fail(path, "", "write failed");
}

}  // namespace tessera::io

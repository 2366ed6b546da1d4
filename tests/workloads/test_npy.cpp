// NumPy .npy files: exact header bytes, round trips of every supported dtype,
// both header versions, and the errors for files the reader must refuse.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "workloads/io/npy.hpp"

using namespace tessera;
using namespace tessera::io;

namespace {

std::string temp(const std::string& name) { return ::testing::TempDir() + "/" + name; }

// A file as NumPy lays it out: magic, version, little-endian header length, header, data.
std::vector<uint8_t> npy_bytes(int major, const std::string& header, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> f = {0x93, 'N', 'U', 'M', 'P', 'Y', uint8_t(major), 0};
  size_t n = header.size();
  f.push_back(uint8_t(n));
  f.push_back(uint8_t(n >> 8));
  if (major == 2) {
    f.push_back(uint8_t(n >> 16));
    f.push_back(uint8_t(n >> 24));
  }
  f.insert(f.end(), header.begin(), header.end());
  f.insert(f.end(), data.begin(), data.end());
  return f;
}

std::vector<uint8_t> float_bytes(std::initializer_list<float> v) {
  std::vector<uint8_t> b(v.size() * 4);
  std::memcpy(b.data(), std::data(v), b.size());
  return b;
}

std::string error_of(const std::vector<uint8_t>& f) {
  try {
    parse_npy(f, "w.npy");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(Npy, WritesTheHeaderNumPyWrites) {
  auto a = NpyArray::of_floats({1, 2, 3, 4, 5, 6}, {2, 3});
  auto f = format_npy(a);
  // NumPy pads the header with spaces so that magic + version + length + header is a multiple of 64.
  // The 59-character dictionary makes 10 + 59 + 1 bytes, padded to 128: data at byte 128, as in NumPy's files.
  ASSERT_EQ(f.size(), 128u + 24u);
  EXPECT_EQ(f[6], 1);
  EXPECT_EQ(f[7], 0);
  EXPECT_EQ(f[8] | (f[9] << 8), 118);
  std::string header(f.begin() + 10, f.begin() + 128);
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  ASSERT_EQ(dict.size(), 59u);
  EXPECT_EQ(header, dict + std::string(118 - dict.size() - 1, ' ') + "\n");
  float x;
  std::memcpy(&x, f.data() + 128 + 5 * 4, 4);
  EXPECT_EQ(x, 6.0f);
}

TEST(Npy, OneDimensionalShapeHasTrailingComma) {
  EXPECT_EQ(shape_str({5}), "(5,)");
  EXPECT_EQ(shape_str({}), "()");
  auto f = format_npy(NpyArray::of_uint8({7}, {1}));
  std::string header(f.begin() + 10, f.end() - 1);
  EXPECT_NE(header.find("'descr': '|u1'"), std::string::npos);
  EXPECT_NE(header.find("'shape': (1,)"), std::string::npos);
}

TEST(Npy, RoundTripsEveryDtype) {
  struct Case {
    NpyArray a;
    std::vector<double> values;
  };
  std::vector<Case> cases;
  cases.push_back({NpyArray::of_floats({1.5f, -2.25f, 3e-8f, 0}, {2, 2}), {1.5, -2.25, double(3e-8f), 0}});
  cases.push_back({NpyArray::of_doubles({0.1, -1e300}, {2}), {0.1, -1e300}});
  cases.push_back({NpyArray::of_int8({-128, 127, 0}, {3, 1}), {-128, 127, 0}});
  cases.push_back({NpyArray::of_int32({-2147483647, 5}, {1, 2}), {-2147483647, 5}});
  cases.push_back({NpyArray::of_uint8({255, 0, 1}, {3}), {255, 0, 1}});
  {
    NpyArray a;
    a.type = NpyType::Int16;
    a.shape = {2};
    int16_t v[] = {-300, 32767};
    a.bytes.resize(4);
    std::memcpy(a.bytes.data(), v, 4);
    cases.push_back({a, {-300, 32767}});
  }
  {
    NpyArray a;
    a.type = NpyType::Int64;
    a.shape = {1, 1, 1};
    int64_t v = -(int64_t(1) << 40);
    a.bytes.resize(8);
    std::memcpy(a.bytes.data(), &v, 8);
    cases.push_back({a, {double(v)}});
  }
  for (const auto& c : cases) {
    std::string path = temp("rt_" + std::string(npy_descr(c.a.type)).substr(1) + ".npy");
    write_npy(path, c.a);
    NpyArray b = read_npy(path);
    EXPECT_EQ(b.type, c.a.type) << npy_descr(c.a.type);
    EXPECT_EQ(b.shape, c.a.shape) << npy_descr(c.a.type);
    EXPECT_EQ(b.bytes, c.a.bytes) << npy_descr(c.a.type);
    EXPECT_EQ(b.to_doubles(), c.values) << npy_descr(c.a.type);
  }
}

TEST(Npy, ReadsVersion2Headers) {
  std::string h = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n";
  NpyArray a = parse_npy(npy_bytes(2, h, float_bytes({0.5f, -4.0f})), "v2.npy");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2}));
  EXPECT_EQ(a.to_floats(), (std::vector<float>{0.5f, -4.0f}));
}

TEST(Npy, WritesVersion2WhenTheHeaderIsLarge) {
  // 30000 unit dimensions make a header of ~90 kB, beyond version 1.0's 16-bit length.
  NpyArray a = NpyArray::of_floats({42.0f}, std::vector<int64_t>(30000, 1));
  auto f = format_npy(a);
  EXPECT_EQ(f[6], 2);
  size_t header_len = f[8] | (f[9] << 8) | (f[10] << 16) | (size_t(f[11]) << 24);
  EXPECT_EQ((12 + header_len) % 64, 0u);
  NpyArray b = parse_npy(f, "big.npy");
  EXPECT_EQ(b.shape.size(), 30000u);
  EXPECT_EQ(b.to_floats(), std::vector<float>{42.0f});
}

TEST(Npy, AcceptsKeysInAnyOrderAndDoubleQuotes) {
  std::string h = "{\"shape\": (1, 2), \"fortran_order\": False, \"descr\": \"<f4\"}";
  NpyArray a = parse_npy(npy_bytes(1, h, float_bytes({1, 2})), "q.npy");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{1, 2}));
  // A scalar has shape () and one element.
  NpyArray s = parse_npy(npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", float_bytes({3})), "s.npy");
  EXPECT_EQ(s.count(), 1);
  EXPECT_EQ(s.to_floats()[0], 3.0f);
}

TEST(Npy, RejectsFortranOrder) {
  std::string e = error_of(npy_bytes(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", float_bytes({1, 2})));
  EXPECT_NE(e.find("w.npy"), std::string::npos) << e;
  EXPECT_NE(e.find("header.fortran_order"), std::string::npos) << e;
  EXPECT_NE(e.find("allowed: C order"), std::string::npos) << e;
}

TEST(Npy, RejectsOtherDtypesAndByteOrders) {
  for (const char* d : {">f4", "<c8", "|O", "<u2", "<f2", "|b1"}) {
    std::string h = std::string("{'descr': '") + d + "', 'fortran_order': False, 'shape': (1,), }";
    std::string e = error_of(npy_bytes(1, h, {0, 0, 0, 0, 0, 0, 0, 0}));
    EXPECT_NE(e.find("w.npy: header.descr: dtype '" + std::string(d) + "' is not supported; allowed: <f4, <f8, |i1"),
              std::string::npos)
        << e;
  }
}

TEST(Npy, RejectsBrokenFiles) {
  std::string good = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  EXPECT_NE(error_of({'P', 'K', 3, 4, 0, 0, 0, 0}).find("magic"), std::string::npos);
  auto v3 = npy_bytes(1, good, float_bytes({1, 2}));
  v3[6] = 3;
  EXPECT_NE(error_of(v3).find("format version 3.0 is not supported; allowed: 1.0, 2.0"), std::string::npos);
  // Truncated data: one float of two.
  std::string e = error_of(npy_bytes(1, good, float_bytes({1})));
  EXPECT_NE(e.find("data: truncated"), std::string::npos) << e;
  EXPECT_NE(e.find("needs 8 data bytes"), std::string::npos) << e;
  e = error_of(npy_bytes(1, good, float_bytes({1, 2, 3})));
  EXPECT_NE(e.find("4 bytes after the last element"), std::string::npos) << e;
  // Header length beyond the end of the file.
  auto cut = npy_bytes(1, good, {});
  cut.resize(30);
  EXPECT_NE(error_of(cut).find("file ends inside the header"), std::string::npos);
  e = error_of(npy_bytes(1, "{'descr': '<f4', 'shape': (2,), }", float_bytes({1, 2})));
  EXPECT_NE(e.find("header.fortran_order: missing"), std::string::npos) << e;
  e = error_of(npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", float_bytes({1, 2})));
  EXPECT_NE(e.find("header.shape"), std::string::npos) << e;
  e = error_of(npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", float_bytes({1, 2})));
  EXPECT_NE(e.find("unknown header key"), std::string::npos) << e;
}

TEST(Npy, MissingFileNamesThePath) {
  try {
    read_npy(temp("does_not_exist.npy"));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("does_not_exist.npy: cannot open .npy file: no such file"), std::string::npos) << e.what();
  }
}

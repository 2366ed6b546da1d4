// Data set readers: IDX (plain and gzip), Fashion-MNIST, CIFAR-10 binary
// batches, on small files written here; and the real Fashion-MNIST when installed.
#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>

#include "workloads/datasets/cifar10.hpp"
#include "workloads/datasets/fashion_mnist.hpp"
#include "workloads/datasets/idx.hpp"

using namespace tessera;
using namespace tessera::data;
namespace fs = std::filesystem;

namespace {

std::string fresh_dir(const std::string& name) {
  std::string d = ::testing::TempDir() + "/ds_" + name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

void write_bytes(const std::string& path, const std::vector<uint8_t>& b) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

// A tiny Fashion-MNIST directory: n images whose pixel (r, c) of image i is (i + r + c) % 256.
void write_fmnist(const std::string& dir, const std::string& prefix, int n, std::vector<uint8_t> labels, bool gzip,
                  int rows = 28) {
  IdxArray im{{n, rows, 28}, {}};
  for (int i = 0; i < n; ++i)
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < 28; ++c) im.data.push_back(uint8_t((i + r + c) % 256));
  std::string sfx = gzip ? ".gz" : "";
  write_idx(dir + "/" + prefix + "-images-idx3-ubyte" + sfx, im, gzip);
  write_idx(dir + "/" + prefix + "-labels-idx1-ubyte" + sfx, IdxArray{{int64_t(labels.size())}, labels}, gzip);
}

}  // namespace

TEST(Idx, ParsesHandWrittenBytes) {
  // Magic 00 00 08 02, dimensions 2 and 3 big-endian, six data bytes.
  std::vector<uint8_t> f = {0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6};
  IdxArray a = parse_idx(f, "hand.idx");
  EXPECT_EQ(a.dims, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a.data, (std::vector<uint8_t>{1, 2, 3, 4, 5, 6}));
  // A dimension above 255 exercises the byte order: 0x00000104 = 260.
  std::vector<uint8_t> g = {0, 0, 8, 1, 0, 0, 1, 4};
  g.resize(8 + 260, 9);
  EXPECT_EQ(parse_idx(g, "g.idx").dims[0], 260);
}

TEST(Idx, RoundTripPlainAndGzip) {
  std::string dir = fresh_dir("idx_rt");
  IdxArray a{{4, 5}, {}};
  for (int i = 0; i < 20; ++i) a.data.push_back(uint8_t(i * 13));
  write_idx(dir + "/a.idx", a, false);
  write_idx(dir + "/a.idx.gz", a, true);
  auto plain = read_bytes(dir + "/a.idx");
  ASSERT_EQ(plain.size(), 4u + 8u + 20u);
  EXPECT_EQ(plain[2], 0x08);
  auto gz = read_bytes(dir + "/a.idx.gz");
  EXPECT_EQ(gz[0], 0x1f);  // gzip magic
  EXPECT_EQ(gz[1], 0x8b);
  for (const char* f : {"/a.idx", "/a.idx.gz"}) {
    IdxArray b = read_idx(dir + f);
    EXPECT_EQ(b.dims, a.dims) << f;
    EXPECT_EQ(b.data, a.data) << f;
  }
}

TEST(Idx, RejectsBadFiles) {
  std::string e = error_of([] { parse_idx({1, 0, 8, 1, 0, 0, 0, 1, 0}, "x.idx"); });
  EXPECT_NE(e.find("x.idx: magic: not an IDX file"), std::string::npos) << e;
  e = error_of([] { parse_idx({0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0}, "x.idx"); });
  EXPECT_NE(e.find("data type 0x0D (float) is not supported; allowed: 0x08 (unsigned byte)"), std::string::npos) << e;
  e = error_of([] { parse_idx({0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3}, "x.idx"); });
  EXPECT_NE(e.find("data: truncated: the dimensions need 6 data bytes from byte 12, the file has 3"), std::string::npos) << e;
  e = error_of([] { parse_idx({0, 0, 8, 1, 0, 0, 0, 1, 7, 7}, "x.idx"); });
  EXPECT_NE(e.find("1 bytes after the last element"), std::string::npos) << e;
  e = error_of([] { parse_idx({0, 0, 8, 3, 0, 0, 0, 1}, "x.idx"); });
  EXPECT_NE(e.find("file ends inside the dimension list"), std::string::npos) << e;
  e = error_of([] { parse_idx({0, 0, 8, 1, 0, 0, 0, 0}, "x.idx"); });
  EXPECT_NE(e.find("dims: dimension 0 is 0"), std::string::npos) << e;

  // A gzip file cut short is a corrupt stream, not a short array.
  std::string dir = fresh_dir("idx_bad");
  IdxArray a{{1000}, std::vector<uint8_t>(1000)};
  for (int i = 0; i < 1000; ++i) a.data[i] = uint8_t(i * 7919 >> 3);
  write_idx(dir + "/t.gz", a, true);
  auto gz = read_bytes(dir + "/t.gz");
  gz.resize(gz.size() / 2);
  write_bytes(dir + "/t.gz", gz);
  e = error_of([&] { read_idx(dir + "/t.gz"); });
  EXPECT_NE(e.find("t.gz: corrupt or truncated gzip stream"), std::string::npos) << e;
  e = error_of([&] { read_idx(dir + "/none.gz"); });
  EXPECT_NE(e.find("none.gz: cannot open file"), std::string::npos) << e;
}

TEST(FashionMnist, LoadsGeneratedFiles) {
  for (bool gzip : {true, false}) {
    std::string dir = fresh_dir(gzip ? "fm_gz" : "fm_plain");
    write_fmnist(dir, "t10k", 3, {9, 0, 4}, gzip);
    ImageSet s = load_fashion_mnist(Split::Test, dir);
    EXPECT_EQ(s.name, "fashion-mnist/test");
    EXPECT_EQ(s.count, 3);
    EXPECT_EQ(s.channels, 1);
    EXPECT_EQ(s.height, 28);
    EXPECT_EQ(s.width, 28);
    EXPECT_EQ(s.classes, 10);
    EXPECT_EQ(s.labels, (std::vector<uint8_t>{9, 0, 4}));
    EXPECT_EQ(s.image(2)[5 * 28 + 7], 2 + 5 + 7);
    EXPECT_EQ(s.image(1)[27 * 28 + 27], 1 + 27 + 27);
  }
}

TEST(FashionMnist, RejectsBadData) {
  std::string dir = fresh_dir("fm_bad");
  write_fmnist(dir, "train", 3, {1, 10, 2}, true);
  std::string e = error_of([&] { load_fashion_mnist(Split::Train, dir); });
  EXPECT_NE(e.find("train-labels-idx1-ubyte.gz: label: label 10 of image 1 (byte 9) is out of range; allowed: 0 to 9"),
            std::string::npos)
      << e;
  write_fmnist(dir, "train", 3, {1, 2}, true);
  e = error_of([&] { load_fashion_mnist(Split::Train, dir); });
  EXPECT_NE(e.find("2 labels for 3 images"), std::string::npos) << e;
  write_fmnist(dir, "train", 2, {1, 2}, true, 27);
  e = error_of([&] { load_fashion_mnist(Split::Train, dir); });
  EXPECT_NE(e.find("images are 27x28; Fashion-MNIST images are 28x28"), std::string::npos) << e;
  e = error_of([&] { load_fashion_mnist(Split::Test, dir); });
  EXPECT_NE(e.find("neither t10k-images-idx3-ubyte.gz nor t10k-images-idx3-ubyte exists"), std::string::npos) << e;
}

TEST(Cifar10, ReadsRecords) {
  std::string dir = fresh_dir("cifar");
  // Record r: label r % 10, red plane all r, green plane the pixel index / 4, blue plane 255 - r.
  auto batch = [](int n, int first) {
    std::vector<uint8_t> b;
    for (int r = first; r < first + n; ++r) {
      b.push_back(uint8_t(r % 10));
      for (int i = 0; i < 1024; ++i) b.push_back(uint8_t(r));
      for (int i = 0; i < 1024; ++i) b.push_back(uint8_t(i / 4));
      for (int i = 0; i < 1024; ++i) b.push_back(uint8_t(255 - r));
    }
    return b;
  };
  write_bytes(dir + "/test_batch.bin", batch(3, 0));
  ImageSet t = read_cifar10_batch(dir + "/test_batch.bin");
  EXPECT_EQ(t.count, 3);
  EXPECT_EQ(t.channels, 3);
  EXPECT_EQ(t.height, 32);
  EXPECT_EQ(t.labels, (std::vector<uint8_t>{0, 1, 2}));
  EXPECT_EQ(t.image(2)[0], 2);                 // red
  EXPECT_EQ(t.image(2)[1024 + 1023], 255);     // green, last pixel
  EXPECT_EQ(t.image(2)[2048 + 17], 253);       // blue

  for (int i = 1; i <= 5; ++i) write_bytes(dir + "/data_batch_" + std::to_string(i) + ".bin", batch(2, 2 * i));
  ImageSet tr = load_cifar10(Split::Train, dir);
  EXPECT_EQ(tr.count, 10);
  EXPECT_EQ(tr.labels, (std::vector<uint8_t>{2, 3, 4, 5, 6, 7, 8, 9, 0, 1}));
  EXPECT_EQ(tr.image(9)[0], 11);
  EXPECT_EQ(load_cifar10(Split::Test, dir).count, 3);
}

TEST(Cifar10, RejectsBadBatches) {
  std::string dir = fresh_dir("cifar_bad");
  std::vector<uint8_t> b(2 * 3073 + 100, 1);
  write_bytes(dir + "/test_batch.bin", b);
  std::string e = error_of([&] { read_cifar10_batch(dir + "/test_batch.bin"); });
  EXPECT_NE(e.find("record: truncated: 6246 bytes is not a whole number of 3073-byte records; record 2 starting at byte 6146"),
            std::string::npos)
      << e;
  b.resize(2 * 3073);
  b[3073] = 10;
  write_bytes(dir + "/test_batch.bin", b);
  e = error_of([&] { read_cifar10_batch(dir + "/test_batch.bin"); });
  EXPECT_NE(e.find("label 10 of record 1 (byte 3073) is out of range; allowed: 0 to 9"), std::string::npos) << e;
  e = error_of([&] { load_cifar10(Split::Train, dir); });
  EXPECT_NE(e.find("data_batch_1.bin: cannot open file"), std::string::npos) << e;
}

TEST(FashionMnist, RealTestSetWhenInstalled) {
  if (!fs::exists(std::string(kFashionMnistDir) + "/t10k-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  ImageSet s = load_fashion_mnist(Split::Test);
  ASSERT_EQ(s.count, 10000);
  EXPECT_EQ(s.images.size(), 10000u * 28 * 28);
  // The test set is balanced: 1000 images of each class.
  std::array<int, 10> per_class{};
  for (uint8_t l : s.labels) ++per_class[l];
  for (int c = 0; c < 10; ++c) EXPECT_EQ(per_class[c], 1000) << "class " << c;
  // Images are dark backgrounds with bright objects: some pixels are 0, some are 255.
  EXPECT_EQ(*std::min_element(s.images.begin(), s.images.end()), 0);
  EXPECT_EQ(*std::max_element(s.images.begin(), s.images.end()), 255);
}

// The functional CAM and its bit-serial arithmetic: exhaustive over all operand
// pairs of small widths, pass counts against the 4-passes-per-bit formula.
#include <gtest/gtest.h>

#include <random>

#include "arch/ap/arith.hpp"
#include "arch/ap/cam.hpp"
#include "arch/ap/reduce.hpp"

using namespace tessera::ap;

namespace {
int64_t wrap(int64_t v, int m) {
  uint64_t u = uint64_t(v) & ((m == 64) ? ~uint64_t(0) : ((uint64_t(1) << m) - 1));
  if (m < 64 && ((u >> (m - 1)) & 1u)) u |= ~uint64_t(0) << m;
  return int64_t(u);
}
int64_t signed_of(uint64_t pattern, int m) { return wrap(int64_t(pattern), m); }
}  // namespace

TEST(Cam, CompareAndWriteAreMaskedAndCounted) {
  Cam cam(4, 3);
  // rows: 0 = 000, 1 = 011, 2 = 101, 3 = 111 (column 0 is the low bit)
  for (int r = 0; r < 4; ++r) cam.store(r, {0, 3}, std::vector<int>{0, 3, 5, 7}[r]);
  cam.clear_mask();
  cam.set_key(0, true);
  cam.compare();
  EXPECT_EQ(cam.tags().count(), 3);
  EXPECT_FALSE(cam.tags().get(0));
  cam.set_key(1, false);  // key now (col0 = 1, col1 = 0): only 101
  cam.compare();
  EXPECT_EQ(cam.tags().count(), 1);
  EXPECT_TRUE(cam.tags().get(2));
  cam.clear_mask();
  cam.set_key(2, false);  // write column 2 <- 0 in the tagged row only
  cam.write();
  EXPECT_EQ(cam.load_unsigned(2, {0, 3}), 1u);
  EXPECT_EQ(cam.load_unsigned(3, {0, 3}), 7u);
  cam.clear_mask();
  cam.compare();  // empty mask tags every row
  EXPECT_EQ(cam.tags().count(), 4);
  EXPECT_EQ(cam.counts().compares, 3);
  EXPECT_EQ(cam.counts().writes, 1);
}

// Every pair of m-bit patterns in its own row: B <- A + B and B <- B - A wrap
// at m bits, A is untouched, the carry column ends as the unsigned carry
// (borrow) out, and the cost is 4m + 1 compares and writes.
class AddSubExhaustive : public ::testing::TestWithParam<int> {};

TEST_P(AddSubExhaustive, AllPairs) {
  const int m = GetParam();
  const int n = 1 << m;
  for (bool subtract : {false, true}) {
    Cam cam(n * n, 2 * m + 1);
    Field a{0, m}, b{m, m};
    const int c = 2 * m;
    for (int i = 0; i < n; ++i)
      for (int k = 0; k < n; ++k) cam.store(i * n + k, a, i), cam.store(i * n + k, b, k);
    cam.set_bit(5 % (n * n), c, true);  // stale carry: the clear must remove it
    subtract ? sub(cam, a, b, c) : add(cam, a, b, c);
    for (int i = 0; i < n; ++i)
      for (int k = 0; k < n; ++k) {
        int row = i * n + k;
        int64_t sa = signed_of(i, m), sb = signed_of(k, m);
        int64_t want = wrap(subtract ? sb - sa : sa + sb, m);
        ASSERT_EQ(cam.load_signed(row, b), want) << "m=" << m << " a=" << sa << " b=" << sb;
        ASSERT_EQ(cam.load_unsigned(row, a), uint64_t(i));
        bool carry = subtract ? (k < i) : ((i + k) >> m) != 0;
        ASSERT_EQ(cam.bit(row, c), carry);
      }
    EXPECT_EQ(cam.counts().compares, 4 * m + 1);
    EXPECT_EQ(cam.counts().writes, 4 * m + 1);
    EXPECT_EQ(addsub_passes(m, m, Extend::Sign), 4 * m + 1);
  }
}

INSTANTIATE_TEST_SUITE_P(Widths, AddSubExhaustive, ::testing::Values(1, 2, 3, 4, 5));

// A narrower than B: sign extension repeats A's top column, zero extension
// drops A from the key (2 passes per extended bit).
TEST(AddSub, NarrowSourceExtends) {
  for (int ma = 1; ma <= 3; ++ma)
    for (int mb = ma; mb <= 5; ++mb)
      for (Extend ext : {Extend::Zero, Extend::Sign})
        for (bool subtract : {false, true}) {
          const int na = 1 << ma, nb = 1 << mb;
          Cam cam(na * nb, ma + mb + 1);
          Field a{0, ma}, b{ma, mb};
          const int c = ma + mb;
          for (int i = 0; i < na; ++i)
            for (int k = 0; k < nb; ++k) cam.store(i * nb + k, a, i), cam.store(i * nb + k, b, k);
          subtract ? sub(cam, a, b, c, ext) : add(cam, a, b, c, ext);
          for (int i = 0; i < na; ++i)
            for (int k = 0; k < nb; ++k) {
              int64_t va = ext == Extend::Sign ? signed_of(i, ma) : i;
              int64_t vb = signed_of(k, mb);
              ASSERT_EQ(cam.load_signed(i * nb + k, b), wrap(subtract ? vb - va : vb + va, mb));
            }
          int64_t passes = 1 + 4 * ma + (ext == Extend::Sign ? 4 : 2) * (mb - ma);
          EXPECT_EQ(cam.counts().compares, passes);
          EXPECT_EQ(cam.counts().writes, passes);
          EXPECT_EQ(addsub_passes(ma, mb, ext), passes);
        }
}

TEST(Reduce, TreeSumsAllRowsIntoRowZero) {
  std::mt19937 rng(3);
  const int rows = 13, width = 8;
  Cam cam(rows, 2 * width + 1);
  Field f{0, width}, tmp{width, width};
  int64_t total = 0;
  for (int r = 0; r < rows; ++r) {
    int v = int(rng() % 16);
    total += v;
    cam.store(r, f, v);
  }
  reduce_rows(cam, f, tmp, 2 * width);
  EXPECT_EQ(cam.load_unsigned(0, f), uint64_t(total));
  // 13 rows: levels h = 1, 2, 4, 8; each moves 8 columns and adds 8 bits (33 passes).
  ReduceCost rc = reduce_cost(rows, width);
  EXPECT_EQ(rc.levels, 4);
  EXPECT_EQ(rc.moves, 32);
  EXPECT_EQ(rc.compares, 132);
  EXPECT_EQ(cam.counts().moves, rc.moves);
  EXPECT_EQ(cam.counts().compares, rc.compares);
  EXPECT_EQ(cam.counts().writes, rc.writes);
}

TEST(Reduce, SignedSumWrapsAtFieldWidth) {
  const int rows = 16, width = 4;
  Cam cam(rows, 2 * width + 1);
  Field f{0, width}, tmp{width, width};
  int64_t total = 0;
  for (int r = 0; r < rows; ++r) {
    int64_t v = (r % 3) - 5;  // -5, -4, -3
    total += v;
    cam.store(r, f, v);
  }
  reduce_rows(cam, f, tmp, 2 * width);
  EXPECT_EQ(cam.load_signed(0, f), wrap(total, width));
  EXPECT_EQ(reduce_cost(rows, width).levels, 4);
  EXPECT_EQ(reduce_cost(1, width).levels, 0);
}

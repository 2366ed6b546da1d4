// Greedy pair extraction on hand-made filter banks, counted by hand, and a
// random property check: the rewritten sums denote the same linear forms.
#include <gtest/gtest.h>

#include <random>

#include "arch/ap/compiler/cse.hpp"

using namespace tessera::ap::compiler;

namespace {
// Rows of a ternary matrix (outputs x inputs) as sums of terms.
SumOfTerms sums(const std::vector<std::vector<int>>& w) {
  SumOfTerms s;
  s.inputs = int32_t(w[0].size());
  for (const auto& row : w) {
    std::vector<Term> t;
    for (size_t i = 0; i < row.size(); ++i)
      if (row[i]) t.push_back({int32_t(i), int8_t(row[i])});
    s.outputs.push_back(t);
  }
  return s;
}
std::vector<std::vector<int64_t>> as64(const std::vector<std::vector<int>>& w) {
  std::vector<std::vector<int64_t>> r;
  for (const auto& row : w) r.emplace_back(row.begin(), row.end());
  return r;
}
}  // namespace

TEST(Cse, SharedPairAcrossSignsHandCount) {
  // o0 = x0 + x1 + x2, o1 = x0 + x1 - x3, o2 = -x0 - x1 + x2.
  // (x0, x1, same sign) is in all three: t = x0 + x1 saves 2 of 6 additions;
  // what remains pairs (x2, t) once with each relation: nothing more to share.
  std::vector<std::vector<int>> w{{1, 1, 1, 0}, {1, 1, 0, -1}, {-1, -1, 1, 0}};
  SumOfTerms s = sums(w);
  EXPECT_EQ(adder_count(s), 6);
  SumOfTerms c = extract_common_pairs(s);
  ASSERT_EQ(c.temps.size(), 1u);
  EXPECT_EQ(c.temps[0].a, 0);
  EXPECT_EQ(c.temps[0].b, 1);
  EXPECT_EQ(c.temps[0].sign_b, 1);
  EXPECT_EQ(adder_count(c), 4);
  EXPECT_EQ(c.outputs[2][1].id, 4);    // o2 = x2 - t
  EXPECT_EQ(c.outputs[2][1].sign, -1);
  EXPECT_EQ(expand_coefficients(c), as64(w));
}

TEST(Cse, NestedSharingBuildsATree) {
  // Three outputs share x0 + x1 + x2: t4 = x0 + x1, then t5 = x2 + t4.
  // 7 additions become 2 temps + 1 (o2 = t5 + x3).
  std::vector<std::vector<int>> w{{1, 1, 1, 0}, {1, 1, 1, 0}, {1, 1, 1, 1}};
  SumOfTerms c = extract_common_pairs(sums(w));
  EXPECT_EQ(adder_count(sums(w)), 7);
  ASSERT_EQ(c.temps.size(), 2u);
  EXPECT_EQ(c.temps[1].a, 2);
  EXPECT_EQ(c.temps[1].b, 4);
  EXPECT_EQ(adder_count(c), 3);
  EXPECT_EQ(expand_coefficients(c), as64(w));
}

TEST(Cse, OppositeSignsShareADifference) {
  // o0 = x0 - x1, o1 = -x0 + x1 + x2, o2 = x0 - x1 - x2:
  // t3 = x0 - x1 (all three), then t4 = x2 - t3 (o1 = t4, o2 = -t4).
  // 5 additions become 2.
  std::vector<std::vector<int>> w{{1, -1, 0}, {-1, 1, 1}, {1, -1, -1}};
  SumOfTerms c = extract_common_pairs(sums(w));
  EXPECT_EQ(adder_count(sums(w)), 5);
  ASSERT_EQ(c.temps.size(), 2u);
  EXPECT_EQ(c.temps[0].sign_b, -1);
  EXPECT_EQ(c.temps[1].a, 2);
  EXPECT_EQ(c.temps[1].b, 3);
  EXPECT_EQ(c.temps[1].sign_b, -1);
  EXPECT_EQ(adder_count(c), 2);
  EXPECT_EQ(c.outputs[1].size(), 1u);
  EXPECT_EQ(c.outputs[2][0].sign, -1);
  EXPECT_EQ(expand_coefficients(c), as64(w));
}

TEST(Cse, MinUsesThreeLeavesPairsOfTwo) {
  std::vector<std::vector<int>> w{{1, 1, 0}, {1, 1, 1}, {0, 1, 1}};
  EXPECT_EQ(extract_common_pairs(sums(w), 3).temps.size(), 0u);
  EXPECT_EQ(extract_common_pairs(sums(w), 2).temps.size(), 1u);
}

TEST(Cse, RandomBanksKeepTheirMeaningAndNeverCostMore) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    int outs = 2 + int(rng() % 30), ins = 1 + int(rng() % 40);
    std::vector<std::vector<int>> w(static_cast<size_t>(outs), std::vector<int>(static_cast<size_t>(ins)));
    for (auto& row : w)
      for (auto& v : row) v = int(rng() % 3) - 1;
    SumOfTerms s = sums(w), c = extract_common_pairs(s);
    EXPECT_EQ(expand_coefficients(c), as64(w));
    EXPECT_LE(adder_count(c), adder_count(s));
    for (const auto& t : c.temps) EXPECT_LT(t.a, t.b);
    // Determinism: the same input gives the same temps.
    SumOfTerms again = extract_common_pairs(s);
    ASSERT_EQ(again.temps.size(), c.temps.size());
    for (size_t i = 0; i < c.temps.size(); ++i) EXPECT_EQ(again.temps[i].b, c.temps[i].b);
  }
}

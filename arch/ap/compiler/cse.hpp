// Common-subexpression elimination of partial sums shared across output
// channels, by greedy pair extraction (the approach of multiple-constant-
// multiplication CSE, e.g. Hartley 1996, applied to ternary dot products).
//
// Each output is a signed sum of distinct terms. Two terms a < b occur in an
// output either with the same sign (+a+b or -a-b: both are +-(a + b)) or with
// opposite signs (+a-b or -a+b: both are +-(a - b)). Repeatedly:
//   1. take the (a, b, relation) that occurs in the most outputs (ties: the
//      smallest a, then b, then same before opposite: deterministic);
//   2. if it occurs in fewer than `min_uses` outputs, stop;
//   3. define a new term t = a + b or a - b (one addition), and rewrite every
//      output that holds the pair to hold +-t instead of a and b.
// A new term can pair again, so shared sums of any size are built as trees.
// Each extraction used by k outputs saves k - 1 additions.
//
// Implementation (cse.cpp): each term's occurrences are bitsets over the
// outputs (plus, minus), so a pair's outputs and count are a few word
// operations; pairs wait in a bucket queue on their count, which only ever
// falls, and are recounted by popcount when the queue meets them, so no count
// is updated as extractions lower it. A 512-output chunk of 243 inputs (a
// ResNet-18 layer4 chunk) takes about 0.05 s. The choices are exactly those of
// recounting every pair after every extraction (same pair, same tie-break).
#pragma once

#include <cstdint>
#include <vector>

namespace tessera::ap::compiler {

struct Term {
  int32_t id;   // < inputs: an input; otherwise temp id - inputs
  int8_t sign;  // +1 or -1
};

// temp = a + sign_b * b, with a < b (ids as in Term).
struct TempDef {
  int32_t a, b;
  int8_t sign_b;
};

struct SumOfTerms {
  int32_t inputs = 0;
  std::vector<TempDef> temps;
  std::vector<std::vector<Term>> outputs;  // each sorted by id, ids distinct
};

// Additions and subtractions to evaluate every output from its terms when
// a negation is free (MCM count): temps + sum over outputs of (terms - 1).
int64_t adder_count(const SumOfTerms& s);

SumOfTerms extract_common_pairs(SumOfTerms s, int min_uses = 2);

// Coefficient of every input in every output, temps expanded (for checks).
std::vector<std::vector<int64_t>> expand_coefficients(const SumOfTerms& s);

}  // namespace tessera::ap::compiler

#include "arch/ap/compiler/cse.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace tessera::ap::compiler {

int64_t adder_count(const SumOfTerms& s) {
  int64_t n = int64_t(s.temps.size());
  for (const auto& o : s.outputs) n += std::max<int64_t>(int64_t(o.size()) - 1, 0);
  return n;
}

namespace {

// Pair key: a < b, rel 0 = same sign, 1 = opposite. Keys order pairs as the
// tie-break does: a, then b, then rel.
uint64_t key_of(int32_t a, int32_t b, int rel) {
  if (a > b) std::swap(a, b);
  return (uint64_t(uint32_t(a)) << 33) | (uint64_t(uint32_t(b)) << 1) | uint64_t(rel);
}
int32_t key_a(uint64_t k) { return int32_t(k >> 33); }
int32_t key_b(uint64_t k) { return int32_t((k >> 1) & 0xffffffffu); }
int key_rel(uint64_t k) { return int(k & 1u); }

int rel_of(int8_t sa, int8_t sb) { return sa == sb ? 0 : 1; }

// Outputs holding a and b with relation rel, over `words` words of their
// plus and minus bitsets.
inline uint64_t pair_word(const uint64_t* a, const uint64_t* b, size_t words, int rel, size_t w) {
  const uint64_t *pa = a, *na = a + words, *pb = b, *nb = b + words;
  return rel == 0 ? (pa[w] & pb[w]) | (na[w] & nb[w]) : (pa[w] & nb[w]) | (na[w] & pb[w]);
}
inline int32_t pair_count(const uint64_t* a, const uint64_t* b, size_t words, int rel) {
  int32_t n = 0;
  for (size_t w = 0; w < words; ++w) n += __builtin_popcountll(pair_word(a, b, words, rel, w));
  return n;
}
// The same with the popcount instruction where the processor has one (the
// default x86-64 target lacks it, and the library call costs a third of the
// whole extraction); chosen at run time.
#if defined(__GNUC__) && defined(__x86_64__)
__attribute__((target("popcnt"))) int32_t pair_count_popcnt(const uint64_t* a, const uint64_t* b, size_t words,
                                                            int rel) {
  return pair_count(a, b, words, rel);
}
bool has_popcnt() { return __builtin_cpu_supports("popcnt"); }
#else
int32_t pair_count_popcnt(const uint64_t* a, const uint64_t* b, size_t words, int rel) {
  return pair_count(a, b, words, rel);
}
bool has_popcnt() { return false; }
#endif

// Where each term occurs: per term, a bitset over the outputs holding it with
// a plus sign and one for a minus sign, so the outputs holding a pair with a
// relation, and how many they are, take a few word operations.
class Occurrences {
 public:
  explicit Occurrences(size_t outputs)
      : words_((outputs + 63) / 64), count_(has_popcnt() ? pair_count_popcnt : pair_count) {}
  size_t words() const { return words_; }
  void fit(size_t ids) {
    if (bits_.size() < 2 * words_ * ids) bits_.resize(2 * words_ * ids, 0);
  }
  uint64_t* plus(int32_t id) { return &bits_[2 * words_ * size_t(id)]; }
  uint64_t* minus(int32_t id) { return plus(id) + words_; }
  void set(int32_t id, size_t o, int8_t sign) { (sign > 0 ? plus(id) : minus(id))[o / 64] |= uint64_t(1) << (o % 64); }
  // Word w of the outputs holding a and b with relation rel.
  uint64_t both(int32_t a, int32_t b, int rel, size_t w) { return pair_word(plus(a), plus(b), words_, rel, w); }
  int32_t count(int32_t a, int32_t b, int rel) { return count_(plus(a), plus(b), words_, rel); }

 private:
  size_t words_;
  int32_t (*count_)(const uint64_t*, const uint64_t*, size_t, int);
  std::vector<uint64_t> bits_;
};

// The choice of the best pair: the most outputs, then the smallest key.
//
// Bucket queue on the count. Every pair that may still reach min_uses has one
// entry, in the bucket of its count when it was last known (a count never
// rises: an extraction lowers the counts of existing pairs and creates the
// pairs of its new term at their final counts), so its bucket bounds its count
// from above and counts need no updating when they fall. The highest bucket
// only falls (a new pair counts at most the outputs of the extraction that made
// it), so buckets are taken from the top down, once each: sorted by key and
// consumed in order, with the pairs created at that count meanwhile in a small
// min-heap. The smaller of the two fronts is recounted (Occurrences): if it
// still counts as much as its bucket it is the best pair, since every pair of
// that count is in this bucket and the ones before it count less; otherwise it
// moves down to the bucket of its count, or out below min_uses.
class PairQueue {
 public:
  PairQueue(int min_uses, size_t max_count) : min_(min_uses), buckets_(max_count + 1) {}

  void push(uint64_t key, int32_t c) {
    if (c < min_) return;
    if (c == active_) {
      side_.push_back(key);
      std::push_heap(side_.begin(), side_.end(), std::greater<uint64_t>());
      return;
    }
    if (active_ >= 0 && c > active_) throw std::logic_error("extract_common_pairs: a pair count rose");
    buckets_[size_t(c)].push_back(key);  // below the active bucket, or none is active yet
    top_ = std::max(top_, c);
  }
  // Removes and returns the best pair; count(key) gives a pair's count now.
  template <class Count>
  bool pop_best(uint64_t& key, Count&& count) {
    if (active_ < 0) activate(top_, count);
    while (active_ >= min_) {
      const bool in_run = pos_ < run_.size();
      if (!in_run && side_.empty()) {
        activate(active_ - 1, count);
        continue;
      }
      if (in_run && (side_.empty() || run_[pos_] < side_.front())) {
        key = run_[pos_++];
      } else {
        key = side_.front();
        std::pop_heap(side_.begin(), side_.end(), std::greater<uint64_t>());
        side_.pop_back();
      }
      int32_t c = count(key);
      if (c == active_) return true;
      if (c >= min_) buckets_[size_t(c)].push_back(key);
    }
    return false;
  }

 private:
  // Recounts the bucket's pairs first, so that only those still at its count
  // are sorted (most have fallen since they were queued).
  template <class Count>
  void activate(int32_t c, Count&& count) {
    active_ = c;
    run_.clear(), pos_ = 0;
    if (c < min_) return;
    std::vector<uint64_t> b;
    b.swap(buckets_[size_t(c)]);
    for (uint64_t k : b) {
      int32_t n = count(k);
      if (n == c) run_.push_back(k);
      else if (n >= min_) buckets_[size_t(n)].push_back(k);
    }
    std::sort(run_.begin(), run_.end());
  }
  int min_;
  std::vector<std::vector<uint64_t>> buckets_;
  int32_t top_ = 0;                // highest count queued before the first choice
  int32_t active_ = -1;            // the bucket being taken; -1 before the first choice
  std::vector<uint64_t> run_;      // its entries, sorted, from pos_ on
  std::vector<uint64_t> side_;     // pairs created at its count since (min-heap)
  size_t pos_ = 0;
};

// Counters per (term, relation) slot, with the slots touched since the last clear.
struct Tally {
  std::vector<int32_t> n;
  std::vector<int32_t> touched;
  void fit(size_t ids) {
    if (n.size() < 2 * ids) n.resize(2 * ids, 0);
  }
  void bump(int32_t id, int rel) {
    int32_t& c = n[size_t(2 * id + rel)];
    if (c++ == 0) touched.push_back(2 * id + rel);
  }
  void clear() {
    for (int32_t x : touched) n[size_t(x)] = 0;
    touched.clear();
  }
};

// Initial pair counts, by whichever costs less: a popcount per pair of terms
// (Occurrences), or a tally per term over the terms after it in every output.
void count_initial_pairs(const SumOfTerms& s, int32_t ids, Occurrences& occ, PairQueue& pq) {
  std::vector<int32_t> present;
  double tally_cost = 0;
  for (const auto& o : s.outputs) tally_cost += 0.5 * double(o.size()) * double(o.size());
  std::vector<char> seen(static_cast<size_t>(ids), 0);
  for (const auto& o : s.outputs)
    for (const Term& x : o) seen[size_t(x.id)] = 1;
  for (int32_t i = 0; i < ids; ++i)
    if (seen[size_t(i)]) present.push_back(i);
  const double pop_cost = 0.5 * double(present.size()) * double(present.size()) * double(occ.words());
  if (pop_cost <= tally_cost) {
    for (size_t i = 0; i < present.size(); ++i)
      for (size_t j = i + 1; j < present.size(); ++j)
        for (int rel = 0; rel < 2; ++rel)
          pq.push(key_of(present[i], present[j], rel), occ.count(present[i], present[j], rel));
    return;
  }
  std::vector<std::vector<std::pair<int32_t, int32_t>>> at(static_cast<size_t>(ids));  // (output, position)
  for (size_t o = 0; o < s.outputs.size(); ++o)
    for (size_t i = 0; i < s.outputs[o].size(); ++i) at[size_t(s.outputs[o][i].id)].push_back({int32_t(o), int32_t(i)});
  Tally tally;
  tally.fit(size_t(ids));
  for (int32_t a = 0; a < ids; ++a) {
    for (auto [o, p] : at[size_t(a)]) {
      const auto& terms = s.outputs[size_t(o)];
      for (size_t j = size_t(p) + 1; j < terms.size(); ++j)
        tally.bump(terms[j].id, rel_of(terms[size_t(p)].sign, terms[j].sign));
    }
    for (int32_t x : tally.touched) pq.push(key_of(a, x >> 1, x & 1), tally.n[size_t(x)]);
    tally.clear();
  }
}

}  // namespace

// Greedy pair extraction. An extraction finds the outputs holding its pair
// from the occurrence bitsets, rewrites them, and tallies over their other
// terms x the pairs (t, x) of the new term t, with their relations (t carries
// a's sign); those reaching min_uses are queued at their counts. The counts of
// the pairs of a and b fall, which the queue finds out when it meets them.
SumOfTerms extract_common_pairs(SumOfTerms s, int min_uses) {
  if (min_uses < 2) throw std::invalid_argument("extract_common_pairs: min_uses must be at least 2");
  int32_t next_id = s.inputs + int32_t(s.temps.size());
  Occurrences occ(s.outputs.size());
  occ.fit(size_t(next_id));
  for (size_t o = 0; o < s.outputs.size(); ++o)
    for (const Term& x : s.outputs[o]) occ.set(x.id, o, x.sign);
  PairQueue pq(min_uses, s.outputs.size());
  count_initial_pairs(s, next_id, occ, pq);

  Tally tally;
  const size_t W = occ.words();
  std::vector<uint64_t> outs(W);
  uint64_t k;
  auto count = [&](uint64_t key) { return occ.count(key_a(key), key_b(key), key_rel(key)); };
  while (pq.pop_best(k, count)) {
    const int32_t a = key_a(k), b = key_b(k);
    const int rel = key_rel(k);
    const int32_t t = next_id++;
    s.temps.push_back({a, b, int8_t(rel ? -1 : 1)});
    occ.fit(size_t(next_id)), tally.fit(size_t(next_id));

    // The outputs holding a and b with the relation, ascending; t takes a's
    // sign there (s_a a + s_b b = s_a (a +- b)), and a and b leave them.
    for (size_t w = 0; w < W; ++w) outs[w] = occ.both(a, b, rel, w);
    uint64_t *pa = occ.plus(a), *na = occ.minus(a), *pb = occ.plus(b), *nb = occ.minus(b);
    uint64_t *pt = occ.plus(t), *nt = occ.minus(t);
    for (size_t w = 0; w < W; ++w) {
      pt[w] = outs[w] & pa[w], nt[w] = outs[w] & na[w];
      pa[w] &= ~outs[w], na[w] &= ~outs[w], pb[w] &= ~outs[w], nb[w] &= ~outs[w];
    }
    for (size_t w = 0; w < W; ++w)
      for (uint64_t m = outs[w]; m; m &= m - 1) {
        const size_t o = 64 * w + size_t(__builtin_ctzll(m));
        const int8_t sa = (pt[w] >> (o % 64)) & 1 ? 1 : -1;
        auto& terms = s.outputs[o];
        size_t keep = 0;
        for (size_t r = 0; r < terms.size(); ++r) {
          const Term x = terms[r];
          if (x.id == a || x.id == b) continue;
          tally.bump(x.id, rel_of(sa, x.sign));
          terms[keep++] = x;
        }
        terms.resize(keep);
        terms.push_back({t, sa});  // t is the largest id: the list stays sorted
      }
    for (int32_t x : tally.touched) pq.push(key_of(x >> 1, t, x & 1), tally.n[size_t(x)]);
    tally.clear();
  }
  return s;
}

std::vector<std::vector<int64_t>> expand_coefficients(const SumOfTerms& s) {
  std::vector<std::vector<int64_t>> term(size_t(s.inputs) + s.temps.size(), std::vector<int64_t>(size_t(s.inputs), 0));
  for (int32_t i = 0; i < s.inputs; ++i) term[i][i] = 1;
  for (size_t t = 0; t < s.temps.size(); ++t) {
    const TempDef& d = s.temps[t];
    auto& v = term[size_t(s.inputs) + t];
    for (int32_t i = 0; i < s.inputs; ++i) v[i] = term[d.a][i] + d.sign_b * term[d.b][i];
  }
  std::vector<std::vector<int64_t>> out;
  for (const auto& o : s.outputs) {
    std::vector<int64_t> v(size_t(s.inputs), 0);
    for (const Term& x : o)
      for (int32_t i = 0; i < s.inputs; ++i) v[i] += x.sign * term[x.id][i];
    out.push_back(v);
  }
  return out;
}

}  // namespace tessera::ap::compiler

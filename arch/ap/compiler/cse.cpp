#include "arch/ap/compiler/cse.hpp"

#include <algorithm>
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

// Pair counts and the choice of the best pair.
//
// Only pairs used by at least min_uses outputs are kept: a pair's count never
// rises once it is known (an extraction lowers the counts of existing pairs
// and creates the pairs of its new term with their final counts), so a pair
// below min_uses can never be chosen. Each kept pair has a count cell and a
// link in the adjacency of both its terms, so the pairs of one term are
// lowered in one pass over its links (dead links are dropped on the way).
//
// Bucket queue. Every live pair has exactly one entry, in the bucket of its
// count when it was queued, which is at least its count now (lowering does not
// move it). The highest count only falls (a new pair counts at most the
// outputs of the extraction that made it, which had the highest count), so the
// buckets are taken from the top down, once each: the active bucket's entries
// whose count still equals it are sorted by key and consumed in order, pairs
// created at that count meanwhile wait in a small min-heap, and an entry found
// lowered moves down to the bucket of its count (unsorted until it is taken).
// The best pair (the most outputs, then the smallest key) is the smaller live
// front of the two: every pair of the top count is in the active bucket.
class PairCounts {
 public:
  struct Link {
    int32_t other2;  // other term * 2 + relation
    int32_t cell;
  };
  struct Entry {
    uint64_t key;
    int32_t cell;
    bool operator>(const Entry& o) const { return key > o.key; }
  };

  PairCounts(int min_uses, size_t max_count) : min_(min_uses), buckets_(max_count + 1) {}

  void fit(size_t ids) {
    if (adj_.size() < ids) adj_.resize(ids);
  }
  void create(int32_t a, int32_t b, int rel, int32_t c) {
    if (c < min_) return;
    int32_t cell = int32_t(count_.size());
    count_.push_back(c);
    adj_[size_t(a)].push_back({2 * b + rel, cell});
    adj_[size_t(b)].push_back({2 * a + rel, cell});
    push({key_of(a, b, rel), cell}, c);
  }
  // Lowers every kept pair (a, x, r) by d[2 x + (r ^ flip)]; drops dead links.
  void lower(int32_t a, const std::vector<int32_t>& d, int flip) {
    auto& l = adj_[size_t(a)];
    size_t w = 0;
    for (const Link& e : l) {
      int32_t& c = count_[size_t(e.cell)];
      c -= d[size_t(e.other2 ^ flip)];
      if (c >= min_) l[w++] = e;
    }
    l.resize(w);
  }
  void kill(int32_t cell) { count_[size_t(cell)] = 0; }
  bool best(uint64_t& key, int32_t& cell) {
    if (active_ < 0) activate(top_);
    while (active_ >= min_) {
      while (pos_ < run_.size() && !live(run_[pos_])) ++pos_;
      while (!side_.empty() && !live(side_.front())) {
        std::pop_heap(side_.begin(), side_.end(), std::greater<Entry>());
        side_.pop_back();
      }
      const Entry* e = pos_ < run_.size() ? &run_[pos_] : nullptr;
      if (!side_.empty() && (!e || side_.front().key < e->key)) e = &side_.front();
      if (e) {
        key = e->key, cell = e->cell;
        return true;
      }
      activate(active_ - 1);
    }
    return false;
  }

 private:
  // An entry of the active bucket whose pair still counts that much; otherwise
  // it moves down to its count, or is dropped below min_uses.
  bool live(const Entry& e) {
    int32_t c = count_[size_t(e.cell)];
    if (c == active_) return true;
    if (c >= min_) buckets_[size_t(c)].push_back(e);
    return false;
  }
  void activate(int32_t c) {
    active_ = c;
    run_.clear(), pos_ = 0;
    if (c < min_) return;
    std::vector<Entry> b;
    b.swap(buckets_[size_t(c)]);
    for (const Entry& e : b)
      if (live(e)) run_.push_back(e);
    std::sort(run_.begin(), run_.end(), [](const Entry& x, const Entry& y) { return x.key < y.key; });
  }
  void push(const Entry& e, int32_t c) {
    if (c == active_) {
      side_.push_back(e);
      std::push_heap(side_.begin(), side_.end(), std::greater<Entry>());
    } else {
      if (active_ >= 0 && c > active_) throw std::logic_error("extract_common_pairs: a pair count rose");
      buckets_[size_t(c)].push_back(e);  // below the active bucket, or none is active yet
    }
    top_ = std::max(top_, c);
  }
  int min_;
  std::vector<int32_t> count_;           // per cell
  std::vector<std::vector<Link>> adj_;   // per term
  std::vector<std::vector<Entry>> buckets_;
  int32_t top_ = 0;                      // highest count queued
  int32_t active_ = -1;                  // the bucket being taken; -1 before the first choice
  std::vector<Entry> run_, side_;        // its sorted entries (from pos_ on), and its newcomers (min-heap)
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

}  // namespace

// Greedy pair extraction with incremental counts. The outputs holding each
// term are kept exactly (entries output * 2 + negative sign, ascending), so the
// outputs holding a pair are the merge of two lists. An extraction tallies its
// count changes per (term, relation) over the outputs it rewrites and applies
// them once per pair: the pairs of a and b with every other term x of a
// rewritten output lose what the new term t gains (t carries a's sign, so
// (t, x) has the relation of (a, x), and (b, x) has it flipped when a and b
// differ in sign): one tally over (x, relation to a) serves all three.
SumOfTerms extract_common_pairs(SumOfTerms s, int min_uses) {
  if (min_uses < 2) throw std::invalid_argument("extract_common_pairs: min_uses must be at least 2");
  int32_t next_id = s.inputs + int32_t(s.temps.size());
  std::vector<std::vector<int32_t>> holders(static_cast<size_t>(next_id));
  std::vector<std::vector<int32_t>> position(static_cast<size_t>(next_id));  // of the term in each holder
  for (size_t o = 0; o < s.outputs.size(); ++o) {
    const auto& t = s.outputs[o];
    for (size_t i = 0; i < t.size(); ++i) {
      holders[size_t(t[i].id)].push_back(int32_t(2 * o + (t[i].sign < 0)));
      position[size_t(t[i].id)].push_back(int32_t(i));
    }
  }

  PairCounts pc(min_uses, s.outputs.size());
  pc.fit(size_t(next_id));
  Tally ta;
  ta.fit(size_t(next_id));
  // Pairs (a, x > a), a column at a time.
  for (int32_t a = 0; a < next_id; ++a) {
    for (size_t h = 0; h < holders[size_t(a)].size(); ++h) {
      const auto& terms = s.outputs[size_t(holders[size_t(a)][h] >> 1)];
      const size_t p = size_t(position[size_t(a)][h]);
      for (size_t j = p + 1; j < terms.size(); ++j) ta.bump(terms[j].id, rel_of(terms[p].sign, terms[j].sign));
    }
    for (int32_t x : ta.touched) pc.create(a, x >> 1, x & 1, ta.n[size_t(x)]);
    ta.clear();
  }
  position = {};

  std::vector<int32_t> outs, keep;
  uint64_t k;
  int32_t cell;
  while (pc.best(k, cell)) {
    const int32_t a = key_a(k), b = key_b(k);
    const int rel = key_rel(k);
    const int32_t t = next_id++;
    s.temps.push_back({a, b, int8_t(rel ? -1 : 1)});
    holders.emplace_back();
    pc.fit(size_t(next_id)), ta.fit(size_t(next_id));

    // Outputs holding a and b with the relation, ascending.
    outs.clear();
    const auto &ha = holders[size_t(a)], &hb = holders[size_t(b)];
    for (size_t i = 0, j = 0; i < ha.size() && j < hb.size();) {
      int32_t oa = ha[i] >> 1, ob = hb[j] >> 1;
      if (oa < ob) ++i;
      else if (ob < oa) ++j;
      else {
        if (((ha[i] ^ hb[j]) & 1) == rel) outs.push_back(ha[i]);
        ++i, ++j;
      }
    }

    for (int32_t e : outs) {
      auto& terms = s.outputs[size_t(e >> 1)];
      const int8_t sa = (e & 1) ? -1 : 1;
      size_t w = 0;
      for (size_t r = 0; r < terms.size(); ++r) {
        const Term x = terms[r];
        if (x.id == a || x.id == b) continue;
        ta.bump(x.id, rel_of(sa, x.sign));
        terms[w++] = x;
      }
      terms.resize(w);
      terms.push_back({t, sa});  // s_a a + s_b b = s_a (a +- b); t is the largest id
    }
    holders[size_t(t)] = outs;

    pc.kill(cell);
    pc.lower(a, ta.n, 0);
    pc.lower(b, ta.n, rel);
    for (int32_t x : ta.touched) pc.create(x >> 1, t, x & 1, ta.n[size_t(x)]);
    ta.clear();

    // a and b leave the rewritten outputs.
    for (int32_t id : {a, b}) {
      auto& h = holders[size_t(id)];
      keep.clear();
      size_t j = 0;
      for (int32_t e : h) {
        while (j < outs.size() && (outs[j] >> 1) < (e >> 1)) ++j;
        if (j < outs.size() && (outs[j] >> 1) == (e >> 1)) continue;
        keep.push_back(e);
      }
      h.swap(keep);
    }
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

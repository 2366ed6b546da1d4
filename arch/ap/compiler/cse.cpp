#include "arch/ap/compiler/cse.hpp"

#include <algorithm>
#include <queue>
#include <stdexcept>
#include <unordered_map>

namespace tessera::ap::compiler {

int64_t adder_count(const SumOfTerms& s) {
  int64_t n = int64_t(s.temps.size());
  for (const auto& o : s.outputs) n += std::max<int64_t>(int64_t(o.size()) - 1, 0);
  return n;
}

namespace {

// Pair key: a < b, rel 0 = same sign, 1 = opposite.
uint64_t key_of(int32_t a, int32_t b, int rel) {
  if (a > b) std::swap(a, b);
  return (uint64_t(uint32_t(a)) << 33) | (uint64_t(uint32_t(b)) << 1) | uint64_t(rel);
}
int32_t key_a(uint64_t k) { return int32_t(k >> 33); }
int32_t key_b(uint64_t k) { return int32_t((k >> 1) & 0xffffffffu); }
int key_rel(uint64_t k) { return int(k & 1u); }

struct Entry {
  int32_t count;
  uint64_t key;
  // Max-heap on count; among equal counts the smallest key comes first.
  bool operator<(const Entry& o) const { return count != o.count ? count < o.count : key > o.key; }
};

class PairCounts {
 public:
  explicit PairCounts(int min_uses) : min_(min_uses) {}
  void add(uint64_t k, int d, bool push) {
    int32_t& c = counts_[k];
    c += d;
    if (push && d > 0 && c >= min_) heap_.push({c, k});
  }
  int32_t get(uint64_t k) const {
    auto it = counts_.find(k);
    return it == counts_.end() ? 0 : it->second;
  }
  void erase(uint64_t k) { counts_.erase(k); }
  void push_all() {
    for (const auto& [k, c] : counts_)
      if (c >= min_) heap_.push({c, k});
  }
  // The most frequent pair, or false when none reaches min_uses.
  bool best(uint64_t& key) {
    while (!heap_.empty()) {
      Entry e = heap_.top();
      heap_.pop();
      int32_t c = get(e.key);
      if (c == e.count) {
        key = e.key;
        return true;
      }
      // Decrements do not push, so a stale entry above the true count is
      // re-queued at the true count; one below it has a newer twin.
      if (c < e.count && c >= min_) heap_.push({c, e.key});
    }
    return false;
  }

 private:
  int min_;
  std::unordered_map<uint64_t, int32_t> counts_;
  std::priority_queue<Entry> heap_;
};

int rel_of(int8_t sa, int8_t sb) { return sa == sb ? 0 : 1; }

const Term* find(const std::vector<Term>& terms, int32_t id) {
  auto it = std::lower_bound(terms.begin(), terms.end(), id, [](const Term& t, int32_t v) { return t.id < v; });
  return (it != terms.end() && it->id == id) ? &*it : nullptr;
}

}  // namespace

SumOfTerms extract_common_pairs(SumOfTerms s, int min_uses) {
  if (min_uses < 2) throw std::invalid_argument("extract_common_pairs: min_uses must be at least 2");
  PairCounts pc(min_uses);
  int32_t next_id = s.inputs + int32_t(s.temps.size());
  std::vector<std::vector<int32_t>> holders(static_cast<size_t>(next_id));  // outputs holding a term (may be stale)
  for (size_t o = 0; o < s.outputs.size(); ++o) {
    const auto& t = s.outputs[o];
    for (size_t i = 0; i < t.size(); ++i) {
      holders[t[i].id].push_back(int32_t(o));
      for (size_t j = i + 1; j < t.size(); ++j)
        pc.add(key_of(t[i].id, t[j].id, rel_of(t[i].sign, t[j].sign)), 1, false);
    }
  }
  pc.push_all();

  uint64_t k;
  while (pc.best(k)) {
    const int32_t a = key_a(k), b = key_b(k);
    const int rel = key_rel(k);
    const int32_t t = next_id++;
    s.temps.push_back({a, b, int8_t(rel ? -1 : 1)});
    holders.emplace_back();
    const auto& scan = holders[a].size() <= holders[b].size() ? holders[a] : holders[b];
    std::vector<int32_t> outs(scan);
    std::sort(outs.begin(), outs.end());
    outs.erase(std::unique(outs.begin(), outs.end()), outs.end());
    for (int32_t o : outs) {
      auto& terms = s.outputs[o];
      const Term* ta = find(terms, a);
      const Term* tb = find(terms, b);
      if (!ta || !tb || rel_of(ta->sign, tb->sign) != rel) continue;
      const int8_t st = ta->sign;  // s_a a + s_b b = s_a (a +- b)
      std::vector<Term> rest;
      rest.reserve(terms.size() - 1);
      for (const Term& x : terms) {
        if (x.id == a || x.id == b) continue;
        pc.add(key_of(a, x.id, rel_of(ta->sign, x.sign)), -1, false);
        pc.add(key_of(b, x.id, rel_of(tb->sign, x.sign)), -1, false);
        pc.add(key_of(t, x.id, rel_of(st, x.sign)), 1, true);
        rest.push_back(x);
      }
      rest.push_back({t, st});  // t is the largest id: the list stays sorted
      terms.swap(rest);
      holders[t].push_back(o);
    }
    pc.erase(k);
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

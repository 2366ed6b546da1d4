#include "arch/ap/compiler/layout.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace tessera::ap::compiler {

const char* to_string(LayoutKind k) { return k == LayoutKind::FieldMajor ? "field_major" : "bit_plane"; }

Operand Layout::operand(int32_t field) const {
  int64_t b = offset_[field], e = field + 1 < int32_t(offset_.size()) ? offset_[field + 1] : int64_t(locs_.size());
  return Operand(locs_.begin() + b, locs_.begin() + e);
}

Layout Layout::build(LayoutKind kind, const std::vector<FieldInfo>& fields, const RtmParams& p) {
  Layout l;
  l.kind_ = kind;
  int64_t total = 0;
  for (const auto& f : fields) l.offset_.push_back(total), total += f.width;
  l.locs_.resize(size_t(total));
  const int D = p.domains;
  if (kind == LayoutKind::FieldMajor) {
    int g = 0, d = 0;
    for (size_t i = 0; i < fields.size(); ++i) {
      int w = fields[i].width;
      if (d > 0 && d + w > D && w <= D) ++g, d = 0;  // keep a field in one group when it fits
      for (int j = 0; j < w; ++j) {
        if (d == D) ++g, d = 0;
        l.locs_[size_t(l.offset_[i] + j)] = {g, d++};
      }
    }
    l.groups_ = total ? g + 1 : 0;
    return l;
  }
  // bit_plane: groups numbered in (role, bit, block) order of first use.
  std::map<std::tuple<int, int, int>, int> group_of;
  std::vector<size_t> order(fields.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::make_tuple(int(fields[a].role), fields[a].slot) < std::make_tuple(int(fields[b].role), fields[b].slot);
  });
  std::map<int, int> max_width;
  for (const auto& f : fields) max_width[int(f.role)] = std::max(max_width[int(f.role)], int(f.width));
  int next = 0;
  for (const auto& [role, wmax] : max_width)
    for (int j = 0; j < wmax; ++j)
      for (size_t i : order) {
        const FieldInfo& f = fields[i];
        if (int(f.role) != role || j >= f.width) continue;
        int block = f.slot / D, q = f.slot % D;
        auto key = std::make_tuple(role, j, block);
        auto it = group_of.find(key);
        if (it == group_of.end()) it = group_of.emplace(key, next++).first;
        int domain = (q % p.ports) * p.segment() + q / p.ports;
        l.locs_[size_t(l.offset_[i] + j)] = {it->second, domain};
      }
  l.groups_ = next;
  return l;
}

}  // namespace tessera::ap::compiler

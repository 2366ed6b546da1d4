#include "arch/ap/compiler/layout.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace tessera::ap::compiler {

const char* to_string(LayoutKind k) {
  switch (k) {
    case LayoutKind::FieldMajor: return "field_major";
    case LayoutKind::BitPlane: return "bit_plane";
    case LayoutKind::Mixed: return "mixed";
  }
  return "?";
}

Operand Layout::operand(int32_t field) const {
  int64_t b = offset_[field], e = field + 1 < int32_t(offset_.size()) ? offset_[field + 1] : int64_t(locs_.size());
  return Operand(locs_.begin() + b, locs_.begin() + e);
}

// Fields one after another, each in consecutive domains, from a fresh group.
void Layout::pack(const std::vector<FieldInfo>& fields, const std::vector<size_t>& order, const RtmParams& p) {
  const int D = p.domains;
  int g = groups_, d = 0;
  bool any = false;
  for (size_t i : order) {
    int w = fields[i].width;
    if (d > 0 && d + w > D && w <= D) ++g, d = 0;  // keep a field in one group when it fits
    for (int j = 0; j < w; ++j) {
      if (d == D) ++g, d = 0;
      locs_[size_t(offset_[i] + j)] = {g, d++};
      any = true;
    }
  }
  if (any) groups_ = g + 1;
}

// Bit j of every field in `order` in the plane groups of bit j, slot -> domain.
void Layout::planes(const std::vector<FieldInfo>& fields, const std::vector<size_t>& order, const RtmParams& p) {
  const int D = p.domains;
  int wmax = 0;
  for (size_t i : order) wmax = std::max(wmax, int(fields[i].width));
  std::map<std::pair<int, int>, int> group_of;  // (bit, block) -> group, numbered in order of first use
  for (int j = 0; j < wmax; ++j)
    for (size_t i : order) {
      const FieldInfo& f = fields[i];
      if (j >= f.width) continue;
      int block = f.slot / D, q = f.slot % D;
      auto it = group_of.find({j, block});
      if (it == group_of.end()) it = group_of.emplace(std::make_pair(j, block), groups_++).first;
      int domain = (q % p.ports) * p.segment() + q / p.ports;
      locs_[size_t(offset_[i] + j)] = {it->second, domain};
    }
}

Layout Layout::build(LayoutKind kind, const std::vector<FieldInfo>& fields, const RtmParams& p) {
  Layout l;
  l.kind_ = kind;
  int64_t total = 0;
  for (const auto& f : fields) l.offset_.push_back(total), total += f.width;
  l.locs_.resize(size_t(total));
  if (kind == LayoutKind::FieldMajor) {
    std::vector<size_t> all(fields.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    l.pack(fields, all, p);
    return l;
  }
  for (Role role : {Role::Input, Role::Temp, Role::Accumulator}) {
    std::vector<size_t> order;
    for (size_t i = 0; i < fields.size(); ++i)
      if (fields[i].role == role) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return fields[a].slot < fields[b].slot; });
    if (kind == LayoutKind::BitPlane || role == Role::Accumulator) l.planes(fields, order, p);
    else l.pack(fields, order, p);
  }
  return l;
}

}  // namespace tessera::ap::compiler

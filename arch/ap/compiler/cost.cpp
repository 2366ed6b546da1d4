#include "arch/ap/compiler/cost.hpp"

#include <algorithm>
#include <cstdlib>

namespace tessera::ap::compiler {

std::vector<int64_t> trace_shifts(const Program& p, const Layout& l, std::vector<Dbc>& groups,
                                  int64_t* by_role) {
  std::vector<int64_t> shifts(p.steps.size(), 0);
  for (size_t i = 0; i < p.steps.size(); ++i)
    expand(p.steps[i], [&](const BitOp& b) {
      for (int k = 0; k < b.accesses; ++k) {
        const Access& a = b.access[k];
        BitLoc at = l.at(a.field, a.bit);
        int64_t n = a.write ? groups[at.group].write(at.domain) : groups[at.group].read(at.domain);
        shifts[i] += n;
        if (by_role) by_role[int(p.fields[a.field].role)] += n;
      }
    });
  return shifts;
}

namespace {
RtmCounts total(const std::vector<Dbc>& groups) {
  RtmCounts c;
  for (const auto& d : groups) c += d.counts();
  return c;
}
bool same_state(const std::vector<Dbc>& a, const std::vector<Dbc>& b) {
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].offset() != b[i].offset()) return false;
  return true;
}

// One tile's counts.
struct TileCounts {
  RtmCounts rtm;
  int64_t roles[3] = {0, 0, 0};
};

// Static port choice, the fast path of the replay: domain d is always served
// by port d / segment, so every field bit has a fixed target offset
// (d - home of its port) and an access costs |offset - target| shifts, the
// group then staying at the target (lazy), or 2 |target| from home (eager).
// Exactly what Dbc computes, without its per-access port search and checks.
class StaticReplay {
 public:
  StaticReplay(const Program& p, const Layout& l, const RtmParams& rtm)
      : p_(p), eager_(rtm.update == PortUpdate::Eager), offset_(size_t(l.groups()), 0) {
    first_.resize(p.fields.size() + 1, 0);
    for (size_t f = 0; f < p.fields.size(); ++f) {
      first_[f + 1] = first_[f] + p.fields[f].width;
      for (int j = 0; j < p.fields[f].width; ++j) {
        BitLoc at = l.at(int32_t(f), j);
        Dbc probe(rtm);  // the port rule and its domain check, once per bit
        int port = probe.choose_port(at.domain);
        locs_.push_back({at.group, at.domain - rtm.home(port)});
      }
    }
  }
  // The accesses of expand(), bit by bit, without building its BitOps.
  TileCounts tile() {
    TileCounts c;
    for (const Step& s : p_.steps) {
      const Loc* dst = field(s.dst);
      int64_t sh_dst = 0, sh_src = 0, sh_base = 0;
      switch (s.op) {
        case Op::Load:
        case Op::Clear:
          for (int j = 0; j < s.bits; ++j) sh_dst += access(dst[j]);
          c.rtm.writes += s.bits;
          break;
        case Op::Store:
          for (int j = 0; j < s.bits; ++j) sh_dst += access(dst[j]);
          c.rtm.reads += s.bits;
          break;
        case Op::Copy: {
          const Loc* src = field(s.src);
          for (int j = 0; j < s.bits; ++j) sh_src += access(src[j]), sh_dst += access(dst[j]);
          c.rtm.reads += s.bits, c.rtm.writes += s.bits;
          break;
        }
        case Op::Add:
        case Op::Sub: {
          const Loc* src = field(s.src);
          const Loc* base = s.base_bits > 0 ? field(s.base) : nullptr;
          for (int j = 0; j < s.bits; ++j) {
            if (j < s.src_bits) sh_src += access(src[j]);
            if (j < s.base_bits) sh_base += access(base[j]);
            sh_dst += access(dst[j]);
          }
          c.rtm.reads += std::min(s.src_bits, s.bits) + std::min(s.base_bits, s.bits);
          c.rtm.writes += s.bits;
          break;
        }
      }
      c.rtm.shifts += sh_dst + sh_src + sh_base;
      c.roles[role(s.dst)] += sh_dst;
      if (sh_src) c.roles[role(s.src)] += sh_src;
      if (sh_base) c.roles[role(s.base)] += sh_base;
    }
    return c;
  }
  const std::vector<int>& state() const { return offset_; }

 private:
  struct Loc {
    int group;
    int target;
  };
  const Loc* field(int32_t f) const { return &locs_[size_t(first_[size_t(f)])]; }
  int role(int32_t f) const { return int(p_.fields[size_t(f)].role); }
  int64_t access(const Loc& at) {
    if (eager_) return 2 * int64_t(std::abs(at.target));
    int& o = offset_[size_t(at.group)];
    int64_t n = std::abs(o - at.target);
    o = at.target;
    return n;
  }
  const Program& p_;
  bool eager_;
  std::vector<int> offset_;    // per group
  std::vector<int64_t> first_;  // first bit of each field in locs_
  std::vector<Loc> locs_;
};
}  // namespace

ProgramCost analyse(const Program& p, const Layout& l, const RtmParams& rtm, const ApParams& ap) {
  ProgramCost c;
  c.tiles = p.tiles();
  c.dbcs_per_group = (p.rows + rtm.tracks - 1) / rtm.tracks;
  c.passes = p.stats.passes * c.tiles;
  auto add = [&](const TileCounts& tile, int64_t times) {
    c.rtm.shifts += times * tile.rtm.shifts, c.rtm.reads += times * tile.rtm.reads, c.rtm.writes += times * tile.rtm.writes;
    for (int r = 0; r < 3; ++r) c.shifts_by_role[r] += times * tile.roles[r];
  };
  // Once a tile ends in the state it started from, every later tile repeats it.
  if (rtm.choice == PortChoice::Static) {
    StaticReplay replay(p, l, rtm);
    for (int64_t t = 0; t < c.tiles; ++t) {
      std::vector<int> before = replay.state();
      TileCounts tile = replay.tile();
      int64_t times = (t > 0 && before == replay.state()) ? c.tiles - t : 1;
      add(tile, times);
      if (times > 1) break;
    }
  } else {
    std::vector<Dbc> groups(size_t(l.groups()), Dbc(rtm));
    for (int64_t t = 0; t < c.tiles; ++t) {
      std::vector<Dbc> before = groups;
      for (auto& g : groups) g.reset_counts();
      TileCounts tile;
      trace_shifts(p, l, groups, tile.roles);
      tile.rtm = total(groups);
      int64_t times = (t > 0 && same_state(before, groups)) ? c.tiles - t : 1;
      add(tile, times);
      if (times > 1) break;
    }
  }
  c.rtm_energy_pj = c.rtm.energy_pj(rtm, c.dbcs_per_group);
  c.cam_energy_pj = double(c.passes) * (ap.compare_pj + ap.write_pj);
  c.energy_pj = c.rtm_energy_pj + c.cam_energy_pj;
  c.latency_ns = c.rtm.latency_ns(rtm) + double(c.passes) * (ap.compare_ns + ap.write_ns);
  return c;
}

}  // namespace tessera::ap::compiler

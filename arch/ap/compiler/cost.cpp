#include "arch/ap/compiler/cost.hpp"

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
}  // namespace

ProgramCost analyse(const Program& p, const Layout& l, const RtmParams& rtm, const ApParams& ap) {
  ProgramCost c;
  c.tiles = p.tiles();
  c.dbcs_per_group = (p.rows + rtm.tracks - 1) / rtm.tracks;
  c.passes = p.stats.passes * c.tiles;
  std::vector<Dbc> groups(size_t(l.groups()), Dbc(rtm));
  for (int64_t t = 0; t < c.tiles; ++t) {
    std::vector<Dbc> before = groups;
    for (auto& g : groups) g.reset_counts();
    int64_t roles[3] = {0, 0, 0};
    trace_shifts(p, l, groups, roles);
    RtmCounts tile = total(groups);
    // Once a tile ends in the state it started from, every later tile repeats it.
    int64_t times = (t > 0 && same_state(before, groups)) ? c.tiles - t : 1;
    c.rtm.shifts += times * tile.shifts, c.rtm.reads += times * tile.reads, c.rtm.writes += times * tile.writes;
    for (int r = 0; r < 3; ++r) c.shifts_by_role[r] += times * roles[r];
    if (times > 1) break;
  }
  c.rtm_energy_pj = c.rtm.energy_pj(rtm, c.dbcs_per_group);
  c.cam_energy_pj = double(c.passes) * (ap.compare_pj + ap.write_pj);
  c.energy_pj = c.rtm_energy_pj + c.cam_energy_pj;
  c.latency_ns = c.rtm.latency_ns(rtm) + double(c.passes) * (ap.compare_ns + ap.write_ns);
  return c;
}

}  // namespace tessera::ap::compiler

// Racetrack shift model against hand calculations, and the bit-serial AP on
// racetrack memory: results exact, shifts as counted by hand per layout.
#include <gtest/gtest.h>

#include "arch/ap/dbc.hpp"
#include "arch/ap/rtm_ap.hpp"

using namespace tessera::ap;

namespace {
RtmParams rtm(PortUpdate u, PortChoice c) {
  RtmParams p = RtmParams::defaults();
  p.update = u;
  p.choice = c;
  return p;
}
int64_t run(Dbc& d, std::initializer_list<int> domains) {
  int64_t s = 0;
  for (int x : domains) s += d.read(x);
  return s;
}
}  // namespace

TEST(Rtm, DefaultsAreRtsim) {
  RtmParams p = RtmParams::defaults();
  EXPECT_EQ(p.tracks, 32);
  EXPECT_EQ(p.domains, 64);
  EXPECT_EQ(p.ports, 2);
  EXPECT_DOUBLE_EQ(p.shift_ns, 2.14);
  EXPECT_DOUBLE_EQ(p.read_ns, 1.61);
  EXPECT_DOUBLE_EQ(p.write_ns, 4.85);
  EXPECT_DOUBLE_EQ(p.read_pj, 80.1);
  EXPECT_DOUBLE_EQ(p.write_pj, 109.0);
  EXPECT_DOUBLE_EQ(p.shift_pj, 19.5);
  EXPECT_EQ(p.segment(), 32);
}

// 64 domains, ports at 0 and 32.
TEST(Rtm, LazyStaticHandSequence) {
  RtmParams p = rtm(PortUpdate::Lazy, PortChoice::Static);
  Dbc d(p);
  // 5: port 0, offset 0 -> 5 (5). 40: port 1, offset -> 8 (3). 6: port 0, -> 6 (2). 63: port 1, -> 31 (25).
  EXPECT_EQ(d.read(5), 5);
  EXPECT_EQ(d.read(40), 3);
  EXPECT_EQ(d.read(6), 2);
  EXPECT_EQ(d.read(63), 25);
  EXPECT_EQ(d.counts().shifts, 35);
  EXPECT_EQ(d.offset(), 31);
  EXPECT_EQ(d.port_position(0), 31);
  Dbc e(p);
  // 30: port 0 -> offset 30 (30); 33: port 1 -> offset 1 (29).
  EXPECT_EQ(run(e, {30, 33}), 59);
}

TEST(Rtm, LazyNearestHandSequence) {
  RtmParams p = rtm(PortUpdate::Lazy, PortChoice::Nearest);
  Dbc d(p);
  EXPECT_EQ(run(d, {5, 40, 6, 63}), 35);  // same ports as static here
  Dbc e(p);
  // 30: port 1 at 32 is 2 away -> offset -2 (ports at -2, 30); 33: port 1 at 30, 3 away.
  EXPECT_EQ(e.read(30), 2);
  EXPECT_EQ(e.offset(), -2);
  EXPECT_EQ(e.read(33), 3);
}

TEST(Rtm, EagerReturnsHomeAndDoublesShifts) {
  Dbc s(rtm(PortUpdate::Eager, PortChoice::Static));
  EXPECT_EQ(run(s, {5, 40}), 2 * 5 + 2 * 8);
  EXPECT_EQ(s.offset(), 0);
  Dbc n(rtm(PortUpdate::Eager, PortChoice::Nearest));
  EXPECT_EQ(run(n, {30, 33}), 2 * 2 + 2 * 1);
}

TEST(Rtm, LatencyAndEnergyFromCounts) {
  RtmParams p = rtm(PortUpdate::Lazy, PortChoice::Static);
  Dbc d(p);
  d.read(5);
  d.write(40);
  RtmCounts c = d.counts();
  EXPECT_EQ(c.shifts, 8);
  EXPECT_EQ(c.reads, 1);
  EXPECT_EQ(c.writes, 1);
  EXPECT_NEAR(c.latency_ns(p), 8 * 2.14 + 1.61 + 4.85, 1e-9);
  EXPECT_NEAR(c.energy_pj(p), 8 * 19.5 + 80.1 + 109.0, 1e-9);
  EXPECT_NEAR(c.energy_pj(p, 3), 3 * (8 * 19.5 + 80.1 + 109.0), 1e-9);
  EXPECT_THROW(d.read(64), std::out_of_range);
}

// B <- A + B for every pair of 4-bit patterns (256 rows = 8 DBCs per group),
// with three placements of A and B. Per bit: read A_j, read B_j, write B_j.
namespace {
struct AddRun {
  RtmCounts rtm;
  CamCounts cam;
};
AddRun add_all_pairs(const RtmParams& p, const Operand& a, const Operand& b, int groups) {
  const int m = 4, n = 16;
  RtmAp ap(p, n * n, groups);
  std::vector<int64_t> va(n * n), vb(n * n);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < n; ++k) va[i * n + k] = i, vb[i * n + k] = k;
  for (int j = 0; j < m; ++j) {  // place operands without counting
    BitVec ca(n * n), cb(n * n);
    for (int r = 0; r < n * n; ++r) ca.set(r, (va[r] >> j) & 1), cb.set(r, (vb[r] >> j) & 1);
    ap.columns().poke(a[j], ca);
    ap.columns().poke(b[j], cb);
  }
  ap.add(a, b, m, Extend::Sign);
  RtmAp check = ap;
  std::vector<int64_t> out = check.store(b, m, true);
  for (int r = 0; r < n * n; ++r) {
    int64_t s = ((va[r] + vb[r]) & 15);
    if (s >= 8) s -= 16;
    EXPECT_EQ(out[r], s);
  }
  return {ap.rtm_counts(), ap.cam_counts()};
}
Operand at(int group, std::initializer_list<int> domains) {
  Operand o;
  for (int d : domains) o.push_back({group, d});
  return o;
}
}  // namespace

TEST(RtmAp, SeparateGroupsStepOneShiftPerBitEach) {
  RtmParams p = rtm(PortUpdate::Lazy, PortChoice::Static);
  AddRun r = add_all_pairs(p, at(0, {0, 1, 2, 3}), at(1, {0, 1, 2, 3}), 2);
  EXPECT_EQ(r.rtm.shifts, 3 + 3);
  EXPECT_EQ(r.rtm.reads, 8);
  EXPECT_EQ(r.rtm.writes, 4);
  EXPECT_EQ(r.cam.compares, 17);
  EXPECT_EQ(r.cam.writes, 17);
}

TEST(RtmAp, PortAlignedOperandsShareEveryShift) {
  // A_j at domain j (port 0), B_j at 32 + j (port 1): one offset serves both.
  RtmParams p = rtm(PortUpdate::Lazy, PortChoice::Static);
  AddRun r = add_all_pairs(p, at(0, {0, 1, 2, 3}), at(0, {32, 33, 34, 35}), 1);
  EXPECT_EQ(r.rtm.shifts, 3);
}

TEST(RtmAp, PackedOperandsShuttle) {
  // A at 0..3, B at 4..7, both under port 0: bit 0 costs 0 + 4, bits 1..3 cost 3 + 4 each.
  RtmParams p = rtm(PortUpdate::Lazy, PortChoice::Static);
  AddRun r = add_all_pairs(p, at(0, {0, 1, 2, 3}), at(0, {4, 5, 6, 7}), 1);
  EXPECT_EQ(r.rtm.shifts, 4 + 3 * 7);
}

TEST(RtmAp, EagerPaysTheReturnTrip) {
  // Separate groups, eager: bit j costs 2j for each of the three accesses.
  RtmParams p = rtm(PortUpdate::Eager, PortChoice::Static);
  AddRun r = add_all_pairs(p, at(0, {0, 1, 2, 3}), at(1, {0, 1, 2, 3}), 2);
  EXPECT_EQ(r.rtm.shifts, 3 * 2 * (0 + 1 + 2 + 3));
}

TEST(RtmAp, CopyClearExtendLoadStore) {
  RtmParams p = rtm(PortUpdate::Lazy, PortChoice::Static);
  RtmAp ap(p, 3, 1);
  Operand x = at(0, {0, 1, 2, 3, 4, 5}), y = at(0, {8, 9, 10, 11, 12, 13});
  ap.load(x, 3, {3, 5, 7});
  ap.extend(x, 3, 6, Extend::Sign);  // 3-bit 3, -3, -1
  EXPECT_EQ(ap.store(x, 6, true), (std::vector<int64_t>{3, -3, -1}));
  ap.copy(x, y, 6);
  ap.sub(x, y, 6, Extend::Sign);  // y - x = 0
  EXPECT_EQ(ap.store(y, 6, true), (std::vector<int64_t>{0, 0, 0}));
  ap.clear(y, 2);
  ap.load(y, 2, {1, 2, 3});
  ap.extend(y, 2, 6, Extend::Zero);
  ap.add(x, y, 6, Extend::Sign);  // 1 + 3, 2 - 3, 3 - 1
  EXPECT_EQ(ap.store(y, 6, true), (std::vector<int64_t>{4, -1, 2}));
  EXPECT_EQ(ap.cam_counts().compares, 2 * 25);
}

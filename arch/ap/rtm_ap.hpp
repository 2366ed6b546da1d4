// A bit-serial associative processor whose bit columns live in racetrack
// memory (RacetrackColumns) and whose compare/write logic works on latched
// columns: S (source bit), D (destination bit), C (carry/borrow) and E (the
// left operand's top valid bit, for extension).
//
// Per bit j of dst <- base +- src: sense src_j into S and base_j into D, run
// the 4 look-up-table passes on the latches (arith.hpp), write D to dst_j.
// With base = dst this is the in-place add of imc-facts section 2; with
// another base it is out of place at the same pass count. Past its valid bits
// an operand reads as its top bit (S keeps it; D reloads it from E, a latch
// transfer that costs no pass) or as 0. The carry lives in its latch for the
// whole operation, so it never shifts. A copy moves a sensed column to another
// domain without passes.
//
// An operand is the racetrack location of each of its bits, least significant
// first: where the bits lie (adjacent domains, the same offset under two
// ports, separate groups) is what decides the shift count.
#pragma once

#include <cstdint>
#include <vector>

#include "arch/ap/arith.hpp"
#include "arch/ap/cam.hpp"
#include "arch/ap/racetrack_columns.hpp"

namespace tessera::ap {

using Operand = std::vector<BitLoc>;

// An operand's valid bits and how it reads past them.
struct Source {
  Operand bits;  // may be empty for a zero left operand
  Extend ext = Extend::Zero;
};

class RtmAp {
 public:
  static constexpr int kS = 0, kD = 1, kC = 2, kE = 3;  // latch columns of the head

  RtmAp(const RtmParams& p, int rows, int groups);

  // dst[0..bits) <- base +- src.
  void add(const Source& base, const Source& src, const Operand& dst, int bits);
  void sub(const Source& base, const Source& src, const Operand& dst, int bits);
  // In place: dst[0..bits) op= src; src bits past src.size() are extended per ext.
  void add(const Operand& src, const Operand& dst, int bits, Extend ext);
  void sub(const Operand& src, const Operand& dst, int bits, Extend ext);
  void copy(const Operand& src, const Operand& dst, int bits);  // bits <= src.size()
  void clear(const Operand& dst, int bits);
  // dst[from..to) <- copies of dst[from - 1] (Sign) or 0 (Zero).
  void extend(const Operand& dst, int from, int to, Extend ext);

  // Host transfers over the ports (counted RTM writes/reads, no passes).
  void load(const Operand& dst, int bits, const std::vector<int64_t>& per_row);
  std::vector<int64_t> store(const Operand& src, int bits, bool is_signed);

  RacetrackColumns& columns() { return cols_; }
  const RacetrackColumns& columns() const { return cols_; }
  const CamCounts& cam_counts() const { return head_.counts(); }
  RtmCounts rtm_counts() const { return cols_.counts(); }

 private:
  void addsub(const Source& base, const Source& src, const Operand& dst, int bits, bool subtract);
  RacetrackColumns cols_;
  Cam head_;
};

}  // namespace tessera::ap

// The bit columns of an AP stored in racetrack memory.
//
// CAM row r lives on track r % tracks of one DBC per `tracks` rows; a row's bit
// columns lie along the domains. A column group is the set of DBCs (one per
// block of `tracks` rows) that hold the same domains of every row: they shift in
// lockstep, so a group has one shift state, and a column access costs one word
// per DBC of the group. A column is addressed by (group, domain).
//
// Only the columns under a port can be sensed or written: an access first
// shifts its group (Dbc's port rules), then reads or writes one column, so
// stepping a bit-serial operation from bit j to bit j + 1 costs one shift when
// bit j + 1 sits in the next domain. Counts are per column access; energy
// multiplies by the DBCs per group.
#pragma once

#include <vector>

#include "arch/ap/bitvec.hpp"
#include "arch/ap/dbc.hpp"

namespace tessera::ap {

struct BitLoc {
  int group = 0;
  int domain = 0;
  bool operator==(const BitLoc& o) const { return group == o.group && domain == o.domain; }
};

class RacetrackColumns {
 public:
  RacetrackColumns(const RtmParams& p, int rows, int groups);

  int rows() const { return rows_; }
  int groups() const { return int(dbcs_.size()); }
  int dbcs_per_group() const { return (rows_ + p_.tracks - 1) / p_.tracks; }

  // Counted accesses: shift the group, then sense or write one column.
  const BitVec& read(BitLoc at);
  void write(BitLoc at, const BitVec& bits);

  // Uncounted host access (test set-up and inspection).
  const BitVec& peek(BitLoc at) const { return data_[index(at)]; }
  void poke(BitLoc at, const BitVec& bits);

  const Dbc& group(int g) const { return dbcs_[g]; }
  RtmCounts counts() const;  // summed over groups
  double latency_ns() const { return counts().latency_ns(p_); }
  double energy_pj() const { return counts().energy_pj(p_, dbcs_per_group()); }

 private:
  size_t index(BitLoc at) const;
  RtmParams p_;
  int rows_;
  std::vector<Dbc> dbcs_;
  std::vector<BitVec> data_;  // group-major, domains_ per group
};

}  // namespace tessera::ap

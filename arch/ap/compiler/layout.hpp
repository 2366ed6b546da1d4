// Placement of the program's fields in racetrack domains.
//
// field_major (the naive layout): fields one after another in id order, each
// field's bits in consecutive domains of one column group. A bit-serial add
// then walks the accumulator up its domains and must shift back down before
// the next add into it, and consecutive inputs lie several domains apart.
//
// bit_plane: bit j of every field of a role (inputs,
// temps, accumulators) shares a column group, the "plane" of bit j; a field's
// slot picks the domain. Every bit of a field then sits at the same domain of
// its plane, so stepping from bit j to bit j + 1 costs no shift at all (it is
// another group), repeated adds into one accumulator cost none, and moving to
// the next input or output shifts each plane by one position. Slots are
// interleaved across the ports (slot q at domain (q % P) * D/P + q / P), so
// that with static port choice two consecutive slots sit under different ports
// at the same offset. Planes of more than D slots take further groups. A plane
// pays one shift per plane for every move to another slot, so it suits fields
// visited in order; a field reached by a long jump costs the jump once per bit.
//
// mixed (the default): accumulators in planes (the same accumulator takes
// every add of its output channel, so its planes never move within a channel),
// inputs and temps packed per role (each field's bits in consecutive domains,
// fields in slot order): a jump to a field is paid once, then its bits follow
// one shift apart. On ResNet-18 the temps, read in a scattered order, cost
// bit_plane two to three times the shifts of packing, while its accumulators
// cost almost nothing: mixed takes the better half of each.
#pragma once

#include <string>
#include <vector>

#include "arch/ap/racetrack_columns.hpp"
#include "arch/ap/rtm_ap.hpp"
#include "arch/ap/compiler/program.hpp"

namespace tessera::ap::compiler {

enum class LayoutKind { FieldMajor, BitPlane, Mixed };
const char* to_string(LayoutKind k);

class Layout {
 public:
  static Layout build(LayoutKind kind, const std::vector<FieldInfo>& fields, const RtmParams& p);

  BitLoc at(int32_t field, int bit) const { return locs_[size_t(offset_[field] + bit)]; }
  Operand operand(int32_t field) const;
  int groups() const { return groups_; }
  LayoutKind kind() const { return kind_; }
  int64_t bits() const { return int64_t(locs_.size()); }  // domains holding a field bit

 private:
  void pack(const std::vector<FieldInfo>& fields, const std::vector<size_t>& order, const RtmParams& p);
  void planes(const std::vector<FieldInfo>& fields, const std::vector<size_t>& order, const RtmParams& p);
  LayoutKind kind_ = LayoutKind::FieldMajor;
  std::vector<int64_t> offset_;  // first entry of each field in locs_
  std::vector<BitLoc> locs_;
  int groups_ = 0;
};

}  // namespace tessera::ap::compiler

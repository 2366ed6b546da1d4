#include "arch/ap/racetrack_columns.hpp"

#include <stdexcept>
#include <string>

namespace tessera::ap {

RacetrackColumns::RacetrackColumns(const RtmParams& p, int rows, int groups) : p_(p), rows_(rows) {
  if (rows <= 0 || groups < 0) throw std::invalid_argument("RacetrackColumns: bad size");
  dbcs_.assign(size_t(groups), Dbc(p_));
  data_.assign(size_t(groups) * size_t(p_.domains), BitVec(rows));
}

size_t RacetrackColumns::index(BitLoc at) const {
  if (at.group < 0 || at.group >= groups() || at.domain < 0 || at.domain >= p_.domains)
    throw std::out_of_range("RacetrackColumns: column (" + std::to_string(at.group) + ", " +
                            std::to_string(at.domain) + ") outside the array");
  return size_t(at.group) * size_t(p_.domains) + size_t(at.domain);
}

const BitVec& RacetrackColumns::read(BitLoc at) {
  size_t i = index(at);
  dbcs_[at.group].read(at.domain);
  return data_[i];
}

void RacetrackColumns::write(BitLoc at, const BitVec& bits) {
  size_t i = index(at);
  if (bits.size() != rows_) throw std::invalid_argument("RacetrackColumns::write: size differs from rows");
  dbcs_[at.group].write(at.domain);
  data_[i] = bits;
}

void RacetrackColumns::poke(BitLoc at, const BitVec& bits) {
  if (bits.size() != rows_) throw std::invalid_argument("RacetrackColumns::poke: size differs from rows");
  data_[index(at)] = bits;
}

RtmCounts RacetrackColumns::counts() const {
  RtmCounts c;
  for (const auto& d : dbcs_) c += d.counts();
  return c;
}

}  // namespace tessera::ap

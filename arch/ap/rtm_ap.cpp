#include "arch/ap/rtm_ap.hpp"

#include <stdexcept>

namespace tessera::ap {

RtmAp::RtmAp(const RtmParams& p, int rows, int groups) : cols_(p, rows, groups), head_(rows, 4) {}

void RtmAp::addsub(const Source& base, const Source& src, const Operand& dst, int bits, bool subtract) {
  if (src.bits.empty() || bits < 1 || bits > int(dst.size()))
    throw std::invalid_argument("RtmAp::add/sub: bad operand widths");
  const int nb = int(base.bits.size()), ns = int(src.bits.size());
  clear_column(head_, kC);
  for (int j = 0; j < bits; ++j) {
    bool direct = j < ns;
    if (direct) head_.set_column(kS, cols_.read(src.bits[j]));
    if (j < nb) {
      head_.set_column(kD, cols_.read(base.bits[j]));
      if (j == nb - 1) head_.set_column(kE, head_.column(kD));
    } else {
      head_.set_column(kD, nb > 0 && base.ext == Extend::Sign ? head_.column(kE) : BitVec(cols_.rows()));
    }
    if (direct || src.ext == Extend::Sign)  // S still holds src's top bit when extending by sign
      subtract ? sub_bit(head_, kS, kD, kC) : add_bit(head_, kS, kD, kC);
    else
      subtract ? sub_bit_zero(head_, kD, kC) : add_bit_zero(head_, kD, kC);
    cols_.write(dst[j], head_.column(kD));
  }
}

void RtmAp::add(const Source& base, const Source& src, const Operand& dst, int bits) {
  addsub(base, src, dst, bits, false);
}
void RtmAp::sub(const Source& base, const Source& src, const Operand& dst, int bits) {
  addsub(base, src, dst, bits, true);
}
void RtmAp::add(const Operand& src, const Operand& dst, int bits, Extend ext) {
  if (bits < 1 || bits > int(dst.size())) throw std::invalid_argument("RtmAp::add: bits");
  addsub({Operand(dst.begin(), dst.begin() + bits), Extend::Sign}, {src, ext}, dst, bits, false);
}
void RtmAp::sub(const Operand& src, const Operand& dst, int bits, Extend ext) {
  if (bits < 1 || bits > int(dst.size())) throw std::invalid_argument("RtmAp::sub: bits");
  addsub({Operand(dst.begin(), dst.begin() + bits), Extend::Sign}, {src, ext}, dst, bits, true);
}

void RtmAp::copy(const Operand& src, const Operand& dst, int bits) {
  if (bits > int(src.size()) || bits > int(dst.size())) throw std::invalid_argument("RtmAp::copy: bits");
  for (int j = 0; j < bits; ++j) {
    BitVec v = cols_.read(src[j]);
    cols_.write(dst[j], v);
  }
}

void RtmAp::clear(const Operand& dst, int bits) {
  if (bits > int(dst.size())) throw std::invalid_argument("RtmAp::clear: bits");
  BitVec zero(cols_.rows());
  for (int j = 0; j < bits; ++j) cols_.write(dst[j], zero);
}

void RtmAp::extend(const Operand& dst, int from, int to, Extend ext) {
  if (from < 1 || to > int(dst.size()) || from > to) throw std::invalid_argument("RtmAp::extend: range");
  if (from == to) return;
  BitVec v = ext == Extend::Sign ? cols_.read(dst[from - 1]) : BitVec(cols_.rows());
  for (int j = from; j < to; ++j) cols_.write(dst[j], v);
}

void RtmAp::load(const Operand& dst, int bits, const std::vector<int64_t>& per_row) {
  if (int(per_row.size()) != cols_.rows() || bits > int(dst.size()))
    throw std::invalid_argument("RtmAp::load: one value per row");
  for (int j = 0; j < bits; ++j) {
    BitVec v(cols_.rows());
    for (int r = 0; r < cols_.rows(); ++r) v.set(r, (uint64_t(per_row[r]) >> j) & 1u);
    cols_.write(dst[j], v);
  }
}

std::vector<int64_t> RtmAp::store(const Operand& src, int bits, bool is_signed) {
  if (bits < 1 || bits > int(src.size()) || bits > 64) throw std::invalid_argument("RtmAp::store: bits");
  std::vector<uint64_t> v(size_t(cols_.rows()), 0);
  for (int j = 0; j < bits; ++j) {
    const BitVec& c = cols_.read(src[j]);
    for (int r = 0; r < cols_.rows(); ++r) v[r] |= uint64_t(c.get(r)) << j;
  }
  std::vector<int64_t> out(v.size());
  for (size_t r = 0; r < v.size(); ++r) {
    uint64_t x = v[r];
    if (is_signed && bits < 64 && ((x >> (bits - 1)) & 1u)) x |= ~uint64_t(0) << bits;
    out[r] = int64_t(x);
  }
  return out;
}

}  // namespace tessera::ap

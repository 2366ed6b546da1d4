#include "arch/ap/cam.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tessera::ap {

Cam::Cam(int rows, int columns)
    : rows_(rows), cols_(size_t(std::max(columns, 0)), BitVec(rows)), key_(size_t(std::max(columns, 0))), tags_(rows) {
  if (rows <= 0 || columns <= 0) throw std::invalid_argument("Cam: rows and columns must be positive");
}

void Cam::check_col(int col) const {
  if (col < 0 || col >= columns())
    throw std::out_of_range("Cam: column " + std::to_string(col) + " outside 0.." + std::to_string(columns() - 1));
}

void Cam::clear_mask() { mask_.clear(); }

void Cam::set_key(int col, bool bit) {
  check_col(col);
  key_[col] = bit;
  if (std::find(mask_.begin(), mask_.end(), col) == mask_.end()) mask_.push_back(col);
}

void Cam::compare() {
  auto& t = tags_.words();
  std::fill(t.begin(), t.end(), ~uint64_t(0));
  for (int c : mask_) {
    const auto& w = cols_[c].words();
    if (key_[c])
      for (size_t i = 0; i < t.size(); ++i) t[i] &= w[i];
    else
      for (size_t i = 0; i < t.size(); ++i) t[i] &= ~w[i];
  }
  tags_.trim();
  ++counts_.compares;
}

void Cam::write() {
  const auto& t = tags_.words();
  for (int c : mask_) {
    auto& w = cols_[c].words();
    if (key_[c])
      for (size_t i = 0; i < t.size(); ++i) w[i] |= t[i];
    else
      for (size_t i = 0; i < t.size(); ++i) w[i] &= ~t[i];
  }
  ++counts_.writes;
}

void Cam::pass(std::initializer_list<ColBit> match, std::initializer_list<ColBit> set) {
  clear_mask();
  for (auto cb : match) set_key(cb.col, cb.value);
  compare();
  clear_mask();
  for (auto cb : set) set_key(cb.col, cb.value);
  write();
}

void Cam::move_up(int src, int dst, int distance) {
  check_col(src);
  check_col(dst);
  if (distance < 0) throw std::invalid_argument("Cam::move_up: negative distance");
  BitVec out(rows_);
  for (int r = 0; r + distance < rows_; ++r) out.set(r, cols_[src].get(r + distance));
  cols_[dst] = out;
  ++counts_.moves;
}

void Cam::set_column(int col, const BitVec& v) {
  check_col(col);
  if (v.size() != rows_) throw std::invalid_argument("Cam::set_column: size differs from the row count");
  cols_[col] = v;
}

void Cam::store(int row, Field f, int64_t value) {
  for (int b = 0; b < f.width; ++b) set_bit(row, f.col(b), (uint64_t(value) >> b) & 1u);
}

uint64_t Cam::load_unsigned(int row, Field f) const {
  uint64_t v = 0;
  for (int b = 0; b < f.width; ++b) v |= uint64_t(bit(row, f.col(b))) << b;
  return v;
}

int64_t Cam::load_signed(int row, Field f) const {
  uint64_t v = load_unsigned(row, f);
  if (f.width < 64 && f.width > 0 && ((v >> (f.width - 1)) & 1u)) v |= ~uint64_t(0) << f.width;
  return int64_t(v);
}

}  // namespace tessera::ap

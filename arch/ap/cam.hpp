// The content-addressable array of an associative processor (AP): rows x
// bit-columns, with a key register (compare pattern and write data), a mask
// register (the columns taking part) and a tag register (one bit per row).
//
// The two primitive cycles are compare (tag the rows whose masked columns equal
// the key) and write (put the masked key bits into every tagged row); one pass
// is a compare followed by a write. All rows work in parallel, so an operation's
// cost is its pass count, independent of the row count.
//
// Storage is bit-sliced (one bit vector per column): a compare is a handful of
// word-wide ANDs, which keeps functional runs of whole layers fast.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "arch/ap/bitvec.hpp"

namespace tessera::ap {

// An m-bit field: columns lsb .. lsb + width - 1, least significant bit first.
struct Field {
  int lsb = 0;
  int width = 0;
  int col(int bit) const { return lsb + bit; }
};

// A column and the bit it is compared with or written.
struct ColBit {
  int col;
  bool value;
};

struct CamCounts {
  int64_t compares = 0;
  int64_t writes = 0;
  int64_t moves = 0;  // row-to-row column moves (reduction)
};

class Cam {
 public:
  Cam(int rows, int columns);

  int rows() const { return rows_; }
  int columns() const { return int(cols_.size()); }

  // Registers.
  void clear_mask();
  void set_key(int col, bool bit);   // also adds col to the mask
  const std::vector<int>& mask() const { return mask_; }
  bool key(int col) const { return key_[col]; }

  // Primitive cycles.
  void compare();  // an empty mask tags every row
  void write();
  const BitVec& tags() const { return tags_; }

  // One pass: compare on `match`, then write `set` into the tagged rows.
  void pass(std::initializer_list<ColBit> match, std::initializer_list<ColBit> set);

  // The vertical row network used by reductions: column dst of row r takes
  // column src of row r + distance (0 past the last row). One move cycle.
  void move_up(int src, int dst, int distance);

  // Host access, not AP cycles: operands in, results out.
  bool bit(int row, int col) const { return cols_[col].get(row); }
  void set_bit(int row, int col, bool v) { cols_[col].set(row, v); }
  const BitVec& column(int col) const { return cols_[col]; }
  void set_column(int col, const BitVec& v);
  void store(int row, Field f, int64_t value);  // low f.width bits, two's complement
  uint64_t load_unsigned(int row, Field f) const;
  int64_t load_signed(int row, Field f) const;

  const CamCounts& counts() const { return counts_; }
  void reset_counts() { counts_ = {}; }

 private:
  void check_col(int col) const;
  int rows_;
  std::vector<BitVec> cols_;
  std::vector<bool> key_;
  std::vector<int> mask_;  // masked columns, in the order they were set
  BitVec tags_;
  CamCounts counts_;
};

}  // namespace tessera::ap

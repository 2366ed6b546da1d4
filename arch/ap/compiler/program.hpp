// An AP program: compact descriptors for one row tile of a ternary layer.
//
// The CAM rows hold output positions (one row per position, all in
// parallel), so a descriptor stands for one vector operation over every row of
// a tile, never for one multiply-accumulate. Each descriptor is a loop over
// `bits` bit positions; bit j senses or writes at most three racetrack
// columns and runs a fixed number of look-up-table passes (expand()). A
// cycle-level unit executes the same expansion step by step; the analytical
// count (cost.hpp) sums it, so both agree by construction of the one table.
//
// Fields are the operands: input activations (one slot per resident input),
// temporaries (shared partial sums from CSE) and accumulators (one per output
// channel of a group). The layout (layout.hpp) places their bits in racetrack
// domains.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::ap::compiler {

enum class Role : uint8_t { Input, Temp, Accumulator };

struct FieldInfo {
  Role role = Role::Input;
  int32_t slot = 0;   // index among the fields of its role
  int16_t width = 0;  // allocated bits
};

enum class Op : uint8_t {
  Load,   // dst[0..bits) <- input activation `src` (host write through the ports)
  Clear,  // dst[0..bits) <- 0
  Copy,   // dst[0..bits) <- src[0..bits) (sense and write back, no passes)
  Add,    // dst[0..bits) <- base + src
  Sub,    // dst[0..bits) <- base - src
  Store,  // read dst[0..bits) out as output channel `src`, extended by base_sign
};
const char* to_string(Op op);

// Add/Sub read their left operand from `base`: the destination itself (in
// place), another field (out of place: a temp built from two terms, or an
// accumulator's first two terms), or nothing (-1: zero). Each operand is valid
// in its low *_bits; past them it reads as copies of its top valid bit (sign)
// or as 0, so no field ever needs widening in memory.
struct Step {
  Op op = Op::Clear;
  bool src_sign = false;   // Add/Sub: extend src by sign past src_bits
  bool base_sign = false;  // Add/Sub: extend base by sign past base_bits; Store: sign-extend
  int16_t bits = 0;        // loop length over dst bits
  int16_t src_bits = 0;    // Add/Sub: valid src bits
  int16_t base_bits = 0;   // Add/Sub: valid base bits (0 when base is -1)
  int32_t dst = -1;        // field
  int32_t src = -1;        // field (Copy/Add/Sub); input index in the layer (Load); output channel (Store)
  int32_t base = -1;       // field (Add/Sub) or -1 for zero
};

// One bit position of a descriptor: its racetrack accesses, in order, then its passes.
struct Access {
  int32_t field;
  int16_t bit;
  bool write;
};
struct BitOp {
  Access access[3];
  int8_t accesses = 0;
  int8_t passes = 0;  // each pass is one compare and one write
};

// Calls f(const BitOp&) for every bit of the step, in execution order.
// Add/Sub, bit j: read src_j into latch S (j < src_bits), read base_j into
// latch D (j < base_bits; the top valid bit is also kept in latch E, which
// supplies D above base_bits), run 4 passes (2 when src is zero-extended past
// src_bits), write D to dst_j; bit 0 adds the carry-clear pass.
// Copy: read src_j, write dst_j. Load, Clear: writes. Store: reads.
template <class F>
void expand(const Step& s, F&& f) {
  auto one = [](int32_t field, int bit, bool write) { return Access{field, int16_t(bit), write}; };
  for (int j = 0; j < s.bits; ++j) {
    BitOp b;
    switch (s.op) {
      case Op::Load:
      case Op::Clear: b.access[b.accesses++] = one(s.dst, j, true); break;
      case Op::Store: b.access[b.accesses++] = one(s.dst, j, false); break;
      case Op::Copy:
        b.access[b.accesses++] = one(s.src, j, false);
        b.access[b.accesses++] = one(s.dst, j, true);
        break;
      case Op::Add:
      case Op::Sub: {
        bool direct = j < s.src_bits;
        if (direct) b.access[b.accesses++] = one(s.src, j, false);
        if (j < s.base_bits) b.access[b.accesses++] = one(s.base, j, false);
        b.access[b.accesses++] = one(s.dst, j, true);
        b.passes = int8_t((j == 0 ? 1 : 0) + (direct || s.src_sign ? 4 : 2));
        break;
      }
    }
    f(static_cast<const BitOp&>(b));
  }
}

// What the compiler did, per layer (one row tile; every tile repeats it).
struct CompileStats {
  int64_t nonzero_weights = 0;
  int64_t addsub = 0;        // Add + Sub descriptors
  int64_t copies = 0, clears = 0, loads = 0, stores = 0;
  int64_t temps = 0;         // CSE temporaries computed
  int64_t mcm_adders = 0;    // adder_count() summed over chunks (negation free)
  int64_t chunks = 0;
  int64_t passes = 0;        // per tile
};

struct Program {
  std::string layer;
  int64_t positions = 0;  // output positions (rows of work)
  int rows = 0;           // CAM rows per tile
  int activation_bits = 0;
  int accumulator_bits = 0;
  std::vector<FieldInfo> fields;
  std::vector<Step> steps;  // one row tile
  CompileStats stats;

  int64_t tiles() const { return (positions + rows - 1) / rows; }
};

}  // namespace tessera::ap::compiler

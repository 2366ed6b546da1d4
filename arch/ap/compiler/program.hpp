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
  Load,    // dst[0..bits) <- input activation `src` (host write through the ports)
  Clear,   // dst[0..bits) <- 0
  Copy,    // dst[0..bits) <- src[0..bits) (sense and write back, no passes)
  Extend,  // dst[from..bits) <- dst[from - 1] (sign) or 0
  Add,     // dst[0..bits) += src, src valid in src_bits, extended past them
  Sub,     // dst[0..bits) -= src
  Store,   // read dst[0..bits) out as output channel `src`
};
const char* to_string(Op op);

struct Step {
  Op op = Op::Clear;
  bool sign = false;     // Add/Sub: extend src by sign (else zero); Extend: by sign
  int16_t bits = 0;      // loop length over dst bits
  int16_t from = 0;      // Add/Sub/Copy: src_bits (valid source bits); Extend: first bit written
  int32_t dst = -1;      // field
  int32_t src = -1;      // field (Copy/Add/Sub); input index in the layer (Load); output channel (Store)
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
// Add/Sub: bit 0 also carries the carry-clear pass. Per bit j:
//   j < src_bits: read src_j, read dst_j, 4 passes, write dst_j
//   j >= src_bits: read dst_j, 4 (sign) or 2 (zero) passes, write dst_j
// Copy: read src_j, write dst_j. Extend (sign): read dst_{from-1} once, then
// writes. Load, Clear, zero Extend: writes. Store: reads.
template <class F>
void expand(const Step& s, F&& f) {
  auto one = [](int32_t field, int bit, bool write) { return Access{field, int16_t(bit), write}; };
  switch (s.op) {
    case Op::Load:
    case Op::Clear:
      for (int j = 0; j < s.bits; ++j) {
        BitOp b;
        b.access[b.accesses++] = one(s.dst, j, true);
        f(b);
      }
      break;
    case Op::Store:
      for (int j = 0; j < s.bits; ++j) {
        BitOp b;
        b.access[b.accesses++] = one(s.dst, j, false);
        f(b);
      }
      break;
    case Op::Copy:
      for (int j = 0; j < s.bits; ++j) {
        BitOp b;
        b.access[b.accesses++] = one(s.src, j, false);
        b.access[b.accesses++] = one(s.dst, j, true);
        f(b);
      }
      break;
    case Op::Extend:
      for (int j = s.from; j < s.bits; ++j) {
        BitOp b;
        if (s.sign && j == s.from) b.access[b.accesses++] = one(s.dst, s.from - 1, false);
        b.access[b.accesses++] = one(s.dst, j, true);
        f(b);
      }
      break;
    case Op::Add:
    case Op::Sub:
      for (int j = 0; j < s.bits; ++j) {
        BitOp b;
        bool direct = j < s.from;
        if (direct) b.access[b.accesses++] = one(s.src, j, false);
        b.access[b.accesses++] = one(s.dst, j, false);
        b.access[b.accesses++] = one(s.dst, j, true);
        b.passes = int8_t((j == 0 ? 1 : 0) + (direct || s.sign ? 4 : 2));
        f(b);
      }
      break;
  }
}

// What the compiler did, per layer (one row tile; every tile repeats it).
struct CompileStats {
  int64_t nonzero_weights = 0;
  int64_t addsub = 0;        // Add + Sub descriptors
  int64_t copies = 0, clears = 0, extends = 0, loads = 0, stores = 0;
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

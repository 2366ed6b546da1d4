// Bit-serial in-place arithmetic on the CAM by look-up-table passes
// (imc-facts section 2). One bit position costs 4 passes, every row at once.
//
// Add B <- A + B with carry C: keys (A,B,C) = (1,1,0), (1,0,0), (0,0,1), (0,1,1);
// each pass inverts B in the tagged rows, passes 1 and 3 also invert C.
// Subtract B <- B - A with borrow C: keys (1,0,0), (1,1,0), (0,1,1), (0,0,1),
// same writes. The pass order matters: a row rewritten by one pass must not
// match a later pass of the same bit, which these orders guarantee.
//
// A narrower than B is extended: by repeating its top column as the key (sign)
// or, for zero extension, by dropping A from the key, which leaves only the two
// passes whose key has A = 0.
#pragma once

#include <cstdint>

#include "arch/ap/cam.hpp"

namespace tessera::ap {

enum class Extend { Zero, Sign };

// Writes 0 into a column of every row: one pass (an empty-mask compare tags all rows).
void clear_column(Cam& cam, int col);

// One bit position (4 passes; the *_zero forms take A = 0 and cost 2).
void add_bit(Cam& cam, int a, int b, int c);
void add_bit_zero(Cam& cam, int b, int c);
void sub_bit(Cam& cam, int a, int b, int c);
void sub_bit_zero(Cam& cam, int b, int c);

// B <- B + A and B <- B - A over B's width (two's complement, wrapping at
// B's width), the carry/borrow column cleared first. A wider than B
// contributes only its low B.width bits (the result is the same modulo 2^m).
void add(Cam& cam, Field a, Field b, int carry, Extend ext = Extend::Sign);
void sub(Cam& cam, Field a, Field b, int borrow, Extend ext = Extend::Sign);

// Pass count of add/sub (compares = writes = this): 1 carry clear, 4 per bit
// where A has a column, 4 (sign) or 2 (zero) per extended bit.
int64_t addsub_passes(int a_width, int b_width, Extend ext);

}  // namespace tessera::ap

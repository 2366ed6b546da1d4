#include "arch/ap/arith.hpp"

#include <algorithm>
#include <stdexcept>

namespace tessera::ap {

void clear_column(Cam& cam, int col) { cam.pass({}, {{col, false}}); }

void add_bit(Cam& cam, int a, int b, int c) {
  cam.pass({{a, true}, {b, true}, {c, false}}, {{b, false}, {c, true}});
  cam.pass({{a, true}, {b, false}, {c, false}}, {{b, true}});
  cam.pass({{a, false}, {b, false}, {c, true}}, {{b, true}, {c, false}});
  cam.pass({{a, false}, {b, true}, {c, true}}, {{b, false}});
}

void add_bit_zero(Cam& cam, int b, int c) {
  cam.pass({{b, false}, {c, true}}, {{b, true}, {c, false}});
  cam.pass({{b, true}, {c, true}}, {{b, false}});
}

void sub_bit(Cam& cam, int a, int b, int c) {
  cam.pass({{a, true}, {b, false}, {c, false}}, {{b, true}, {c, true}});
  cam.pass({{a, true}, {b, true}, {c, false}}, {{b, false}});
  cam.pass({{a, false}, {b, true}, {c, true}}, {{b, false}, {c, false}});
  cam.pass({{a, false}, {b, false}, {c, true}}, {{b, true}});
}

void sub_bit_zero(Cam& cam, int b, int c) {
  cam.pass({{b, true}, {c, true}}, {{b, false}, {c, false}});
  cam.pass({{b, false}, {c, true}}, {{b, true}});
}

namespace {
void addsub(Cam& cam, Field a, Field b, int c, Extend ext, bool subtract) {
  if (a.width <= 0 || b.width <= 0) throw std::invalid_argument("ap::add/sub: empty field");
  clear_column(cam, c);
  for (int j = 0; j < b.width; ++j) {
    int acol = j < a.width ? a.col(j) : (ext == Extend::Sign ? a.col(a.width - 1) : -1);
    if (acol >= 0)
      subtract ? sub_bit(cam, acol, b.col(j), c) : add_bit(cam, acol, b.col(j), c);
    else
      subtract ? sub_bit_zero(cam, b.col(j), c) : add_bit_zero(cam, b.col(j), c);
  }
}
}  // namespace

void add(Cam& cam, Field a, Field b, int carry, Extend ext) { addsub(cam, a, b, carry, ext, false); }
void sub(Cam& cam, Field a, Field b, int borrow, Extend ext) { addsub(cam, a, b, borrow, ext, true); }

int64_t addsub_passes(int a_width, int b_width, Extend ext) {
  int direct = std::min(a_width, b_width);
  int extended = b_width - direct;
  return 1 + 4 * int64_t(direct) + (ext == Extend::Sign ? 4 : 2) * int64_t(extended);
}

}  // namespace tessera::ap

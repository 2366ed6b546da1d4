#include "arch/ap/ap_params.hpp"

namespace tessera::ap {

ApParams ApParams::read(const io::Section& s) {
  ApParams p;
  // No published figure in our sources for these: the defaults are stated
  // assumptions (1 GHz compare/write logic, energy not modelled) that a
  // configuration overrides; configs/ap/ap_rtm.toml says so next to the keys.
  p.rows = int(s.integer("rows", "CAM rows (output positions processed in parallel)", 1024, 1, 1 << 24));
  p.compare_ns = s.number("compare_ns", "latency of one compare cycle", 1.0, 0, 1e6);
  p.write_ns = s.number("write_ns", "latency of one write cycle", 1.0, 0, 1e6);
  p.compare_pj = s.number("compare_pj", "energy of one compare over all rows (0: not modelled)", 0.0, 0, 1e9);
  p.write_pj = s.number("write_pj", "energy of one write over all rows (0: not modelled)", 0.0, 0, 1e9);
  s.finish();
  return p;
}

ApParams ApParams::defaults() { return read(io::Document::from_string("", "<ap defaults>").root()); }

}  // namespace tessera::ap

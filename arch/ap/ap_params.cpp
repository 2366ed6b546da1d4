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
  p.compare_pinned = s.has("compare_pj");
  p.write_pinned = s.has("write_pj");
  p.compare_pj = s.number("compare_pj", "energy of one compare over all rows (pJ); absent: a NOR CAM at the chip's node (docs/cost-model.md)", 0.0, 0, 1e9);
  p.write_pj = s.number("write_pj", "energy of one write over all rows (pJ); absent: the written bit lines at the chip's node", 0.0, 0, 1e9);
  p.key_bits = s.number("key_bits", "bits compared per pass, for pricing the compare (an add pass compares A, B and the carry)", p.key_bits, 1, 64);
  p.write_bits = s.number("write_bits", "bits written per pass, for pricing the write (B always, the carry every other pass)", p.write_bits, 0, 64);
  p.cam_cell_f2 = s.number("cam_cell_f2", "CAM cell area (F^2), for the compare's line lengths and the unit's area", p.cam_cell_f2, 4, 1e5);
  s.finish();
  return p;
}

ApParams ApParams::defaults() { return read(io::Document::from_string("", "<ap defaults>").root()); }

}  // namespace tessera::ap

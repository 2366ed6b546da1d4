#include "arch/components/ap_class.hpp"

#include "workloads/io/toml_reader.hpp"

namespace tessera {

void ApClassParams::load(const io::Section& s) {
  name = s.required_string("name", "AP class name (layers and overrides refer to it)");
  count = int(s.integer("count", "AP units of this class on the chip", count, 1, 1 << 20));
  ap = ap::ApParams::read(s.table("ap", "the CAM: rows and compare/write cycles"));
  rtm = ap::RtmParams::read(s.table("rtm", "racetrack memory holding the CAM's bit columns"));
  compiler = ap::compiler::CompilerParams::read(s.table("compiler", "ternary-layer compiler settings"));
  ternary = quant::TernaryParams::read(s.table("ternary", "ternary weight quantisation (TWN)"));
  buffer.load(s.table("buffer", "input/output staging buffer of one unit"));
  activation.load(s.table("activation", "activation unit (ReLU, residual add, requantisation)"));
  pooling.load(s.table("pooling", "pooling unit"));
  area_pinned = s.has("area_mm2");
  leakage_pinned = s.has("leakage_mw");
  area_mm2 = s.number("area_mm2", "area of one unit's CAM, racetracks and control (mm^2); absent: its parts at the node (docs/cost-model.md)", area_mm2, 0, 1e4);
  domain_f2 = s.number("domain_f2", "racetrack area per stored bit (F^2), for the unit's area", domain_f2, 1, 1e4);
  leakage_mw = s.number("leakage_mw", "static power of one unit (mW); absent: its CAM cells at the node", leakage_mw, 0, 1e6);
  racetrack_kib = int(s.integer("racetrack_kib", "racetrack capacity of one unit (KiB), for reports and the unit's area", racetrack_kib, 0, 1 << 30));
  s.finish();
}

}  // namespace tessera

#include "arch/ap/compiler/execute.hpp"

#include <string>

#include "arch/ap/compiler/reference.hpp"
#include "arch/ap/rtm_ap.hpp"

namespace tessera::ap::compiler {

Execution execute(const Program& p, const Layout& l, const RtmParams& rtm, const Layer& layer,
                  const std::vector<int32_t>& x) {
  if (int64_t(x.size()) != layer.in.size())
    throw InputError(layer.loc, layer.name, "input has " + std::to_string(x.size()) + " codes; the layer takes " +
                                                std::to_string(layer.in.size()));
  const int32_t amax = (int32_t(1) << p.activation_bits) - 1;
  for (size_t i = 0; i < x.size(); ++i)
    if (x[i] < 0 || x[i] > amax)
      throw InputError(layer.loc, layer.name, "activation code " + std::to_string(x[i]) + " at " + std::to_string(i) +
                                                  " outside 0.." + std::to_string(amax));

  std::vector<Operand> ops;
  for (int32_t f = 0; f < int32_t(p.fields.size()); ++f) ops.push_back(l.operand(f));
  auto first = [](const Operand& o, int bits) { return Operand(o.begin(), o.begin() + bits); };

  Execution ex;
  ex.outputs.assign(size_t(layer.out_channels * p.positions), 0);
  RtmAp ap(rtm, p.rows, l.groups());
  for (int64_t t = 0; t < p.tiles(); ++t) {
    const int64_t p0 = t * p.rows;
    for (const Step& s : p.steps) {
      const Operand& d = ops[s.dst];
      switch (s.op) {
        case Op::Load: {
          std::vector<int64_t> v(size_t(p.rows), 0);  // rows past the last position hold 0
          for (int r = 0; r < p.rows && p0 + r < p.positions; ++r) v[r] = gather_input(layer, x, s.src, p0 + r);
          ap.load(d, s.bits, v);
          break;
        }
        case Op::Clear: ap.clear(d, s.bits); break;
        case Op::Copy: ap.copy(ops[s.src], d, s.bits); break;
        case Op::Add:
        case Op::Sub: {
          Source base{s.base < 0 ? Operand() : first(ops[s.base], s.base_bits), s.base_sign ? Extend::Sign : Extend::Zero};
          Source src{first(ops[s.src], s.src_bits), s.src_sign ? Extend::Sign : Extend::Zero};
          s.op == Op::Add ? ap.add(base, src, d, s.bits) : ap.sub(base, src, d, s.bits);
          break;
        }
        case Op::Store: {
          std::vector<int64_t> v = ap.store(d, s.bits, s.base_sign);
          for (int r = 0; r < p.rows && p0 + r < p.positions; ++r)
            ex.outputs[size_t(s.src * p.positions + p0 + r)] = v[r];
          break;
        }
      }
    }
  }
  ex.cam = ap.cam_counts();
  ex.rtm = ap.rtm_counts();
  return ex;
}

}  // namespace tessera::ap::compiler

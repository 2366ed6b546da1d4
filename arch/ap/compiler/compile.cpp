#include "arch/ap/compiler/compile.hpp"

#include <algorithm>

#include "arch/ap/compiler/cse.hpp"
#include "arch/ap/compiler/fold.hpp"

namespace tessera::ap::compiler {

CompilerParams CompilerParams::read(const io::Section& s) {
  CompilerParams p;
  p.accumulator_bits = int(s.integer("accumulator_bits",
                                     "accumulator width in bits (wraps there); 0: least width that cannot overflow",
                                     0, 0, 64));
  // Footprint trade-off, not a published figure: 256 inputs keeps 28 channels
  // of a 3x3 layer resident (CSE takes about 0.05 s for such a chunk of 512
  // outputs; 0 is affordable too: it shares more but keeps every input and
  // temp of a group resident).
  p.chunk_inputs = int(s.integer("chunk_inputs",
                                 "dot-product inputs resident per chunk (whole channels); 0: all", 256, 0,
                                 1 << 30));
  p.cse = s.boolean("cse", "share partial sums across output channels (greedy pair extraction)", true);
  p.cse_min_uses = int(s.integer("cse_min_uses", "outputs that must share a pair to extract it", 2, 2, 1 << 20));
  p.serpentine = s.boolean("serpentine", "alternate the term order of consecutive output channels", true);
  std::string layout = s.string("layout",
                                "racetrack placement: mixed (accumulators in bit planes, the rest packed), "
                                "bit_plane, or field_major (naive)",
                                "mixed", {"mixed", "bit_plane", "field_major"});
  p.layout = layout == "mixed" ? LayoutKind::Mixed : layout == "bit_plane" ? LayoutKind::BitPlane : LayoutKind::FieldMajor;
  s.finish();
  return p;
}

CompilerParams CompilerParams::defaults() {
  return read(io::Document::from_string("", "<compiler defaults>").root());
}

int bits_needed(int64_t lo, int64_t hi) {
  int n = 1;
  if (lo >= 0) {
    while (n < 64 && (hi >> n) != 0) ++n;
    return n;
  }
  while (n < 64 && !(lo >= -(int64_t(1) << (n - 1)) && hi <= (int64_t(1) << (n - 1)) - 1)) ++n;
  return n;
}

namespace {

// A field's value at one program point: the interval of the true (unwrapped)
// integer, and how many low bits of the field hold it.
struct Value {
  int64_t lo = 0, hi = 0;
  int valid = 0;
};

class Emitter {
 public:
  Emitter(Program& p, int acc_bits) : p_(p), W_(acc_bits) {}

  int32_t field(Role role, int32_t slot, int width) {
    auto& ids = ids_[int(role)];
    if (slot >= int32_t(ids.size())) ids.resize(size_t(slot) + 1, -1);
    if (ids[slot] < 0) {
      ids[slot] = int32_t(p_.fields.size());
      p_.fields.push_back({role, slot, int16_t(width)});
    }
    auto& f = p_.fields[ids[slot]];
    f.width = int16_t(std::max<int>(f.width, width));
    return ids[slot];
  }

  void emit(Step s) {
    p_.steps.push_back(s);
    auto& st = p_.stats;
    switch (s.op) {
      case Op::Load: ++st.loads; break;
      case Op::Clear: ++st.clears; break;
      case Op::Copy: ++st.copies; break;
      case Op::Add:
      case Op::Sub: ++st.addsub; break;
      case Op::Store: ++st.stores; break;
    }
  }

  void copy(int32_t dst, Value& vd, int32_t src, const Value& vs) {
    Step s;
    s.op = Op::Copy;
    s.bits = int16_t(vs.valid);
    s.dst = dst, s.src = src;
    emit(s);
    vd = vs;
  }

  void clear(int32_t dst, Value& vd) {
    Step s;
    s.op = Op::Clear;
    s.bits = 1;
    s.dst = dst;
    emit(s);
    vd = {0, 0, 1};
  }

  // dst <- base + sign * src, over the bits the result can need; base -1 is zero.
  void combine(int32_t dst, Value& vd, int32_t base, const Value& vb, int32_t src, const Value& vs, int sign) {
    int64_t lo = sign > 0 ? vb.lo + vs.lo : vb.lo - vs.hi;
    int64_t hi = sign > 0 ? vb.hi + vs.hi : vb.hi - vs.lo;
    int v = std::min(W_, bits_needed(lo, hi));
    Step s;
    s.op = sign > 0 ? Op::Add : Op::Sub;
    s.bits = int16_t(v);
    s.src_bits = int16_t(std::min(vs.valid, v));
    s.src_sign = vs.lo < 0;
    s.base_bits = int16_t(base < 0 ? 0 : std::min(vb.valid, v));
    s.base_sign = vb.lo < 0;
    s.dst = dst, s.src = src, s.base = base;
    emit(s);
    vd = {lo, hi, v};
  }

  void accumulate(int32_t dst, Value& vd, int32_t src, const Value& vs, int sign) {
    Value old = vd;
    combine(dst, vd, dst, old, src, vs, sign);
  }

  // Reads the valid bits out; the reader extends them to the accumulator
  // width. At the full width the register is two's complement whatever the
  // range: [0, 45] in 6 bits reads 45 as -19, the wrap the width implies.
  void store(int32_t dst, const Value& vd, int32_t channel) {
    Step s;
    s.op = Op::Store;
    s.bits = int16_t(vd.valid);
    s.base_sign = vd.lo < 0 || vd.valid >= W_;
    s.dst = dst, s.src = channel;
    emit(s);
  }

 private:
  Program& p_;
  int W_;
  std::vector<int32_t> ids_[3];
};

}  // namespace

Program compile_layer(const Layer& l, const quant::TernaryWeights& w, const CompilerParams& cp,
                      const ApParams& ap, const RtmParams& rtm) {
  FoldedLayer f = fold_weights(l, w);
  const int a = l.activation_bits;
  if (a < 1 || a > 16)
    throw InputError(l.loc, l.name + ".activation_bits", "the AP compiler takes 1..16-bit activations, not " + std::to_string(a));
  const int64_t amax = (int64_t(1) << a) - 1;

  int W = cp.accumulator_bits;
  if (W == 0) {
    W = 1;
    for (int64_t o = 0; o < f.outputs(); ++o)
      W = std::max(W, bits_needed(-amax * int64_t(f.minus[o].size()), amax * int64_t(f.plus[o].size())));
  }
  if (W < a)
    throw InputError(l.loc, l.name + ".accumulator_bits",
                     "accumulator of " + std::to_string(W) + " bits is narrower than the " + std::to_string(a) +
                         "-bit activations");

  Program p;
  p.layer = l.name;
  p.positions = l.positions();
  p.activation_bits = a;
  p.accumulator_bits = W;
  int64_t rows = (p.positions + rtm.tracks - 1) / rtm.tracks * rtm.tracks;  // whole DBCs
  p.rows = int(std::min<int64_t>(ap.rows, rows));
  p.stats.nonzero_weights = f.nonzeros();

  // Chunks of whole channels, balanced: ceil(C / ceil(C / max)) channels each.
  const int64_t channels = f.inputs / f.taps;
  int64_t max_ch = cp.chunk_inputs == 0 ? channels : std::max<int64_t>(1, cp.chunk_inputs / f.taps);
  int64_t nchunks = (channels + max_ch - 1) / max_ch;
  int64_t per_chunk = (channels + nchunks - 1) / nchunks;

  Emitter e(p, W);
  const Value input_value{0, amax, a};
  const Value zero{0, 0, 0};
  std::vector<Value> acc(size_t(f.outputs_per_group));
  for (int64_t g = 0; g < f.groups; ++g) {
    for (int64_t c0 = 0; c0 < channels; c0 += per_chunk) {
      const bool first = c0 == 0;
      const int64_t i0 = c0 * f.taps, i1 = std::min(channels, c0 + per_chunk) * f.taps;
      const int32_t n = int32_t(i1 - i0);
      ++p.stats.chunks;
      for (int32_t s = 0; s < n; ++s) {
        Step ld;
        ld.op = Op::Load;
        ld.bits = int16_t(a);
        ld.dst = e.field(Role::Input, s, a);
        ld.src = int32_t(g * f.inputs + i0 + s);
        e.emit(ld);
      }

      SumOfTerms sum;
      sum.inputs = n;
      sum.outputs.resize(size_t(f.outputs_per_group));
      for (int64_t ol = 0; ol < f.outputs_per_group; ++ol) {
        const int64_t o = g * f.outputs_per_group + ol;
        // The chunk's slices of the ascending plus and minus lists, merged by id.
        auto& terms = sum.outputs[ol];
        auto slice = [&](const std::vector<int32_t>& v) {
          return std::make_pair(std::lower_bound(v.begin(), v.end(), int32_t(i0)),
                                std::lower_bound(v.begin(), v.end(), int32_t(i1)));
        };
        auto [p, pe] = slice(f.plus[o]);
        auto [m, me] = slice(f.minus[o]);
        terms.reserve(size_t((pe - p) + (me - m)));
        while (p != pe || m != me) {
          if (m == me || (p != pe && *p < *m)) terms.push_back({int32_t(*p++ - i0), 1});
          else terms.push_back({int32_t(*m++ - i0), -1});
        }
      }
      if (cp.cse) sum = extract_common_pairs(std::move(sum), cp.cse_min_uses);
      p.stats.mcm_adders += adder_count(sum);
      p.stats.temps += int64_t(sum.temps.size());

      // Temps are computed in creation order (each after the temps it is
      // built from) and take their slots in the order the output channels
      // first read them, so a channel's new temps lie side by side. (Slots in
      // computation order, or computing each temp just before its first read,
      // measured worse on ResNet-18: the temp phase's operand reads jump
      // anyway, and the output phase then jumps more.)
      std::vector<int32_t> temp_slot(sum.temps.size(), -1), order(sum.temps.size());
      int32_t next_slot = 0;
      for (const auto& terms : sum.outputs)
        for (const Term& t : terms)
          if (t.id >= n && temp_slot[t.id - n] < 0) temp_slot[t.id - n] = next_slot++;
      for (auto& s : temp_slot)
        if (s < 0) s = next_slot++;
      for (int32_t t = 0; t < int32_t(order.size()); ++t) order[t] = t;
      auto place = [&](const Term& t) { return t.id < n ? t.id : n + temp_slot[t.id - n]; };

      // Term id -> field and value (inputs, then temps as they are computed).
      std::vector<int32_t> term_field(size_t(n) + sum.temps.size());
      std::vector<Value> term_value(term_field.size());
      for (int32_t s = 0; s < n; ++s) term_field[s] = e.field(Role::Input, s, a), term_value[s] = input_value;
      for (int32_t t : order) {
        const TempDef& d = sum.temps[t];
        const Value &va = term_value[d.a], &vb = term_value[d.b];
        int64_t lo = d.sign_b > 0 ? va.lo + vb.lo : va.lo - vb.hi;
        int64_t hi = d.sign_b > 0 ? va.hi + vb.hi : va.hi - vb.lo;
        const size_t id = size_t(n) + t;
        term_field[id] = e.field(Role::Temp, temp_slot[t], std::min(W, bits_needed(lo, hi)));
        Value v;
        e.combine(term_field[id], v, term_field[d.a], va, term_field[d.b], vb, d.sign_b);
        term_value[id] = v;
      }

      for (int64_t ol = 0; ol < f.outputs_per_group; ++ol) {
        std::vector<Term> terms = sum.outputs[ol];
        std::sort(terms.begin(), terms.end(), [&](const Term& x, const Term& y) { return place(x) < place(y); });
        if (cp.serpentine && (ol & 1)) std::reverse(terms.begin(), terms.end());
        const int32_t af = e.field(Role::Accumulator, int32_t(ol), W);
        Value& va = acc[ol];
        size_t k = 0;
        if (first) {
          // The first positive term is the left operand of the first add (out
          // of place), so no copy; a channel of negative terms starts from zero.
          auto pos = std::find_if(terms.begin(), terms.end(), [](const Term& t) { return t.sign > 0; });
          if (terms.empty()) {
            e.clear(af, va);
          } else if (pos == terms.end()) {
            e.combine(af, va, -1, zero, term_field[terms[0].id], term_value[terms[0].id], -1);
            k = 1;
          } else {
            std::rotate(terms.begin(), pos, pos + 1);  // the positive term first, the rest in order
            if (terms.size() == 1) e.copy(af, va, term_field[terms[0].id], term_value[terms[0].id]);
            else e.combine(af, va, term_field[terms[0].id], term_value[terms[0].id], term_field[terms[1].id],
                           term_value[terms[1].id], terms[1].sign);
            k = std::min<size_t>(2, terms.size());
          }
        }
        for (; k < terms.size(); ++k)
          e.accumulate(af, va, term_field[terms[k].id], term_value[terms[k].id], terms[k].sign);
      }
    }
    for (int64_t ol = 0; ol < f.outputs_per_group; ++ol)
      e.store(e.field(Role::Accumulator, int32_t(ol), W), acc[ol], int32_t(g * f.outputs_per_group + ol));
  }
  for (const Step& s : p.steps) expand(s, [&](const BitOp& b) { p.stats.passes += b.passes; });
  return p;
}

}  // namespace tessera::ap::compiler

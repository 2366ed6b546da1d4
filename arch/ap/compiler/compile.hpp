// The ternary-layer compiler: a conv2d or linear layer with ternary weights
// becomes an AP program (program.hpp).
//
// Loop nest and the choices made on it:
//  - output positions are unrolled across the CAM rows (a tile of `rows`
//    positions at a time, all rows in parallel);
//  - the weight loops (output channel, input channel, tap) are unrolled at
//    compile time and the constant weights folded (fold.hpp): every output
//    channel is a list of inputs to add and a list to subtract;
//  - the input-channel loop is split into chunks of whole channels and
//    interchanged outside the output-channel loop: a chunk's inputs are loaded
//    once and every accumulator of the group takes its share, so temporaries
//    shared across output channels (CSE, cse.hpp) stay resident only for a
//    chunk; chunk_inputs = 0 keeps every input resident (output-outer order);
//  - within a chunk the output channels run in order and, with `serpentine`,
//    odd channels take their terms in descending slot order, so the
//    racetracks sweep back and forth instead of rewinding.
//  - temps are computed before the chunk's output channels, in the order CSE
//    created them, and placed in the order the channels first read them.
// Bit widths follow a range analysis: each field's value interval is known
// at compile time, and an add only loops over the bits its result can need
// (capped at the accumulator width, where the arithmetic wraps); an operand
// narrower than that is extended on the fly (Step's base/src extension), and
// an accumulator is read out in its valid bits and extended by the reader.
// Sums of two terms are computed out of place (temps, and each accumulator's
// first two terms), so no term is copied before it is added to.
#pragma once

#include "arch/ap/ap_params.hpp"
#include "arch/ap/compiler/layout.hpp"
#include "arch/ap/compiler/program.hpp"
#include "arch/ap/rtm_params.hpp"
#include "workloads/ir/network.hpp"
#include "workloads/quant/ternary.hpp"

namespace tessera::ap::compiler {

struct CompilerParams {
  int accumulator_bits = 0;  // 0: the least width that cannot overflow for this layer
  int chunk_inputs = 0;      // dot-product inputs resident per chunk (whole channels); 0: all
  bool cse = false;
  int cse_min_uses = 0;      // extract a pair only when this many outputs share it
  bool serpentine = false;
  LayoutKind layout = LayoutKind::Mixed;

  // Keys: accumulator_bits, chunk_inputs, cse, cse_min_uses, serpentine, layout.
  static CompilerParams read(const io::Section& s);
  static CompilerParams defaults();
};

// Least two's-complement (lo < 0) or unsigned width that holds [lo, hi]; at least 1.
int bits_needed(int64_t lo, int64_t hi);

// Throws InputError for a layer without weights, weights of the wrong shape,
// activation bits outside 1..16 or an accumulator narrower than the activations.
Program compile_layer(const Layer& layer, const quant::TernaryWeights& w, const CompilerParams& cp,
                      const ApParams& ap, const RtmParams& rtm);

}  // namespace tessera::ap::compiler

// One crossbar of one layer replica as the functional mode sees it: the
// weight digits its CrossbarSlot holds (slicing.hpp), those digits programmed
// on the tile class's device and read back, and what its rows and columns
// mean. Rows are the slot's used rows (block-diagonal groups stacked for
// packed depthwise layers); columns its used columns.
//
// In a packed array the cells outside a group's block hold the weight 0:
// 0 under differential encoding, the offset 2^(B-1) under offset encoding, so
// the reference column's sum over all rows is the right correction for every
// column.
#pragma once

#include <cstdint>
#include <vector>

#include "arch/device/device.hpp"
#include "arch/functional/adc.hpp"
#include "arch/functional/quantized_net.hpp"
#include "arch/functional/slicing.hpp"
#include "arch/functional/window.hpp"
#include "arch/mapping/mapping.hpp"

namespace tessera::functional {

struct CrossbarArray {
  int rows = 0, cols = 0;           // used rows and columns
  std::vector<int32_t> digits;      // nominal digits, rows x cols, row-major
  std::vector<float> read;          // read-back conductances in digit units, rows x cols
  Adc adc;                          // the array's worst-case (full-range) ADC of one phase's column sums
  std::vector<Adc> adcs;            // per used column: the ADC as configured (range: adc_range.hpp)
  int phase_rows = 0;               // rows driven at once (crossbar.parallel_rows, at most rows)
  // Per used row: global input channel and kernel offsets of the window.
  std::vector<int64_t> row_channel, row_dy, row_dx;
  // Per logical weight held (in column order): its output channel.
  std::vector<int64_t> weight_channel;
  int ref_col = -1;                 // offset encoding: the reference column
  // Sums of the read digits over all cells: right after programming (a
  // reference read, only when drift compensation asks for it) and at the
  // inference time. Their ratio is the array's drift-compensation gain.
  double reference_sum = 0, read_sum = 0;

  int64_t weights() const { return int64_t(weight_channel.size()); }
  int phases() const { return (rows + phase_rows - 1) / phase_rows; }
};

// The nominal contents of a slot (no device yet: `read` equals the digits).
// The array is read `parallel_rows` rows at a time (0: all), each phase's
// column sums converted on their own (docs/cost-model.md).
CrossbarArray build_array(const QuantLayer& ql, const Window& w, const CrossbarTiling& t, const CrossbarSlot& s,
                          const WeightSlicing& ws, int dac_bits, int adc_bits, int parallel_rows = 0);

// Programs the digits on `dev` (digit d at conductance d / (2^b - 1) * g_max),
// reads them `t_inference` seconds later and stores the read conductances in
// digit units. An ideal device returns the digits exactly. With
// `reference_rng`, the array is also read at t_inference = 0 from that stream
// (global drift compensation's reference; the other reads are unchanged).
void program_array(CrossbarArray& a, const device::Device& dev, int cell_bits, double t_inference, device::Rng& rng,
                   device::Rng* reference_rng = nullptr);

}  // namespace tessera::functional

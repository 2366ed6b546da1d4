// Hardware-aware training and evaluation settings (torch-free): the analog
// matrix-vector multiply of each crossbar array with its periphery, in
// AIHWKit's form (imc-facts section 3):
//   alpha = max|x| over the array's inputs;  x' = clip(Q_dac(x / alpha), +-1)
//   y = (W / max|W|) x'  (+ out_noise N);  y = clip(Q_adc(y), +-out_bound)
//   output = alpha max|W| y, summed digitally over the arrays of a layer.
// A quantiser of `steps` steps over [-b, b] has step 2b / steps; b-bit
// converters have 2^b - 2 steps (AIHWKit: 7-bit DAC = 126, 9-bit ADC = 510).
// Training adds weight noise w + weight_noise max|W| N per mini-batch (the
// gradient updates the clean weights) and passes gradients straight through
// the quantisers.
//
// How a layer is cut into arrays comes either from AIHWKit's tile limit
// (max_rows x max_cols) or from the mapper (arch config + tessera's mapping):
// rows per array, logical weights (output columns) per array after bit slices
// and signed-weight columns, and block-diagonal packing of small groups.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "workloads/ir/network.hpp"

namespace tessera {
struct ArchConfig;
struct Mapping;
namespace io {
class Section;
}
namespace device {
class Device;
}
}  // namespace tessera

namespace tessera::nas {

struct AnalogParams {
  bool enabled = false;     // false: layers compute digitally (exact)
  // AIHWKit's inference defaults (imc-facts section 3).
  int dac_bits = 7;
  int adc_bits = 9;
  double out_bound = 12.0;
  double out_noise = 0.06;
  // Training-time weight noise relative to max|W| (AnalogNAS-Bench: 0.06; AIHWKit's examples: 0.1).
  double weight_noise = 0.06;
  int max_rows = 512, max_cols = 512;  // AIHWKit's largest tile, used without a mapping
  std::string arch;         // arch config whose mapping cuts layers into arrays; empty: max_rows x max_cols
  std::vector<std::string> arch_sets;  // --set overrides applied to `arch` (command line only)
  // true: the full array model above (DAC, output noise, ADC per array).
  // false: weight-noise injection only, the definition of
  // hardware-aware training: during training each weight gets
  // w + weight_noise max|W_array| N (max over the array the mapper puts it
  // in, redrawn per mini-batch) and the layer computes exactly; evaluation is digital.
  bool periphery = true;
  // Weight-noise mode: the max|W| the noise is relative to. "array": over the
  // whole array (the definition); "column": over the weights of one
  // output channel within the array, for chips whose digital periphery scales
  // each output channel (the weight export's per-channel codes put each
  // channel's largest weight at the top code, so device noise scales with it).
  std::string noise_scope = "array";
  // Weight-noise model. "gaussian": weight_noise max|W| N as above.
  // "device": each mini-batch programs the weights into differential pairs
  // of the layer's crossbar device (the arch's device model: PCM's
  // programming-noise polynomial, RRAM/FeFET Gaussian variation, levels,
  // stuck-at faults; max|W| of the scope at g_max) and trains on what the
  // pairs hold: the same device implementation as evaluation and the
  // simulator's functional mode. Needs `arch`; weight_noise is not used.
  std::string noise_model = "gaussian";

  void load(const io::Section& s);
};

// Steps of a b-bit converter's quantiser (2^b - 2; 0 for b = 0: no quantisation).
int converter_steps(int bits);

// How one weight layer is computed in analog arrays.
struct ArrayGeometry {
  bool analog = false;   // false: the layer runs digitally
  int rows = 0;          // matrix rows per array
  int cols = 0;          // logical output columns per array
  int groups_per_array = 1;  // groups packed block-diagonally (depthwise layers)
  int dac_bits = 0, adc_bits = 0;
  std::shared_ptr<const device::Device> device;  // the tile class's crossbar device (mapper geometry only)
  int parallel_rows = 0;  // rows read at once, each phase converted on its own (0: all rows)
};

// One entry per IR layer; only weight layers are analog. Without a mapping:
// AIHWKit's tile limit and the params' converters.
std::vector<ArrayGeometry> array_geometry(const Network& net, const AnalogParams& p);
// From the mapper: each layer's tile class gives array size and ADC bits; the
// input resolution is the layer's activation_bits (DAC bits x input cycles).
std::vector<ArrayGeometry> array_geometry(const Network& net, const Mapping& m, const ArchConfig& arch);
// The array each weight of layer `l` sits in under geometry `g`, in the
// order the analog pass visits arrays (group set, then column block, then row
// block), for the weight tensor in PyTorch order (q[oc * rows + r]). Entries
// of all arrays are numbered 0 .. count - 1; `count` receives the number of arrays.
std::vector<int64_t> array_index_map(const Layer& l, const ArrayGeometry& g, int64_t& count);
// The same, one entry per (array, output channel): the cells of one weight column.
std::vector<int64_t> column_index_map(const Layer& l, const ArrayGeometry& g, int64_t& count);

// The geometry the params ask for: from `p.arch` (loaded and mapped) when set, else the tile limit.
std::vector<ArrayGeometry> array_geometry_for(const Network& net, const AnalogParams& p);

}  // namespace tessera::nas

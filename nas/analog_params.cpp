#include "nas/analog_params.hpp"

#include <algorithm>

#include "arch/config/arch_config.hpp"
#include "arch/mapping/mapping.hpp"
#include "workloads/io/toml_reader.hpp"

namespace tessera::nas {

void AnalogParams::load(const io::Section& s) {
  enabled = s.boolean("enabled", "compute weight layers as analog arrays with DAC/ADC quantisation and noise", enabled);
  dac_bits = int(s.integer("dac_bits", "input DAC resolution, bits (AIHWKit: 7); 0: no input quantisation", dac_bits, 0, 24));
  adc_bits = int(s.integer("adc_bits", "output ADC resolution, bits (AIHWKit: 9); 0: no output quantisation", adc_bits, 0, 24));
  out_bound = s.number("out_bound", "ADC range in units of a full-scale single weight times input (AIHWKit: 12)", out_bound,
                       1e-6, 1e6);
  out_noise = s.number("out_noise", "additive output noise, same units as out_bound (AIHWKit: 0.06)", out_noise, 0, 1e3);
  weight_noise = s.number("weight_noise", "training weight noise relative to max|W| (AnalogNAS-Bench: 0.06)",
                          weight_noise, 0, 10);
  max_rows = int(s.integer("max_rows", "rows of the largest array when no mapping is given (AIHWKit: 512)", max_rows, 1,
                           1 << 20));
  max_cols = int(s.integer("max_cols", "output columns of the largest array when no mapping is given (AIHWKit: 512)",
                           max_cols, 1, 1 << 20));
  arch = s.string("arch", "arch config (configs/arch/*.toml) whose mapping cuts layers into arrays and sets ADC bits; "
                  "empty: max_rows x max_cols arrays with dac_bits/adc_bits", arch);
  periphery = s.boolean("periphery", "true: DAC, output noise and ADC per array; false: training weight noise only "
                        "(relative to each array's max|W|), exact layers otherwise", periphery);
  noise_scope = s.string("noise_scope", "weight-noise mode: max|W| over the array, or over each output channel's column in it",
                         noise_scope, {"array", "column"});
  noise_model = s.string("noise_model", "weight-noise model: gaussian (weight_noise x max|W|) or device (the arch's "
                         "crossbar device programmed per mini-batch; needs arch)", noise_model, {"gaussian", "device"});
  s.check(noise_model != "device" || !arch.empty() || !enabled, "noise_model", "device noise needs an arch config (arch = ...)");
}

int converter_steps(int bits) { return bits <= 0 ? 0 : (1 << bits) - 2; }

std::vector<ArrayGeometry> array_geometry(const Network& net, const AnalogParams& p) {
  std::vector<ArrayGeometry> g(net.layers.size());
  for (size_t i = 0; i < g.size(); ++i) {
    if (!net.layers[i].has_weights()) continue;
    g[i] = {true, p.max_rows, p.max_cols, 1, p.dac_bits, p.adc_bits, nullptr};
  }
  return g;
}

std::vector<ArrayGeometry> array_geometry(const Network& net, const Mapping& m, const ArchConfig& arch) {
  std::vector<ArrayGeometry> g(net.layers.size());
  for (size_t i = 0; i < g.size(); ++i) {
    const LayerMapping& lm = m.layers[i];
    if (!net.layers[i].has_weights() || !lm.on_crossbars()) continue;
    const auto& t = lm.tiling;
    const auto& tc = arch.tile_classes[size_t(lm.tile_class)];
    g[i].analog = true;
    g[i].rows = t.xbar_rows;
    g[i].cols = t.weights_per_xbar;
    g[i].groups_per_array = t.groups_per_xbar;
    g[i].dac_bits = std::min(net.layers[i].activation_bits, tc.dac.bits * t.input_cycles);
    g[i].adc_bits = tc.adc.bits;
    g[i].device = arch.devices.at(tc.crossbar.device);
    g[i].parallel_rows = tc.crossbar.parallel_rows;
  }
  return g;
}

std::vector<int64_t> array_index_map(const Layer& l, const ArrayGeometry& g, int64_t& count) {
  // Mirrors analog_conv2d / analog_matmul: a group set's matrix is the
  // block-diagonal of its groups' (rows x cols) matrices, cut into
  // g.rows x g.cols arrays, column blocks outer, row blocks inner.
  const int64_t rows = l.matrix_rows(), cols = l.matrix_cols();
  const int groups = l.type == LayerType::Conv2d ? l.groups : 1;
  const int per_set = std::max(1, g.groups_per_array);
  const int64_t ar = std::max(1, g.rows), ac = std::max(1, g.cols);
  std::vector<int64_t> map(size_t(l.out_channels * rows));
  count = 0;
  for (int g0 = 0; g0 < groups; g0 += per_set) {
    const int ng = std::min(per_set, groups - g0);
    const int64_t set_rows = ng * rows, set_cols = ng * cols;
    const int64_t row_blocks = (set_rows + ar - 1) / ar, col_blocks = (set_cols + ac - 1) / ac;
    for (int k = 0; k < ng; ++k)
      for (int64_t c = 0; c < cols; ++c) {
        const int64_t oc = (g0 + k) * cols + c;
        const int64_t cb = (k * cols + c) / ac;
        for (int64_t r = 0; r < rows; ++r)
          map[size_t(oc * rows + r)] = count + cb * row_blocks + (k * rows + r) / ar;
      }
    count += row_blocks * col_blocks;
  }
  return map;
}

std::vector<int64_t> column_index_map(const Layer& l, const ArrayGeometry& g, int64_t& count) {
  int64_t arrays = 0;
  std::vector<int64_t> map = array_index_map(l, g, arrays);
  const int64_t rows = l.matrix_rows();
  for (size_t i = 0; i < map.size(); ++i) map[i] = map[i] * l.out_channels + int64_t(i) / rows;
  count = arrays * l.out_channels;
  return map;
}

}  // namespace tessera::nas

namespace tessera::nas {

std::vector<ArrayGeometry> array_geometry_for(const Network& net, const AnalogParams& p) {
  if (p.arch.empty()) return array_geometry(net, p);
  ArchConfig arch = load_arch(p.arch, p.arch_sets);
  return array_geometry(net, map_network(net, arch), arch);
}

}  // namespace tessera::nas

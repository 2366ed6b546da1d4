#include "arch/functional/crossbar_array.hpp"

#include <algorithm>

namespace tessera::functional {

CrossbarArray build_array(const QuantLayer& ql, const Window& w, const CrossbarTiling& t, const CrossbarSlot& s,
                          const WeightSlicing& ws, int dac_bits, int adc_bits, int parallel_rows) {
  CrossbarArray a;
  a.rows = s.used_rows;
  a.cols = s.used_cols;
  a.digits.assign(size_t(a.rows) * size_t(a.cols), 0);
  a.phase_rows = parallel_rows > 0 && parallel_rows < a.rows ? parallel_rows : std::max(1, a.rows);
  a.adc = Adc::for_array(std::min(a.rows, a.phase_rows), dac_bits, ws.cell_bits, adc_bits);
  a.adcs.assign(size_t(a.cols), a.adc);
  const bool packed = t.groups_per_xbar > 1;

  // Rows: a packed array stacks its groups' full matrices; otherwise a block of one group's rows.
  std::vector<int64_t> row_group(size_t(a.rows)), row_matrix(size_t(a.rows));
  for (int lr = 0; lr < a.rows; ++lr) {
    const int64_t g = packed ? s.first_group + lr / t.rows : s.first_group;
    const int64_t r = packed ? lr % t.rows : s.first_row + lr;
    row_group[size_t(lr)] = g;
    row_matrix[size_t(lr)] = r;
    a.row_channel.push_back(g * w.cin_per_group + w.channel(r));
    a.row_dy.push_back(w.dy(r));
    a.row_dx.push_back(w.dx(r));
  }
  // Logical weights in column order: per group held, its output columns.
  std::vector<int64_t> weight_group;
  for (int gi = 0; gi < s.groups; ++gi) {
    const int64_t g = s.first_group + gi;
    for (int64_t j = 0; j < s.weights; ++j) {
      a.weight_channel.push_back(g * t.cols + s.first_weight + j);
      weight_group.push_back(g);
    }
  }
  const bool differential = ws.encoding == SignedEncoding::Differential;
  for (int lr = 0; lr < a.rows; ++lr) {
    int32_t* row = a.digits.data() + size_t(lr) * size_t(a.cols);
    for (int64_t wi = 0; wi < a.weights(); ++wi) {
      const int64_t oc = a.weight_channel[size_t(wi)];
      const bool own = weight_group[size_t(wi)] == row_group[size_t(lr)];
      const int64_t q = own ? ql.q[size_t(oc * t.rows + row_matrix[size_t(lr)])] : 0;
      for (int sl = 0; sl < ws.slices(); ++sl) {
        row[ws.column(wi, sl, false)] = int32_t(ws.digit(ws.stored(q, false), sl));
        if (differential) row[ws.column(wi, sl, true)] = int32_t(ws.digit(ws.stored(q, true), sl));
      }
    }
  }
  if (!differential) {
    a.ref_col = int(a.weights() * ws.cols_per_weight());
    for (int lr = 0; lr < a.rows; ++lr) a.digits[size_t(lr) * size_t(a.cols) + size_t(a.ref_col)] = int32_t(ws.top_digit());
  }
  a.read.assign(a.digits.begin(), a.digits.end());
  return a;
}

void program_array(CrossbarArray& a, const device::Device& dev, int cell_bits, double t_inference, device::Rng& rng,
                   device::Rng* reference_rng) {
  // One digit step in conductance; targets are formed as the device's level
  // quantisation forms its levels (k * step), so an ideal device keeps them bit for bit.
  const double g_unit = dev.g_max() / double((int64_t(1) << cell_bits) - 1);
  std::vector<float> target(a.digits.size());
  for (size_t i = 0; i < target.size(); ++i) target[i] = float(double(a.digits[i]) * g_unit);
  device::ProgrammedCells cells = dev.program(target, a.rows, a.cols, rng);
  std::vector<float> g = dev.read(cells, t_inference, rng);
  // Back to digit units: d * g_read / g_target (g_read / g_unit for an empty
  // cell). The same value as g_read / g_unit, but exactly d when the device
  // reads back its target, so ideal arrays sum to exact integers.
  auto to_digits = [&](size_t i, float gi) {
    const double d = double(a.digits[i]);
    return target[i] > 0 ? float(d * (double(gi) / double(target[i]))) : float(double(gi) / g_unit);
  };
  a.read_sum = 0;
  for (size_t i = 0; i < g.size(); ++i) {
    a.read[i] = to_digits(i, g[i]);
    a.read_sum += double(a.read[i]);
  }
  a.reference_sum = 0;
  if (reference_rng) {
    std::vector<float> g0 = dev.read(cells, 0.0, *reference_rng);
    for (size_t i = 0; i < g0.size(); ++i) a.reference_sum += double(to_digits(i, g0[i]));
  }
}

}  // namespace tessera::functional

#include "nas/analog_mvm.hpp"

#include <limits>

#include "nas/adc_tensor.hpp"

namespace tessera::nas {

namespace F = torch::nn::functional;

namespace {

// Guards divisions by an all-zero input vector or weight block.
constexpr float kTiny = std::numeric_limits<float>::min();

// P x r times r x c as a 1x1 convolution over a batch of P: libtorch's
// convolutions run on oneDNN, while its matmul falls back to the system BLAS
// (Debian's reference BLAS, ten times slower here).
torch::Tensor conv_matmul(const torch::Tensor& x, const torch::Tensor& w) {
  const int64_t p = x.size(0), r = x.size(1), c = w.size(1);
  return F::conv2d(x.reshape({p, r, 1, 1}), w.t().reshape({c, r, 1, 1})).reshape({p, c});
}

// One array: P x r inputs times r x c weights.
torch::Tensor array_mvm(const torch::Tensor& x, const torch::Tensor& w, const ArrayGeometry& g, const AnalogParams& p,
                        bool train, ArrayContext* ctx) {
  // The periphery's scale is fixed by the target weights (weights to conductances: s = g_max / max|W|).
  const torch::Tensor w_max = w.detach().abs().max().clamp_min(kTiny);
  torch::Tensor w_used = w;
  double gain = 1.0;
  if (ctx && ctx->source) w_used = ctx->source->weights(ctx->layer, ctx->next_array++, w.detach(), gain);
  else if (train && p.weight_noise > 0) w_used = w + (p.weight_noise * w_max * torch::randn_like(w)).detach();
  const torch::Tensor exact = conv_matmul(x, w_used);
  torch::Tensor analog;
  {
    torch::NoGradGuard no_grad;
    const torch::Tensor alpha = x.detach().abs().amax(1, /*keepdim=*/true).clamp_min(kTiny);
    const torch::Tensor xq = quantize(x.detach() / alpha, 1.0, converter_steps(g.dac_bits));
    // The rows are read parallel_rows at a time; every phase is converted on its own
    // by the ADC (arch/functional/adc.hpp) over AIHWKit's symmetric range; below 2 bits: clipping only.
    const torch::Tensor wn = w_used.detach() / w_max;
    const int64_t r = x.size(1), phase = g.parallel_rows > 0 ? std::min<int64_t>(g.parallel_rows, r) : r;
    torch::Tensor y;
    for (int64_t r0 = 0; r0 < r; r0 += phase) {
      const int64_t nr = std::min(phase, r - r0);
      torch::Tensor yp = conv_matmul(xq.narrow(1, r0, nr), wn.narrow(0, r0, nr));
      if (p.out_noise > 0) yp = yp + p.out_noise * torch::randn_like(yp);
      yp = g.adc_bits >= 2 ? adc_convert(yp, functional::AdcTransfer::symmetric(g.adc_bits, p.out_bound))
                           : yp.clamp(-p.out_bound, p.out_bound);
      y = y.defined() ? y + yp : yp;
    }
    analog = y * alpha * w_max;
    if (gain != 1.0) analog = analog * gain;  // digital, after the ADC
  }
  return exact + (analog - exact).detach();
}

}  // namespace

torch::Tensor quantize(const torch::Tensor& v, double bound, int steps) {
  if (steps <= 0) return v.clamp(-bound, bound);
  const double step = 2.0 * bound / steps;
  return (v / step).round().mul(step).clamp(-bound, bound);
}

torch::Tensor analog_matmul(const torch::Tensor& x, const torch::Tensor& w, const ArrayGeometry& g,
                            const AnalogParams& p, bool train, ArrayContext* ctx) {
  const int64_t R = w.size(0), C = w.size(1);
  std::vector<torch::Tensor> col_parts;
  for (int64_t c0 = 0; c0 < C; c0 += g.cols) {
    const int64_t nc = std::min<int64_t>(g.cols, C - c0);
    torch::Tensor sum;
    for (int64_t r0 = 0; r0 < R; r0 += g.rows) {
      const int64_t nr = std::min<int64_t>(g.rows, R - r0);
      torch::Tensor y = array_mvm(x.narrow(1, r0, nr), w.narrow(0, r0, nr).narrow(1, c0, nc), g, p, train, ctx);
      sum = sum.defined() ? sum + y : y;  // partial sums of row blocks, added digitally
    }
    col_parts.push_back(sum);
  }
  return col_parts.size() == 1 ? col_parts[0] : torch::cat(col_parts, 1);
}

torch::Tensor analog_conv2d(const torch::Tensor& x, const Layer& l, const torch::Tensor& weight,
                            const torch::Tensor& bias, const ArrayGeometry& g, const AnalogParams& p, bool train,
                            ArrayContext* ctx) {
  const int64_t n = x.size(0);
  // im2col: rows ordered channel-major (all kernel positions of channel 0 first), as the mapper orders them.
  torch::Tensor cols = F::unfold(x, F::UnfoldFuncOptions({l.kernel_h, l.kernel_w})
                                        .dilation({l.dilation_h, l.dilation_w})
                                        .padding({l.pad_h, l.pad_w})
                                        .stride({l.stride_h, l.stride_w}));
  const int64_t positions = cols.size(2);
  torch::Tensor X = cols.transpose(1, 2).reshape({n * positions, cols.size(1)});
  const int64_t rows_g = l.matrix_rows(), cols_g = l.matrix_cols();
  torch::Tensor W = weight.reshape({l.out_channels, rows_g});  // out x rows, group-major outputs
  std::vector<torch::Tensor> outs;
  for (int g0 = 0; g0 < l.groups; g0 += g.groups_per_array) {
    const int ng = std::min(g.groups_per_array, l.groups - g0);
    std::vector<torch::Tensor> blocks;
    for (int k = 0; k < ng; ++k) blocks.push_back(W.narrow(0, (g0 + k) * cols_g, cols_g).t());
    torch::Tensor Wset = ng == 1 ? blocks[0] : torch::block_diag(blocks);
    outs.push_back(analog_matmul(X.narrow(1, g0 * rows_g, ng * rows_g), Wset, g, p, train, ctx));
  }
  torch::Tensor Y = outs.size() == 1 ? outs[0] : torch::cat(outs, 1);  // (n * positions) x out
  if (bias.defined()) Y = Y + bias;
  return Y.reshape({n, positions, l.out_channels}).transpose(1, 2).reshape({n, l.out_channels, l.out.h, l.out.w});
}

torch::Tensor analog_linear(const torch::Tensor& x, const Layer& l, const torch::Tensor& weight,
                            const torch::Tensor& bias, const ArrayGeometry& g, const AnalogParams& p, bool train,
                            ArrayContext* ctx) {
  const int64_t n = x.size(0);
  torch::Tensor Y = analog_matmul(x.reshape({n, l.in.size()}), weight.t(), g, p, train, ctx);
  if (bias.defined()) Y = Y + bias;
  return Y.reshape({n, l.out_channels, 1, 1});
}

}  // namespace tessera::nas

#include "nas/weight_export.hpp"

#include <cmath>
#include <filesystem>

#include "arch/functional/codes.hpp"
#include "arch/functional/weight_files.hpp"
#include "workloads/quant/fold.hpp"
#include "nas/model_io.hpp"
#include "workloads/io/npy.hpp"
#include "workloads/quant/ternary.hpp"

namespace tessera::nas {

namespace fs = std::filesystem;

namespace {

std::vector<double> to_doubles(const torch::Tensor& t) {
  torch::Tensor c = t.detach().to(torch::kFloat64).contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

// Readers of every layer's output.
std::vector<std::vector<int>> readers_of(const Network& net) {
  std::vector<std::vector<int>> r(net.layers.size());
  for (size_t i = 0; i < net.layers.size(); ++i)
    for (int p : net.layers[i].inputs) r[size_t(p)].push_back(int(i));
  return r;
}

// The layer whose output feeds `i`, skipping flattens.
int source_through_flatten(const Network& net, int i) {
  int s = net.layers[size_t(i)].inputs[0];
  while (net.layers[size_t(s)].type == LayerType::Flatten) s = net.layers[size_t(s)].inputs[0];
  return s;
}

// Every layer that sees the (normalised) image must be a weight layer, possibly after flattens.
void check_image_readers(const Network& net, const std::vector<std::vector<int>>& readers, int layer,
                         const std::string& where) {
  for (int r : readers[size_t(layer)]) {
    const Layer& l = net.layers[size_t(r)];
    if (l.type == LayerType::Flatten) check_image_readers(net, readers, r, where);
    else if (!l.has_weights())
      throw InputError({where, 0, 0}, "layers." + l.name,
                       std::string("the image's normalisation cannot be folded: layer '") + l.name + "' (" +
                           to_string(l.type) + ") reads the image; only weight layers (and flatten) may");
  }
}

}  // namespace

WeightExport export_weights(const Network& net, const std::string& net_spec, const std::string& dir,
                            const data::ImageSet& calibration, const ExportOptions& opt) {
  check_geometry(net, calibration);
  CheckpointState st = read_state(dir, net);
  IrModel model = load_model(net, dir, st);
  model->eval();
  const auto readers = readers_of(net);
  check_image_readers(net, readers, 0, dir);

  WeightExport e;
  e.network = net_spec;
  std::vector<std::vector<double>> bias(net.layers.size());
  std::vector<bool> ternary(net.layers.size(), false);
  std::vector<std::vector<int8_t>> tcodes(net.layers.size());
  for (int i : net.weight_layers()) {
    const Layer& l = net.layers[size_t(i)];
    LayerExport le;
    le.layer = i;
    const bool conv = l.type == LayerType::Conv2d;
    const torch::Tensor w = conv ? model->conv(i)->weight : model->linear(i)->weight;
    const torch::Tensor b = conv ? model->conv(i)->bias : model->linear(i)->bias;
    std::vector<double> wd = to_doubles(w);
    if (model->ternary(i)) {
      // TWN on the trained weights (workloads/quant/ternary.hpp), as training used them.
      std::vector<float> wf(wd.begin(), wd.end());
      quant::WeightDims dims{l.out_channels, l.matrix_rows(), 1, 1};
      quant::TernaryWeights tw = quant::ternarize(wf, dims, st.ternary);
      const int64_t per = l.matrix_rows();
      for (size_t k = 0; k < wd.size(); ++k) wd[k] = double(tw.values[k]) * double(tw.alpha_of(int64_t(k) / per));
      ternary[size_t(i)] = true;
    }
    if (b.defined()) le.bias = to_doubles(b);
    le.bias.resize(size_t(l.out_channels), 0.0);
    // The image's normalisation.
    if (source_through_flatten(net, i) == 0) {
      if (conv && l.groups > 1 && l.in.c > 1)
        throw InputError({dir, 0, 0}, "layers." + l.name, "a grouped convolution reading the image cannot absorb its normalisation");
      // A linear layer reads the flattened image in C x H x W order: row r belongs to channel r / (H W).
      const int64_t kk = conv ? int64_t(l.kernel_h) * l.kernel_w : int64_t(net.input.h) * net.input.w;
      quant::fold_normalization(wd, le.bias, l.out_channels, st.norm.mean, st.norm.std,
                         [kk](int64_t r) { return r / kk; });
    }
    // A batch norm right after the layer, its only reader.
    const auto& rd = readers[size_t(i)];
    if (rd.size() == 1 && net.layers[size_t(rd[0])].type == LayerType::BatchNorm) {
      const auto& bn = model->batchnorm(rd[0]);
      quant::BatchNormStats s{to_doubles(bn->weight), to_doubles(bn->bias), to_doubles(bn->running_mean),
                       to_doubles(bn->running_var), bn->options.eps()};
      quant::fold_batchnorm(wd, le.bias, l.out_channels, s);
    }
    le.folded = wd;
    // Codes: ternary layers keep {-1, 0, 1} when every channel's nonzero weights share one magnitude.
    bool keep_ternary = ternary[size_t(i)];
    const int64_t per = l.matrix_rows();
    if (keep_ternary) {
      le.codes.resize(wd.size());
      le.scale.assign(size_t(l.out_channels), 1.0);
      for (int64_t oc = 0; oc < l.out_channels && keep_ternary; ++oc) {
        double m = 0;
        for (int64_t r = 0; r < per; ++r) m = std::max(m, std::fabs(wd[size_t(oc * per + r)]));
        if (m > 0) le.scale[size_t(oc)] = m;
        for (int64_t r = 0; r < per; ++r) {
          const double v = wd[size_t(oc * per + r)];
          if (v != 0 && std::fabs(std::fabs(v) - m) > 1e-9 * m) keep_ternary = false;
          le.codes[size_t(oc * per + r)] = v > 0 ? 1 : (v < 0 ? -1 : 0);
        }
      }
      le.kind = keep_ternary && l.weight_bits == 2 ? io::Quantization::Ternary : io::Quantization::Uniform;
    }
    if (!keep_ternary) {
      quant::ChannelQuant cq = quant::quantize_per_channel(wd, l.out_channels, l.weight_bits);
      le.codes = std::move(cq.q);
      le.scale = std::move(cq.scale);
      le.kind = io::Quantization::Uniform;
    }
    e.layers.push_back(std::move(le));
  }

  // Calibration on the folded float network (pixel / 255 in, batch norm as the identity).
  Network folded_net = net;
  for (int i : net.weight_layers()) folded_net.layers[size_t(i)].bias = true;
  IrModel fm(folded_net);
  {
    torch::NoGradGuard no_grad;
    for (const auto& le : e.layers) {
      const Layer& l = net.layers[size_t(le.layer)];
      torch::Tensor w = torch::tensor(le.folded, torch::kFloat64).to(torch::kFloat32);
      torch::Tensor b = torch::tensor(le.bias, torch::kFloat64).to(torch::kFloat32);
      if (l.type == LayerType::Conv2d) {
        fm->conv(le.layer)->weight.copy_(w.reshape(fm->conv(le.layer)->weight.sizes()));
        fm->conv(le.layer)->bias.copy_(b);
      } else {
        fm->linear(le.layer)->weight.copy_(w.reshape(fm->linear(le.layer)->weight.sizes()));
        fm->linear(le.layer)->bias.copy_(b);
      }
    }
    for (size_t i = 0; i < net.layers.size(); ++i) {
      if (net.layers[i].type != LayerType::BatchNorm) continue;
      auto& bn = fm->batchnorm(int(i));
      bn->weight.fill_(1);
      bn->bias.fill_(0);
      bn->running_mean.fill_(0);
      bn->running_var.fill_(1 - bn->options.eps());
    }
  }
  fm->eval();
  const std::vector<bool> sgn = functional::signed_outputs(net, false);
  std::vector<double> max_in(e.layers.size(), 0.0);
  const int64_t n = std::min<int64_t>(opt.calibration_images, calibration.count);
  if (n < 1) throw InputError({calibration.name, 0, 0}, "", "the calibration set has no images");
  TensorSet cal(calibration);
  {
    torch::NoGradGuard no_grad;
    for (int64_t b0 = 0; b0 < n; b0 += 500) {
      const int64_t m = std::min<int64_t>(500, n - b0);
      auto outs = fm->forward_all(cal.images.narrow(0, b0, m).to(torch::kFloat32).div(255.0));
      for (size_t k = 0; k < e.layers.size(); ++k) {
        const Layer& l = net.layers[size_t(e.layers[k].layer)];
        max_in[k] = std::max(max_in[k], outs[size_t(l.inputs[0])].abs().max().item<double>());
      }
    }
  }
  for (size_t k = 0; k < e.layers.size(); ++k) {
    const Layer& l = net.layers[size_t(e.layers[k].layer)];
    functional::ActivationCoding c;
    c.bits = l.activation_bits;
    c.is_signed = sgn[size_t(l.inputs[0])];
    e.layers[k].input_signed = c.is_signed;
    e.layers[k].input_scale = c.calibrated_scale(max_in[k]);
  }
  e.calibration_images = int(n);
  return e;
}

io::WeightsManifest write_export(const WeightExport& e, const Network& net, const std::string& dir) {
  std::vector<io::Quantization> kinds;
  for (const auto& le : e.layers) kinds.push_back(le.kind);
  return functional::write_weight_export(to_quantized(e, net), net, e.network, dir, kinds);
}

functional::QuantizedNet to_quantized(const WeightExport& e, const Network& net) {
  functional::QuantizedNet q;
  q.source = "export of " + e.network;
  q.layers.resize(net.layers.size());
  for (const auto& le : e.layers) {
    const Layer& l = net.layers[size_t(le.layer)];
    functional::QuantLayer& ql = q.at(le.layer);
    ql.layer = le.layer;
    ql.weight_bits = l.weight_bits;
    ql.q = le.codes;
    ql.weight_scale = le.scale;
    ql.bias = le.bias;
    ql.input.bits = l.activation_bits;
    ql.input.scale = le.input_scale;
  }
  functional::set_input_signedness(net, q, false);
  return q;
}

}  // namespace tessera::nas

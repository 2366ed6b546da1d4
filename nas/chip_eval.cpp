#include "nas/chip_eval.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <sstream>

#include "arch/compile/program.hpp"
#include "arch/functional/datapath.hpp"
#include "arch/mapping/mapping.hpp"
#include "nas/adc_tensor.hpp"
#include "nas/ir_model.hpp"
#include "nas/model_io.hpp"

namespace tessera::nas {

namespace F = torch::nn::functional;

namespace {

// P x r times r x c as a 1x1 convolution (oneDNN; the system BLAS is slow here).
torch::Tensor conv_matmul(const torch::Tensor& x, const torch::Tensor& w) {
  const int64_t p = x.size(0), r = x.size(1), c = w.size(1);
  return F::conv2d(x.reshape({p, r, 1, 1}), w.t().reshape({c, r, 1, 1})).reshape({p, c});
}

// One array as tensors.
struct ArrayT {
  torch::Tensor rows;        // int64: index of each used row in the layer's patch columns
  torch::Tensor g;           // float32 rows x cols: read digits
  torch::Tensor weight_oc;   // int64: output channel of each logical weight
  std::vector<torch::Tensor> pos_cols, neg_cols;  // per slice: column of each weight (q+ / offset), q- (differential)
  int ref_col = -1;
  torch::Tensor step;  // float32 1 x cols: each column's ADC step (its range: arch/components/adc_range.hpp)
  double max_code = 0;
  int64_t phase_rows = 1;    // rows read at once; each phase is converted on its own
};

struct HostT {
  int layer = -1;
  functional::QuantLayer q;
  functional::Window w;
  functional::WeightSlicing ws;
  functional::InputSlicing is;
  std::vector<std::vector<ArrayT>> arrays;  // [replica][array]
  torch::Tensor scale, bias, qsum;          // per output channel (double)
  double gain = 1;
};

// Round half away from zero (std::round).
torch::Tensor round_away(const torch::Tensor& v) { return v.sign() * (v.abs() + 0.5).floor(); }

class ChipModel {
 public:
  ChipModel(const Network& net, const functional::Datapath& dp, const Program& prog, bool ideal) : net_(net) {
    host_of_.assign(net.layers.size(), -1);
    for (int h = 0; h < dp.hosts(); ++h) {
      HostT t;
      t.layer = prog.hosts[size_t(h)].layer;
      host_of_[size_t(t.layer)] = int(hosts_.size());
      t.q = dp.quant(h);
      t.w = dp.window(h);
      t.ws = dp.weight_slicing(h);
      t.is = dp.input_slicing(h);
      t.gain = ideal ? 1.0 : dp.gain(h);
      const int64_t oc = net.layers[size_t(t.layer)].out.c;
      std::vector<double> sc(static_cast<size_t>(oc)), qs(static_cast<size_t>(oc)), b(static_cast<size_t>(oc), 0.0);
      for (int64_t c = 0; c < oc; ++c) {
        sc[size_t(c)] = t.q.scale_of(c);
        qs[size_t(c)] = double(dp.weight_code_sum(h, c));
        if (!t.q.bias.empty()) b[size_t(c)] = t.q.bias[size_t(c)];
      }
      t.scale = torch::tensor(sc, torch::kFloat64);
      t.qsum = torch::tensor(qs, torch::kFloat64);
      t.bias = torch::tensor(b, torch::kFloat64);
      const int replicas = dp.replicas(h);
      const int64_t kk = t.w.kh * t.w.kw;
      for (int r = 0; r < replicas; ++r) {
        std::vector<ArrayT> v;
        for (int xi = 0; xi < dp.arrays(h, r); ++xi) {
          const functional::CrossbarArray* a = &dp.array(h, r, xi);
          ArrayT at;
          std::vector<int64_t> rows(size_t(a->rows));
          for (int lr = 0; lr < a->rows; ++lr)
            rows[size_t(lr)] = a->row_channel[size_t(lr)] * kk + (a->row_dy[size_t(lr)] / t.w.dil_h) * t.w.kw +
                               a->row_dx[size_t(lr)] / t.w.dil_w;
          at.rows = torch::tensor(rows, torch::kInt64);
          std::vector<float> g(a->digits.size());
          for (size_t i = 0; i < g.size(); ++i) g[i] = ideal ? float(a->digits[i]) : a->read[i];
          at.g = torch::from_blob(g.data(), {a->rows, a->cols}, torch::kFloat32).clone();
          at.weight_oc = torch::tensor(a->weight_channel, torch::kInt64);
          const bool diff = t.ws.encoding == functional::SignedEncoding::Differential;
          for (int s = 0; s < t.ws.slices(); ++s) {
            std::vector<int64_t> pc, nc;
            for (int64_t wi = 0; wi < a->weights(); ++wi) {
              pc.push_back(t.ws.column(wi, s, false));
              if (diff) nc.push_back(t.ws.column(wi, s, true));
            }
            at.pos_cols.push_back(torch::tensor(pc, torch::kInt64));
            if (diff) at.neg_cols.push_back(torch::tensor(nc, torch::kInt64));
          }
          at.ref_col = a->ref_col;
          std::vector<float> steps;
          for (const functional::Adc& c : a->adcs) steps.push_back(float(c.step()));
          at.step = torch::tensor(steps, torch::kFloat32).view({1, a->cols});
          at.max_code = double(a->adc.max_code());
          at.phase_rows = a->phase_rows;
          v.push_back(std::move(at));
        }
        t.arrays.push_back(std::move(v));
      }
      hosts_.push_back(std::move(t));
    }
  }

  // images: N x C x H x W real values (pixel / 255), double. Returns N x classes logits.
  torch::Tensor forward(const torch::Tensor& image) {
    std::vector<torch::Tensor> out(net_.layers.size());
    out[0] = image;
    for (size_t i = 1; i < net_.layers.size(); ++i) out[i] = layer(int(i), out);
    return out.back().reshape({image.size(0), -1});
  }

 private:
  torch::Tensor weight_layer(const HostT& h, const Layer& l, const torch::Tensor& x) {
    const int64_t n = x.size(0);
    const auto& c = h.q.input;
    const double off = double(c.offset());
    torch::Tensor codes = (round_away(x / c.scale) + off).clamp(0, double(c.max_code()));
    torch::Tensor patches;  // (n * positions) x (C * kh * kw)
    int64_t positions = 1;
    if (l.type == LayerType::Linear) {
      patches = codes.reshape({n, -1});
    } else {
      torch::Tensor padded = F::pad(codes, F::PadFuncOptions({h.w.pad_w, h.w.pad_w, h.w.pad_h, h.w.pad_h}).value(off));
      torch::Tensor cols = F::unfold(padded, F::UnfoldFuncOptions({h.w.kh, h.w.kw})
                                                 .dilation({h.w.dil_h, h.w.dil_w})
                                                 .stride({h.w.stride_h, h.w.stride_w}));
      positions = cols.size(2);
      patches = cols.transpose(1, 2).reshape({n * positions, cols.size(1)});
    }
    patches = patches.to(torch::kFloat32);
    const int64_t P = patches.size(0), oc = l.out.c;
    const int cycles = h.is.cycles();
    const double top_in = double(h.is.top());
    torch::Tensor acc = torch::zeros({P, oc}, torch::kFloat64), ref = torch::zeros({P, oc}, torch::kFloat64);
    const int replicas = int(h.arrays.size());
    for (int r = 0; r < replicas; ++r) {
      torch::Tensor acc_r = replicas == 1 ? acc : torch::zeros({P, oc}, torch::kFloat64);
      torch::Tensor ref_r = replicas == 1 ? ref : torch::zeros({P, oc}, torch::kFloat64);
      for (const ArrayT& a : h.arrays[size_t(r)]) {
        const torch::Tensor xa = patches.index_select(1, a.rows);
        // Every input cycle's DAC digits stacked along the batch: one product per array.
        torch::Tensor xc = xa;
        if (cycles > 1) {
          std::vector<torch::Tensor> parts;
          for (int cy = 0; cy < cycles; ++cy)
            parts.push_back(torch::floor(xa * std::ldexp(1.0, -cy * h.is.dac_bits)).remainder_(top_in + 1));
          xc = torch::cat(parts, 0);
        }
        // Per read phase: analog column sums, (cycles * P) x cols, through the
        // columns' ADCs (exact in float32 below 2^24: power-of-two steps,
        // integer codes); the phases' converted values are added.
        torch::Tensor v;
        const int64_t used = a.g.size(0);
        for (int64_t r0 = 0; r0 < used; r0 += a.phase_rows) {
          const int64_t nr = std::min(a.phase_rows, used - r0);
          torch::Tensor vp = adc_convert(conv_matmul(xc.narrow(1, r0, nr), a.g.narrow(0, r0, nr)), a.step, 0, a.max_code);
          v = v.defined() ? v.add_(vp) : vp;
        }
        torch::Tensor col;  // P x cols: converted values, shifted and summed over cycles
        if (cycles == 1) {
          col = v.to(torch::kFloat64);
        } else {
          std::vector<double> w(static_cast<size_t>(cycles));
          for (int cy = 0; cy < cycles; ++cy) w[size_t(cy)] = std::ldexp(1.0, cy * h.is.dac_bits);
          col = (v.to(torch::kFloat64).view({cycles, P, v.size(1)}) *
                 torch::tensor(w, torch::kFloat64).view({cycles, 1, 1}))
                    .sum(0);
        }
        torch::Tensor val;
        for (int sl = 0; sl < h.ws.slices(); ++sl) {
          torch::Tensor d = col.index_select(1, a.pos_cols[size_t(sl)]);
          if (!a.neg_cols.empty()) d = d - col.index_select(1, a.neg_cols[size_t(sl)]);
          d = d * std::ldexp(1.0, h.ws.shift(sl));
          val = val.defined() ? val + d : d;
        }
        acc_r.index_add_(1, a.weight_oc, val);
        if (a.ref_col >= 0)
          ref_r.index_add_(1, a.weight_oc, col.narrow(1, a.ref_col, 1).expand({P, a.weight_oc.size(0)}));
      }
      if (replicas > 1) {
        // Replica r computes the columns x = r mod replication of every output row.
        torch::Tensor xs = torch::arange(positions, torch::kInt64).remainder(l.out.w).remainder(replicas).eq(r);
        torch::Tensor mask = xs.repeat({n}).to(torch::kFloat64).unsqueeze(1);
        acc = acc + acc_r * mask;
        ref = ref + ref_r * mask;
      }
    }
    torch::Tensor a = acc;
    if (h.ws.encoding == functional::SignedEncoding::Offset)
      a = a - double(h.ws.offset()) * (ref / double(h.ws.top_digit()));
    if (h.gain != 1.0) a = a * h.gain;
    if (off != 0) a = a - off * h.qsum;
    torch::Tensor real = a * h.scale * c.scale + h.bias;  // P x oc
    return real.reshape({n, positions, oc}).transpose(1, 2).reshape({n, oc, l.out.h, l.out.w});
  }

  torch::Tensor layer(int i, const std::vector<torch::Tensor>& out) {
    const Layer& l = net_.layers[size_t(i)];
    const torch::Tensor& x = out[size_t(l.inputs.empty() ? 0 : l.inputs[0])];
    if (l.has_weights()) return weight_layer(hosts_[size_t(host_of_[size_t(i)])], l, x);
    if (l.type == LayerType::BatchNorm) return x;  // folded into the weights: the identity
    return weightless_layer_forward(l, out);      // its switch lists every other type
  }

  const Network& net_;
  std::vector<int> host_of_;
  std::vector<HostT> hosts_;
};

struct Chip {
  Mapping map;
  Program prog;
};

Chip chip_of(const Network& net, const ArchConfig& arch) {
  Chip c{map_network(net, arch), {}};
  c.prog = compile(net, arch, c.map);
  for (const auto& h : c.prog.hosts)
    if (h.on_ap)
      throw InputError({arch.name, 0, 0}, "layers." + net.layers[size_t(h.layer)].name,
                       "the functional model runs crossbar layers only; this layer is mapped to an AP unit");
  return c;
}

torch::Tensor image_batch(const data::ImageSet& s, int64_t first, int64_t count) {
  auto t = torch::from_blob(const_cast<uint8_t*>(s.image(first)), {count, s.channels, s.height, s.width}, torch::kUInt8);
  return t.to(torch::kFloat64) * functional::kPixelScale;
}

std::string functional_time(double t) {
  std::ostringstream os;
  os << t << " s";
  return os.str();
}

// Calibrated ADC ranges when the arch asks for them (the same for every device draw).
void calibrate_adc(functional::Datapath& dp, const Network& net, const ArchConfig& arch, const data::ImageSet& set) {
  if (const int n = functional::Datapath::adc_calibration_images(arch))
    dp.calibrate_adc(functional::first_images(set, n, net.input));
}

double accuracy(ChipModel& m, const data::ImageSet& s, int64_t images, int batch,
                const std::function<void(int64_t)>& done = {}) {
  torch::NoGradGuard no_grad;
  int64_t correct = 0;
  for (int64_t b = 0; b < images; b += batch) {
    const int64_t n = std::min<int64_t>(batch, images - b);
    if (done) done(b);
    torch::Tensor logits = m.forward(image_batch(s, b, n));
    torch::Tensor y = torch::from_blob(const_cast<uint8_t*>(s.labels.data() + b), {n}, torch::kUInt8).to(torch::kInt64);
    correct += logits.argmax(1).eq(y).sum().item<int64_t>();
  }
  return double(correct) / double(images);
}

}  // namespace

std::vector<double> chip_logits(const Network& net, const ArchConfig& arch, const functional::QuantizedNet& q,
                                const data::ImageSet& images, int64_t first, int64_t count, uint64_t seed,
                                double t_inference, bool drift_compensation, bool ideal,
                                const data::ImageSet* calibration_set) {
  check_geometry(net, images);
  Chip c = chip_of(net, arch);
  functional::Datapath dp(net, arch, c.map, c.prog, q, {seed, t_inference, drift_compensation});
  calibrate_adc(dp, net, arch, calibration_set ? *calibration_set : images);
  ChipModel m(net, dp, c.prog, ideal);
  torch::NoGradGuard no_grad;
  torch::Tensor l = m.forward(image_batch(images, first, count)).contiguous();
  return std::vector<double>(l.data_ptr<double>(), l.data_ptr<double>() + l.numel());
}

ChipEvalResult evaluate_on_chip(const Network& net, const ArchConfig& arch, const functional::QuantizedNet& q,
                                const data::ImageSet& test_set, const ChipEvalOptions& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  check_geometry(net, test_set);
  Chip c = chip_of(net, arch);
  ChipEvalResult r;
  r.images = opt.images > 0 ? std::min<int64_t>(opt.images, test_set.count) : test_set.count;
  // Progress: pass p of 1 + runs x times passes over the images.
  const double passes = double(1 + opt.runs * int(opt.times_s.size()));
  auto report = [&](int pass, std::string what) -> std::function<void(int64_t)> {
    if (!opt.progress) return {};
    return [&opt, &r, passes, pass, what](int64_t done) {
      opt.progress((double(pass) + double(done) / double(std::max<int64_t>(r.images, 1))) / passes, what);
    };
  };
  functional::Datapath::AdcSettings adcs;
  {
    functional::Datapath dp(net, arch, c.map, c.prog, q, {opt.seed, 1.0, false});
    calibrate_adc(dp, net, arch, opt.calibration_set ? *opt.calibration_set : test_set);
    adcs = dp.adc_settings();
    ChipModel m(net, dp, c.prog, /*ideal=*/true);
    r.ideal_accuracy = accuracy(m, test_set, r.images, opt.batch_size, report(0, "ideal devices"));
  }
  r.points.resize(opt.times_s.size());
  for (int run = 0; run < opt.runs; ++run)
    for (size_t k = 0; k < opt.times_s.size(); ++k) {
      functional::Datapath dp(net, arch, c.map, c.prog, q,
                              {opt.seed + uint64_t(run), opt.times_s[k], opt.drift_compensation});
      dp.set_adc_settings(adcs);
      ChipModel m(net, dp, c.prog, false);
      r.points[k].t_s = opt.times_s[k];
      r.points[k].accuracy.push_back(accuracy(
          m, test_set, r.images, opt.batch_size,
          report(1 + run * int(opt.times_s.size()) + int(k),
                 "device run " + std::to_string(run + 1) + "/" + std::to_string(opt.runs) + ", t = " +
                     functional_time(opt.times_s[k]))));
    }
  for (auto& p : r.points) {
    double s = 0, sq = 0;
    for (double a : p.accuracy) s += a;
    p.mean = s / double(p.accuracy.size());
    for (double a : p.accuracy) sq += (a - p.mean) * (a - p.mean);
    p.std = p.accuracy.size() > 1 ? std::sqrt(sq / double(p.accuracy.size() - 1)) : 0.0;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (opt.progress) opt.progress(1.0, "done");
  return r;
}

}  // namespace tessera::nas

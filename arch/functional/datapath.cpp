#include "arch/functional/datapath.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "arch/device/device.hpp"
#include "arch/functional/digital.hpp"

namespace tessera::functional {

namespace {

// Device streams: one per (layer, replica, array), so that results do not
// depend on the order arrays are programmed in. Fields: array index in the
// low 20 bits, replica in the next 12, layer above (below the weight and
// image stream ids, which start at 2^48).
constexpr int kXbarFieldBits = 20, kReplicaFieldBits = 12;
uint64_t array_stream(int layer, int replica, int xbar) {
  return (uint64_t(layer) << (kXbarFieldBits + kReplicaFieldBits)) | (uint64_t(replica) << kXbarFieldBits) |
         uint64_t(xbar);
}
// Reference reads for drift compensation: the array's id with this bit set
// (layers stay below 2^15, so it is disjoint from every array id).
constexpr uint64_t kReferenceStreamBit = uint64_t(1) << 47;

// Replica r's array xi of weight layer li, programmed on the tile class's
// device and read at the inference time, from its own device streams.
CrossbarArray programmed_array(const QuantLayer& q, const Window& w, const LayerMapping& lm, size_t xi, int r, int li,
                               const TileClassParams& tc, const WeightSlicing& ws, const device::Device& dev,
                               const DatapathOptions& opt) {
  CrossbarArray a = build_array(q, w, lm.tiling, lm.xbars[xi], ws, tc.dac.bits, tc.adc.bits, tc.crossbar.parallel_rows);
  const uint64_t id = array_stream(li, r, int(xi));
  device::Rng rng = device::Rng::stream(opt.seed, id);
  device::Rng ref_rng = device::Rng::stream(opt.seed, id | kReferenceStreamBit);
  program_array(a, dev, tc.crossbar.bits_per_cell, opt.t_inference, rng, opt.drift_compensation ? &ref_rng : nullptr);
  return a;
}

// Digit units (program_array) to microsiemens: a cell reads g / g_unit.
double digit_unit_us(const device::Device& dev, const WeightSlicing& ws) { return dev.g_max() / double(ws.top_digit()); }

}  // namespace

std::vector<double> programmed_conductances_us(const Network& net, const ArchConfig& arch, const Mapping& map,
                                               const Program& prog, const QuantizedNet& q, const DatapathOptions& opt) {
  const SignedEncoding enc = signed_encoding(arch.mapping.signed_weights);
  std::vector<double> g(prog.hosts.size(), -1.0);
  for (size_t hi = 0; hi < prog.hosts.size(); ++hi) {
    const int li = prog.hosts[hi].layer;
    const Layer& layer = net.layers[size_t(li)];
    const LayerMapping& lm = map.layers[size_t(li)];
    if (lm.xbars.empty()) continue;
    const TileClassParams& tc = arch.tile_classes[size_t(lm.tile_class)];
    const WeightSlicing ws{layer.weight_bits, tc.crossbar.bits_per_cell, enc};
    const device::Device& dev = arch.device_of(lm.tile_class);
    const Window w = window_of(layer);
    double sum = 0, cells = 0;
    for (int r = 0; r < lm.replication; ++r)
      for (size_t xi = 0; xi < lm.xbars.size(); ++xi) {
        const CrossbarArray a = programmed_array(q.at(li), w, lm, xi, r, li, tc, ws, dev, opt);
        sum += a.read_sum;
        cells += double(a.rows) * a.cols;
      }
    if (cells > 0) g[hi] = sum * digit_unit_us(dev, ws) / cells;
  }
  return g;
}

Datapath::Datapath(const Network& net, const ArchConfig& arch, const Mapping& map, const Program& prog,
                   const QuantizedNet& q, const DatapathOptions& opt)
    : net_(net), prog_(prog) {
  if (!q.calibrated(net)) throw std::logic_error("Datapath: every weight layer needs an input scale (calibrate first)");
  out_.resize(net.layers.size());
  rows_done_.assign(net.layers.size(), 0);
  readers_.resize(net.layers.size());
  hosts_.resize(prog.hosts.size());
  const SignedEncoding enc = signed_encoding(arch.mapping.signed_weights);
  for (size_t hi = 0; hi < prog.hosts.size(); ++hi) {
    HostState& h = hosts_[hi];
    const int li = prog.hosts[hi].layer;
    h.layer = &net.layers[size_t(li)];
    h.map = &map.layers[size_t(li)];
    h.prog = &prog.hosts[hi];
    h.q = q.at(li);
    h.window = window_of(*h.layer);
    const TileClassParams& tc = arch.tile_classes[size_t(h.map->tile_class)];
    h.weights = {h.layer->weight_bits, tc.crossbar.bits_per_cell, enc};
    h.inputs = {h.layer->activation_bits, tc.dac.bits};
    h.adc_range = tc.adc.range;
    const device::Device& dev = arch.device_of(h.map->tile_class);
    h.g_unit_us = digit_unit_us(dev, h.weights);
    h.arrays.resize(size_t(h.map->replication));
    double reference = 0, now = 0;
    for (int r = 0; r < h.map->replication; ++r) {
      for (size_t xi = 0; xi < h.map->xbars.size(); ++xi) {
        CrossbarArray a = programmed_array(h.q, h.window, *h.map, xi, r, li, tc, h.weights, dev, opt);
        if (h.adc_range.mode == "clip")
          a.adcs.assign(size_t(a.cols), a.adc.with_range(int64_t(std::ceil(h.adc_range.clip_ratio * double(a.adc.full_scale)))));
        reference += a.reference_sum;
        now += a.read_sum;
        h.arrays[size_t(r)].push_back(std::move(a));
      }
    }
    if (opt.drift_compensation && now > 0 && reference > 0) h.gain = reference / now;
    h.codes.assign(size_t(h.layer->in.size()), 0);
    h.qsum.assign(size_t(h.layer->out.c), 0);
    for (int64_t oc = 0; oc < h.layer->out.c; ++oc)
      for (int64_t r = 0; r < h.window.rows; ++r) h.qsum[size_t(oc)] += h.q.q[size_t(oc * h.window.rows + r)];
    readers_[size_t(h.layer->inputs[0])].push_back(int(hi));
  }
}

std::vector<double> Datapath::read_conductances_us() const {
  std::vector<double> g(hosts_.size(), -1.0);
  for (size_t hi = 0; hi < hosts_.size(); ++hi) {
    double sum = 0, cells = 0;
    for (const auto& replica : hosts_[hi].arrays)
      for (const CrossbarArray& a : replica) {
        sum += a.read_sum;  // digit units: a cell reads g / g_unit (program_array)
        cells += double(a.rows) * a.cols;
      }
    if (cells > 0) g[hi] = sum * hosts_[hi].g_unit_us / cells;
  }
  return g;
}

void Datapath::begin(const InputImage& image) {
  if (image.real.shape != net_.input)
    throw std::logic_error("Datapath: image shape " + image.real.shape.str() + " differs from the network input " +
                           net_.input.str());
  for (size_t i = 0; i < net_.layers.size(); ++i) {
    out_[i] = Tensor(net_.layers[i].out);
    rows_done_[i] = 0;
  }
  for (HostState& h : hosts_) {
    h.acc.assign(size_t(h.layer->out.size()), 0);
    h.ref.assign(size_t(h.layer->out.size()), 0);
  }
  // The image and the layers on the input stream are there from the start.
  out_[0] = image.real;
  publish(0, 0, net_.layers[0].out.h);
  for (int li : prog_.input_hosted) {
    const Layer& l = net_.layers[size_t(li)];
    std::vector<const Tensor*> in;
    for (int p : l.inputs) in.push_back(&out_[size_t(p)]);
    digital_rows(l, in, out_[size_t(li)], 0, l.out.h);
    publish(li, 0, l.out.h);
  }
}

void Datapath::publish(int layer, int64_t y0, int64_t y1) {
  rows_done_[size_t(layer)] = y1;
  for (int hi : readers_[size_t(layer)]) {
    HostState& h = hosts_[size_t(hi)];
    quantize_rows(h.q.input, out_[size_t(layer)], y0, y1, h.codes);
  }
}

void Datapath::mvm(int host, int tile_index, int64_t pos) {
  HostState& h = hosts_[size_t(host)];
  const TileShare& share = h.map->tiles[size_t(tile_index)];
  const int r = share.replica;
  const int64_t cols = h.prog->cols_of_replica(r);
  // Replica r takes the columns x = r + k * replication of every row.
  const int64_t y = pos / cols, x = r + (pos % cols) * h.prog->replication;
  const int64_t p = y * h.layer->out.w + x;
  for (int xi : share.xbars) compute_array(host, r, xi, y, x, p);
}

void Datapath::compute_array(int host, int replica, int xbar, int64_t y, int64_t x, int64_t p) {
  HostState& h = hosts_[size_t(host)];
  const CrossbarArray& a = h.arrays[size_t(replica)][size_t(xbar)];
  const Window& w = h.window;
  const int64_t H = h.layer->in.h, W = h.layer->in.w;
  const int64_t zero = h.q.input.zero_code();
  const int cycles = h.inputs.cycles();
  const size_t nc = size_t(a.cols);
  // The window's input codes on the array's rows (padding applies the code of zero).
  x_.resize(size_t(a.rows));
  for (int lr = 0; lr < a.rows; ++lr) {
    const int64_t iy = y * w.stride_h - w.pad_h + a.row_dy[size_t(lr)];
    const int64_t ix = x * w.stride_w - w.pad_w + a.row_dx[size_t(lr)];
    const bool inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
    x_[size_t(lr)] = inside ? h.codes[size_t((a.row_channel[size_t(lr)] * H + iy) * W + ix)] : zero;
  }
  // Analog column sums per input cycle and read phase: S = sum over the
  // phase's rows of DAC level x read digit.
  const int phases = a.phases();
  sums_.assign(size_t(cycles) * size_t(phases) * nc, 0.0f);
  // Calibration runs on the nominal digits (the weights as programmed, before device effects).
  if (calibrating_ && nominal_.size() != a.digits.size()) nominal_.resize(a.digits.size());
  if (calibrating_) std::copy(a.digits.begin(), a.digits.end(), nominal_.begin());
  const float* cells = calibrating_ ? nominal_.data() : a.read.data();
  for (int lr = 0; lr < a.rows; ++lr) {
    const int64_t code = x_[size_t(lr)];
    if (code == 0) continue;
    const float* g = cells + size_t(lr) * nc;
    const size_t phase = size_t(lr / a.phase_rows);
    for (int c = 0; c < cycles; ++c) {
      const int64_t v = h.inputs.digit(code, c);
      if (v == 0) continue;
      const float fv = float(v);
      float* s = sums_.data() + (size_t(c) * size_t(phases) + phase) * nc;
      for (size_t j = 0; j < nc; ++j) s[j] += fv * g[j];
    }
  }
  // ADC per column, cycle and phase; shift-and-add over input cycles.
  col_.assign(nc, 0);
  for (int c = 0; c < cycles; ++c) {
    const int sh = h.inputs.shift(c);
    for (int ph = 0; ph < phases; ++ph) {
      const float* s = sums_.data() + (size_t(c) * size_t(phases) + size_t(ph)) * nc;
      if (calibrating_) {
        // The range covers the largest sum one conversion (one phase) sees.
        std::vector<double>& peak = peaks_[size_t(host)][size_t(replica)][size_t(xbar)];
        for (size_t j = 0; j < nc; ++j) {
          peak[j] = std::max(peak[j], double(s[j]));
          col_[j] += int64_t(std::llround(s[j])) << sh;  // exact: nominal digits give integer sums
        }
        continue;
      }
      for (size_t j = 0; j < nc; ++j) col_[j] += a.adcs[j].convert(double(s[j])) << sh;
    }
  }
  // Shift-and-add over slices (and the pair subtraction); sum into the layer's accumulators.
  const WeightSlicing& ws = h.weights;
  const bool differential = ws.encoding == SignedEncoding::Differential;
  const int64_t positions = h.layer->out.h * h.layer->out.w;
  for (int64_t wi = 0; wi < a.weights(); ++wi) {
    int64_t v = 0;
    for (int sl = 0; sl < ws.slices(); ++sl) {
      int64_t d = col_[size_t(ws.column(wi, sl, false))];
      if (differential) d -= col_[size_t(ws.column(wi, sl, true))];
      v += d * (int64_t(1) << ws.shift(sl));  // d may be negative (differential): multiply, not shift
    }
    const size_t idx = size_t(a.weight_channel[size_t(wi)] * positions + p);
    h.acc[idx] += v;
    if (a.ref_col >= 0) h.ref[idx] += col_[size_t(a.ref_col)];
  }
}

void Datapath::row_done(int host, int64_t y) {
  HostState& h = hosts_[size_t(host)];
  const Layer& l = *h.layer;
  const int li = h.prog->layer;
  const int64_t positions = l.out.h * l.out.w;
  const double weight_offset = double(h.weights.offset());
  const double top = double(h.weights.top_digit());
  const int64_t input_offset = h.q.input.offset();
  Tensor& out = out_[size_t(li)];
  for (int64_t oc = 0; oc < l.out.c; ++oc) {
    for (int64_t x = 0; x < l.out.w; ++x) {
      const size_t idx = size_t(oc * positions + y * l.out.w + x);
      double a = double(h.acc[idx]);
      // Offset encoding: the reference column read top_digit * sum(x).
      if (h.weights.encoding == SignedEncoding::Offset) a -= weight_offset * (double(h.ref[idx]) / top);
      // Drift compensation scales the analog sums (gain 1: unchanged).
      if (h.gain != 1.0 && !calibrating_) a *= h.gain;  // calibration reads the nominal digits
      // Signed input: every row carried x + 2^(A-1).
      if (input_offset) a -= double(input_offset * h.qsum[size_t(oc)]);
      out.v[idx] = h.q.real(a, oc);
    }
  }
  publish(li, y, y + 1);
  // The hosted digital layers' rows that this row completes.
  for (size_t k = 0; k < h.prog->hosted.size(); ++k) {
    const int d = h.prog->hosted[k];
    const int64_t target = h.prog->hosted_rows[k][size_t(y)];
    const int64_t from = rows_done_[size_t(d)];
    if (target <= from) continue;
    const Layer& dl = net_.layers[size_t(d)];
    std::vector<const Tensor*> in;
    for (int p : dl.inputs) in.push_back(&out_[size_t(p)]);
    digital_rows(dl, in, out_[size_t(d)], from, target);
    publish(d, from, target);
  }
}

bool Datapath::complete() const {
  for (size_t i = 0; i < net_.layers.size(); ++i)
    if (rows_done_[i] < prog_.rows_read[i]) return false;
  return true;
}

std::vector<double> Datapath::run(const InputImage& image) {
  begin(image);
  for (int hi : host_order(net_, prog_)) {
    const HostProgram& hp = prog_.hosts[size_t(hi)];
    for (int64_t y = 0; y < hp.out_rows; ++y) {
      for (size_t ti = 0; ti < hp.tiles.size(); ++ti) {
        const int64_t cols = hp.cols_of_replica(hp.tiles[ti].replica);
        for (int64_t k = 0; k < cols; ++k) mvm(hi, int(ti), y * cols + k);
      }
      row_done(hi, y);
    }
  }
  if (!complete()) throw std::logic_error("Datapath::run: some layers were never computed");
  return logits();
}

int Datapath::adc_calibration_images(const ArchConfig& arch) {
  int n = 0;
  for (const auto& tc : arch.tile_classes)
    if (tc.adc.range.calibrated()) n = std::max(n, tc.adc.range.images);
  return n;
}

void Datapath::calibrate_adc(const std::vector<InputImage>& images) {
  peaks_.assign(hosts_.size(), {});
  for (size_t hi = 0; hi < hosts_.size(); ++hi)
    for (const auto& rep : hosts_[hi].arrays) {
      peaks_[hi].emplace_back();
      for (const CrossbarArray& a : rep) peaks_[hi].back().emplace_back(size_t(a.cols), 0.0);
    }
  calibrating_ = true;
  try {
    for (const InputImage& im : images) run(im);
  } catch (...) {
    calibrating_ = false;
    throw;
  }
  calibrating_ = false;
  for (size_t hi = 0; hi < hosts_.size(); ++hi) {
    HostState& h = hosts_[hi];
    if (!h.adc_range.calibrated()) continue;
    for (size_t r = 0; r < h.arrays.size(); ++r)
      for (size_t xi = 0; xi < h.arrays[r].size(); ++xi) {
        CrossbarArray& a = h.arrays[r][xi];
        const std::vector<double>& peak = peaks_[hi][r][xi];
        const double array_peak = peak.empty() ? 0.0 : *std::max_element(peak.begin(), peak.end());
        for (int c = 0; c < a.cols; ++c) {
          const double p = h.adc_range.scope == "column" ? peak[size_t(c)] : array_peak;
          a.adcs[size_t(c)] = a.adc.with_range(int64_t(std::ceil(p)));
        }
      }
  }
  peaks_.clear();
}

Datapath::AdcSettings Datapath::adc_settings() const {
  AdcSettings s(hosts_.size());
  for (size_t hi = 0; hi < hosts_.size(); ++hi)
    for (const auto& rep : hosts_[hi].arrays) {
      s[hi].emplace_back();
      for (const CrossbarArray& a : rep) s[hi].back().push_back(a.adcs);
    }
  return s;
}

void Datapath::set_adc_settings(const AdcSettings& s) {
  for (size_t hi = 0; hi < hosts_.size(); ++hi)
    for (size_t r = 0; r < hosts_[hi].arrays.size(); ++r)
      for (size_t xi = 0; xi < hosts_[hi].arrays[r].size(); ++xi) hosts_[hi].arrays[r][xi].adcs = s.at(hi).at(r).at(xi);
}

const CrossbarArray& Datapath::array(int host, int replica, int xbar) const {
  return hosts_.at(size_t(host)).arrays.at(size_t(replica)).at(size_t(xbar));
}

int Datapath::adc_step_log2(int host) const {
  int k = 0;
  for (const auto& rep : hosts_.at(size_t(host)).arrays)
    for (const auto& a : rep)
      for (const Adc& c : a.adcs) k = std::max(k, c.step_log2);
  return k;
}

}  // namespace tessera::functional

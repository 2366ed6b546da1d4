// The hardware datapath of the functional mode (docs/functional-model.md),
// following the mapping exactly: every CrossbarSlot of every replica is
// programmed with its block of weight slices on the tile class's device; per
// output position a tile applies the window's input codes through its DACs in
// input cycles, its arrays sum them in the analog domain, the ADCs convert
// every used column, shift-and-add merges slices and input cycles, and the
// layer's accumulators sum the row blocks (local adders and partial sums of
// other tiles). When a row is complete on every home tile, the offset
// corrections, scales and bias give the layer's real values, the hosted
// digital layers compute the rows that became complete (digital.hpp), and the
// consumers' input codes are quantised.
//
// It implements the SystemC engine's hooks, so that the simulation drives it
// in its own order, and also runs standalone, layer by layer, with the same
// code (run()).
#pragma once

#include <cstdint>
#include <vector>

#include "arch/compile/program.hpp"
#include "arch/components/adc_range.hpp"
#include "arch/functional/crossbar_array.hpp"
#include "arch/functional/input_image.hpp"
#include "arch/functional/quantized_net.hpp"
#include "arch/functional/tensor.hpp"
#include "arch/sc/functional_hooks.hpp"

namespace tessera::functional {

struct DatapathOptions {
  uint64_t seed = 1;         // device programming and read streams
  double t_inference = 1.0;  // seconds between programming and reading the arrays
  // Global drift compensation per layer (AIHWKit's idea, applied digitally
  // after the accumulation): every array is also read right after
  // programming (its own stream), and the layer's analog sums are scaled by
  // sum(read digits then) / sum(read digits now) over all its arrays.
  bool drift_compensation = false;
};

// Per host: the mean conductance its cells read at opt.t_inference (uS),
// over every used cell of every array and replica, programmed exactly as a
// Datapath with these weights and options programs them; -1 for a host
// without arrays. Needs no input scales and runs nothing: it prices the cell
// reads of a run that does not compute values (`estimate --weights`).
std::vector<double> programmed_conductances_us(const Network& net, const ArchConfig& arch, const Mapping& map,
                                               const Program& prog, const QuantizedNet& q, const DatapathOptions& opt);

class Datapath : public sc::FunctionalHooks {
 public:
  // Programs every array. `q` must be calibrated (every weight layer has an input scale).
  Datapath(const Network& net, const ArchConfig& arch, const Mapping& map, const Program& prog, const QuantizedNet& q,
           const DatapathOptions& opt);

  // ADC ranges of the tile classes whose range mode is `calibrated`
  // (arch/components/adc_range.hpp): runs the images on the nominal weights
  // with exact conversion and sets each ADC's range to the largest column
  // sum one conversion (one read phase) saw, per array or per column.
  // Deterministic: the same for every device draw and time. Until called,
  // those ADCs cover the full range.
  void calibrate_adc(const std::vector<InputImage>& images);
  // Whether any tile class asks for calibrated ranges, and how many images.
  static int adc_calibration_images(const ArchConfig& arch);
  // Every array's per-column ADCs, to give another datapath of the same
  // network, arch and weights the same calibration without running it again.
  using AdcSettings = std::vector<std::vector<std::vector<std::vector<Adc>>>>;  // [host][replica][array][column]
  AdcSettings adc_settings() const;
  void set_adc_settings(const AdcSettings& s);

  // Starts an inference: clears the accumulators, takes the image and
  // computes the layers on the input stream.
  void begin(const InputImage& image);
  void mvm(int host, int tile_index, int64_t pos) override;
  void row_done(int host, int64_t y) override;
  // Every layer's rows are complete.
  bool complete() const;
  const Tensor& output(int layer) const { return out_.at(size_t(layer)); }
  std::vector<double> logits() const { return out_.back().v; }

  // One inference without SystemC: hosts in dependency order, each row's
  // positions on every tile, then the row's completion. Returns the logits.
  std::vector<double> run(const InputImage& image);

  // Inspection (tests, reports).
  const CrossbarArray& array(int host, int replica, int xbar) const;
  int replicas(int host) const { return int(hosts_.at(size_t(host)).arrays.size()); }
  int arrays(int host, int replica) const { return int(hosts_.at(size_t(host)).arrays.at(size_t(replica)).size()); }
  int adc_step_log2(int host) const;  // largest ADC step exponent k over the host's arrays
  int hosts() const { return int(hosts_.size()); }
  // What the host computes with: the layer's quantised weights and input coding,
  // its weight and input slicing, and its drift-compensation gain (1 without).
  const QuantLayer& quant(int host) const { return hosts_.at(size_t(host)).q; }
  const WeightSlicing& weight_slicing(int host) const { return hosts_.at(size_t(host)).weights; }
  const InputSlicing& input_slicing(int host) const { return hosts_.at(size_t(host)).inputs; }
  const Window& window(int host) const { return hosts_.at(size_t(host)).window; }
  double gain(int host) const { return hosts_.at(size_t(host)).gain; }
  // Per host: the mean conductance its cells read at the inference time (uS),
  // over every used cell of every array and replica; -1 for a host without
  // arrays. What price_programmed_conductance charges for the cell reads.
  std::vector<double> read_conductances_us() const;
  int64_t weight_code_sum(int host, int64_t oc) const { return hosts_.at(size_t(host)).qsum.at(size_t(oc)); }

 private:
  struct HostState {
    const Layer* layer = nullptr;
    const LayerMapping* map = nullptr;
    const HostProgram* prog = nullptr;
    QuantLayer q;
    Window window;
    WeightSlicing weights;
    InputSlicing inputs;
    std::vector<std::vector<CrossbarArray>> arrays;  // [replica][index into LayerMapping::xbars]
    AdcRange adc_range;
    std::vector<int64_t> codes;     // input activation codes, shaped like the input layer's output
    std::vector<int64_t> acc, ref;  // [oc * positions + p]: shift-and-add sums; reference-column sums
    std::vector<int64_t> qsum;      // per output channel: sum of its weight codes (signed-input correction)
    double gain = 1.0;              // drift compensation
    double g_unit_us = 0;           // conductance of one digit step
  };
  void compute_array(int host, int replica, int xbar, int64_t y, int64_t x, int64_t p);
  // Rows [y0, y1) of `layer` are final: quantise them for the weight layers that read them.
  void publish(int layer, int64_t y0, int64_t y1);

  const Network& net_;
  const Program& prog_;
  std::vector<HostState> hosts_;
  std::vector<Tensor> out_;                     // per network layer
  std::vector<int64_t> rows_done_;              // per network layer
  std::vector<std::vector<int>> readers_;       // per network layer: hosts whose weight layer reads it
  // Scratch for one array evaluation.
  std::vector<int64_t> x_;
  std::vector<float> sums_, nominal_;
  std::vector<int64_t> col_;
  // calibrate_adc(): per host, replica, array and column, the largest ideal column sum.
  std::vector<std::vector<std::vector<std::vector<double>>>> peaks_;
  bool calibrating_ = false;
};

}  // namespace tessera::functional

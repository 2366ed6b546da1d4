// From a trained checkpoint to the simulated chip: the weights as the
// functional model reads them (workloads/io/weights_manifest.hpp,
// docs/functional-model.md). Per weight layer:
//   1. the trained weights, TWN-ternarised if the layer was trained ternary;
//   2. the input normalisation folded into layers that read the image (the
//      chip reads pixel / 255), and every batch norm folded into the weight
//      layer before it (workloads/quant/fold.hpp); the simulator treats batch norm as the identity;
//   3. codes: uniform symmetric per output channel at the layer's
//      weight_bits; ternary layers keep their codes {-1, 0, 1} with
//      alpha * fold factor per output channel as the scale ("ternary" when the
//      layer has 2-bit weights, else "uniform" codes);
//   4. input_scale = max |real input| of the layer over the calibration
//      images (the folded float network on pixel / 255) / (2^A - 1), or
//      / (2^(A-1) - 1) for inputs that can be negative (codes.hpp).
// Torch-free interface.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arch/functional/quantized_net.hpp"
#include "workloads/datasets/image_set.hpp"
#include "workloads/io/weights_manifest.hpp"
#include "workloads/ir/network.hpp"

namespace tessera::nas {

struct ExportOptions {
  int calibration_images = 1000;  // the first N images of the calibration set (training images)
};

struct LayerExport {
  int layer = -1;
  io::Quantization kind = io::Quantization::Uniform;
  std::vector<int32_t> codes;   // PyTorch order
  std::vector<double> scale;    // one per output channel
  std::vector<double> bias;     // one per output channel (folded)
  std::vector<double> folded;   // the folded real weights before quantisation
  double input_scale = 0;
  bool input_signed = false;
};

struct WeightExport {
  std::string network;              // the spec the manifest names (zoo spec or network file)
  std::vector<LayerExport> layers;  // one per weight layer, in network order
  int calibration_images = 0;
};

// Throws InputError for a bad checkpoint or a network it cannot fold (a batch
// norm that does not follow a weight layer, a layer reading the normalised
// image through anything but flatten).
WeightExport export_weights(const Network& net, const std::string& net_spec, const std::string& checkpoint_dir,
                            const data::ImageSet& calibration, const ExportOptions& opt = {});

// Writes DIR/manifest.json and DIR/<layer>.weight.npy, DIR/<layer>.bias.npy
// (codes int8 up to 8 bits, else int32; bias float32). Files are written
// under temporary names and renamed when all are written.
io::WeightsManifest write_export(const WeightExport& e, const Network& net, const std::string& dir);

// The export as the functional model's quantised network (input signedness set).
functional::QuantizedNet to_quantized(const WeightExport& e, const Network& net);

}  // namespace tessera::nas

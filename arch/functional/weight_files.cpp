#include "arch/functional/weight_files.hpp"

#include <filesystem>

#include "workloads/io/npy.hpp"

namespace tessera::functional {

namespace fs = std::filesystem;

io::WeightsManifest write_weight_export(const QuantizedNet& q, const Network& net, const std::string& network_spec,
                                        const std::string& dir, const std::vector<io::Quantization>& kinds) {
  io::WeightsManifest m;
  m.dir = dir;
  m.network = network_spec;
  fs::create_directories(dir);
  std::vector<std::string> written;
  const std::vector<int> wl = net.weight_layers();
  for (size_t k = 0; k < wl.size(); ++k) {
    const Layer& l = net.layers[size_t(wl[k])];
    const QuantLayer& ql = q.at(wl[k]);
    io::LayerWeights lw;
    lw.layer = l.name;
    lw.weight_file = l.name + ".weight.npy";
    lw.bias_file = l.name + ".bias.npy";
    lw.shape = io::expected_weight_shape(l);
    lw.weight_bits = l.weight_bits;
    lw.quantization = kinds.empty() ? io::Quantization::Uniform : kinds.at(k);
    lw.scale = ql.weight_scale;
    lw.input_scale = ql.input.scale;
    io::NpyArray codes;
    if (l.weight_bits <= 8) codes = io::NpyArray::of_int8(std::vector<int8_t>(ql.q.begin(), ql.q.end()), lw.shape);
    else codes = io::NpyArray::of_int32(ql.q, lw.shape);
    std::vector<float> bias(size_t(l.out_channels), 0.0f);
    for (size_t c = 0; c < ql.bias.size() && c < bias.size(); ++c) bias[c] = float(ql.bias[c]);
    io::write_npy((fs::path(dir) / (lw.weight_file + ".tmp")).string(), codes);
    io::write_npy((fs::path(dir) / (lw.bias_file + ".tmp")).string(), io::NpyArray::of_floats(bias, {l.out_channels}));
    written.push_back(lw.weight_file);
    written.push_back(lw.bias_file);
    m.layers.push_back(lw);
  }
  io::WeightsManifest tmp = m;
  tmp.dir = (fs::path(dir) / ".manifest.tmp").string();
  io::write_weights_manifest(tmp);  // writes .manifest.tmp/manifest.json
  for (const auto& f : written) fs::rename(fs::path(dir) / (f + ".tmp"), fs::path(dir) / f);
  fs::rename(fs::path(tmp.dir) / "manifest.json", m.manifest_path());
  fs::remove_all(tmp.dir);
  return m;
}

}  // namespace tessera::functional

// Shared pieces of the search tests: spaces from text, an analytic evaluator.
#pragma once

#include <string>

#include "nas/search/objectives.hpp"
#include "nas/search/run.hpp"
#include "nas/search/space.hpp"
#include "workloads/io/toml_reader.hpp"
#include "workloads/zoo/zoo.hpp"

namespace tessera::search::test {

inline std::string arch_path(const std::string& name) {
  return std::string(TESSERA_SOURCE_DIR) + "/configs/arch/" + name + ".toml";
}
inline std::string resolve(const std::string& s) { return s.find('/') == std::string::npos ? arch_path(s) : s; }

// A NAX-like space over the parametric CNN and the hybrid chip: per-layer
// kernel and width, crossbar tiles or AP units per layer, ADC bits.
inline const char* kSpace = R"(
[network]
family = "cnn"
depth = [2, 3]
kernels = [3, 5, 7]
widths = [8, 16]

[hardware]
arch = "hybrid"
set = ["tile_class.isaac.count=64"]

[[hardware.axis]]
key = "tile_class.isaac.adc.bits"
values = ["6", "8"]

[[hardware.axis]]
key = "mapping.layers.{layer}"
values = ["isaac", "ap"]
layer_genes = 3

[[objective]]
metric = "accuracy"
reference = 0.0

[[objective]]
metric = "edap"
reference = 4e6
)";

inline SearchSpace space_from(const std::string& text) {
  io::Document d = io::Document::from_string(text, "space.toml");
  io::Section root = d.root();
  SearchSpace sp = SearchSpace::load(root, resolve);
  Goals::load(root);
  root.finish();
  return sp;
}
inline Goals goals_from(const std::string& text) {
  io::Document d = io::Document::from_string(text, "space.toml");
  io::Section root = d.root();
  root.table("network", "").free_keys();
  root.table("hardware", "").free_keys();
  return Goals::load(root);
}

// Metrics computed from the candidate alone, two conflicting objectives: a
// made-up "accuracy" that grows with the network's MACs and an "edap" that
// is its MACs, cheaper on AP units and with 6-bit ADCs.
class AnalyticEvaluator : public Evaluator {
 public:
  void evaluate(const std::vector<Candidate>& batch,
                const std::function<void(size_t, const Outcome&)>& done) override {
    for (size_t i = 0; i < batch.size(); ++i) {
      ++calls;
      Network n = zoo::build(batch[i].net);
      double cost = double(n.macs());
      for (const auto& s : batch[i].sets) {
        if (s.find("=ap") != std::string::npos) cost *= 0.8;
        if (s == "tile_class.isaac.adc.bits=6") cost *= 0.7;
      }
      Outcome o;
      o.metrics["parameters"] = double(n.weights());
      o.metrics["accuracy"] = std::log(double(n.macs())) / std::log(4e6);
      o.metrics["edap"] = cost;
      done(i, o);
    }
  }
  int calls = 0;
};

}  // namespace tessera::search::test

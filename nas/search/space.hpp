// A search space: the network axes (a zoo family's parameters) and the
// hardware axes (arch `--set` overrides, optionally one per weight layer),
// read from configs/nas/*.toml. A candidate is a genome, one choice index per
// gene; decoding gives a zoo spec string and the arch overrides, which is
// all `tessera estimate`/`train`/`evaluate` need to run it.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "workloads/io/toml_reader.hpp"

namespace tessera::search {

using Genome = std::vector<int>;
using Rng = std::mt19937_64;

// One searched choice: its name (for reports) and its values as text.
struct Gene {
  std::string name;
  std::vector<std::string> values;
};

// What a genome decodes to.
struct Candidate {
  std::string net;                 // zoo spec, e.g. cnn:kernels=3-5,widths=16-32,input=1x28x28
  std::vector<std::string> sets;   // arch overrides, key=value as --set takes them
  int64_t parameters = 0;          // weights of the network
  // Identity of the design point: two genomes with the same key are the same candidate.
  std::string key() const;
};

// A hardware axis: `key` is an arch config path; with "{layer}" in it the axis
// has one gene per weight layer (the i-th weight layer uses gene i, layers
// beyond the last gene use the last one).
struct HardwareAxis {
  std::string key;
  std::vector<std::string> values;
  int layer_genes = 0;  // 0: one gene for the whole chip
};

struct NetworkSpace {
  std::string family;             // cnn or analognas
  std::string input = "1x28x28";  // CxHxW
  int classes = 10;
  // cnn
  std::vector<int> depth, kernels, widths;
  std::vector<int> layer_widths;  // fixed widths per layer (no width genes), as NAX keeps them
  // analognas (imc-facts section 4)
  std::vector<int> stem, groups, blocks, branches;
  std::vector<double> widen;
};

class SearchSpace {
 public:
  // Reads and checks [network] and [hardware]; also checks that the arch
  // accepts every hardware value (an InputError at the value otherwise).
  // `resolve_arch` turns a preset name or path into a file (the CLI's rule).
  static SearchSpace load(const io::Section& root, const std::function<std::string(const std::string&)>& resolve_arch);

  const std::vector<Gene>& genes() const { return genes_; }
  // Number of choices of each gene.
  std::vector<int> bounds() const;
  Candidate decode(const Genome& g) const;
  Genome random(Rng& rng) const;
  // Changes one gene to another of its values.
  Genome mutate(const Genome& g, Rng& rng) const;
  bool valid(const Genome& g) const;

  std::string arch;                     // arch preset or file (as --arch takes it)
  std::vector<std::string> fixed_sets;  // overrides applied to every candidate
  NetworkSpace network;
  std::vector<HardwareAxis> hardware;

 private:
  std::vector<Gene> genes_;
  size_t network_genes_ = 0;
  std::vector<size_t> kernel_gene_, width_gene_;  // cnn: gene of layer i's kernel and width (width: none if fixed)
  void build_genes();
  std::string network_spec(const Genome& g) const;
};

// Draws an index in [0, n) from the engine's raw output (portable, unlike
// std::uniform_int_distribution whose algorithm differs between libraries).
int draw(Rng& rng, int n);

}  // namespace tessera::search

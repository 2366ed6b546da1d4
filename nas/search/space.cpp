#include "nas/search/space.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "arch/config/arch_config.hpp"
#include "workloads/ir/network.hpp"
#include "workloads/zoo/zoo.hpp"

namespace tessera::search {

namespace {

constexpr const char* kLayer = "{layer}";

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& e : v) s += (s.empty() ? "" : sep) + e;
  return s;
}

template <class T>
std::vector<std::string> texts(const std::vector<T>& v) {
  std::vector<std::string> out;
  for (const T& x : v) out.push_back(fmt::format("{}", x));
  return out;
}

// A list of choices: present, non-empty, without repeats.
std::vector<int64_t> choices(const io::Section& s, const char* key, const char* desc, std::vector<int64_t> def,
                             int64_t min, int64_t max) {
  auto v = s.integer_list(key, desc, def, min, max);
  s.check(!v.empty(), key, "give at least one value");
  auto sorted = v;
  std::sort(sorted.begin(), sorted.end());
  s.check(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end(), key, "a value is listed twice");
  return v;
}

std::vector<int> ints(const std::vector<int64_t>& v) { return {v.begin(), v.end()}; }

}  // namespace

int draw(Rng& rng, int n) { return int(rng() % uint64_t(n)); }

std::string Candidate::key() const { return net + (sets.empty() ? "" : " --set " + join(sets, " --set ")); }

SearchSpace SearchSpace::load(const io::Section& root,
                              const std::function<std::string(const std::string&)>& resolve_arch) {
  SearchSpace sp;
  io::Section net = root.table("network", "network axes", true);
  NetworkSpace& n = sp.network;
  n.family = net.required_string("family", "zoo family the networks come from", {"cnn", "analognas"});
  n.input = net.string("input", "input shape CxHxW", n.input);
  n.classes = int(net.integer("classes", "classifier outputs", n.classes, 1, 100000));
  if (n.family == "cnn" || net.describing()) {
    n.depth = ints(choices(net, "depth", "cnn: convolution layers (choices)", {3}, 1, 32));
    n.kernels = ints(choices(net, "kernels", "cnn: kernel size of each layer (choices, odd)", {3}, 1, 15));
    for (int k : n.kernels) net.check(k % 2 == 1, "kernels", fmt::format("{} is even; same padding needs an odd kernel", k));
    n.widths = ints(choices(net, "widths", "cnn: output channels of each layer (choices)", {16, 32, 64}, 1, 4096));
    n.layer_widths = ints(net.integer_list("layer_widths", "cnn: fixed output channels of layer 1, 2, ... instead of width genes (NAX's search keeps the widths)", {}, 1, 4096));
    net.check(n.layer_widths.empty() || !net.has("widths"), "layer_widths", "give widths (searched) or layer_widths (fixed), not both");
    net.check(n.layer_widths.empty() || n.layer_widths.size() >= size_t(*std::max_element(n.depth.begin(), n.depth.end())),
              "layer_widths", "give one width per layer of the deepest network");
  }
  if (n.family == "analognas" || net.describing()) {
    n.stem = ints(choices(net, "stem", "analognas: stem width (choices)", {8, 12, 16, 32, 48, 64}, 1, 4096));
    n.groups = ints(choices(net, "groups", "analognas: groups (choices)", {1, 2, 3, 4}, 1, 4));
    n.blocks = ints(choices(net, "blocks", "analognas: blocks per group (choices)", {1, 2, 3}, 1, 15));
    n.branches = ints(choices(net, "branches", "analognas: parallel branches per block (choices)", {1, 2}, 1, 4));
    n.widen = net.number_list("widen", "analognas: widening factor per group (choices)", {0.5, 0.6, 0.7, 0.8}, 0.5, 0.8);
    net.check(!n.widen.empty(), "widen", "give at least one value");
  }
  net.finish();
  // The family must build with the input shape (checked once here, not per candidate).
  try {
    zoo::build(fmt::format("cnn:kernels=3,input={}", n.input));
  } catch (const InputError&) {
    net.fail("input", "'" + n.input + "' is not a shape; allowed: CxHxW, e.g. 1x28x28");
  }

  io::Section hw = root.table("hardware", "hardware axes", true);
  sp.arch = hw.required_string("arch", "arch preset or file every candidate starts from");
  sp.fixed_sets = hw.string_list("set", "overrides applied to every candidate (key=value, as --set)", {});
  const std::string arch_file = resolve_arch(sp.arch);
  auto try_arch = [&](const io::Section& s, const char* key, const std::vector<std::string>& sets) {
    if (s.describing()) return;
    try {
      load_arch(arch_file, sets);
    } catch (const InputError& e) {
      s.fail(key, std::string("the arch does not accept it: ") + e.what());
    }
  };
  try_arch(hw, "set", sp.fixed_sets);
  for (const auto& ax : hw.table_array("axis", "one searched arch parameter")) {
    HardwareAxis a;
    a.key = ax.required_string("key", "arch config path; {layer} in it makes one gene per weight layer");
    a.values = ax.string_list("values", "choices, each as --set takes it (\"6\", \"xb64\")", {});
    ax.check(!a.values.empty(), "values", "give at least one value");
    const bool per_layer = a.key.find(kLayer) != std::string::npos;
    a.layer_genes = int(ax.integer("layer_genes", "with {layer}: genes (weight layers searched one by one; later layers use the last)",
                                   per_layer ? 8 : 0, 0, 64));
    ax.check(per_layer == (a.layer_genes > 0), "layer_genes", "applies only to a key with {layer}, and must then be at least 1");
    // Every value must be accepted; a per-layer key is tried on a layer of the default network.
    for (const auto& v : a.values) {
      std::string key = a.key;
      if (per_layer) key.replace(key.find(kLayer), std::string(kLayer).size(), n.family == "cnn" ? "conv1" : "stem");
      auto sets = sp.fixed_sets;
      sets.push_back(key + "=" + v);
      try_arch(ax, "values", sets);
    }
    ax.finish();
    sp.hardware.push_back(a);
  }
  hw.finish();
  sp.build_genes();
  return sp;
}

void SearchSpace::build_genes() {
  genes_.clear();
  const NetworkSpace& n = network;
  if (n.family == "cnn") {
    genes_.push_back({"depth", texts(n.depth)});
    const int max_depth = *std::max_element(n.depth.begin(), n.depth.end());
    kernel_gene_.clear();
    width_gene_.clear();
    for (int i = 0; i < max_depth; ++i) {
      kernel_gene_.push_back(genes_.size());
      genes_.push_back({fmt::format("kernel{}", i + 1), texts(n.kernels)});
      if (!n.layer_widths.empty()) continue;
      width_gene_.push_back(genes_.size());
      genes_.push_back({fmt::format("width{}", i + 1), texts(n.widths)});
    }
  } else {
    genes_.push_back({"stem", texts(n.stem)});
    genes_.push_back({"groups", texts(n.groups)});
    const int max_groups = *std::max_element(n.groups.begin(), n.groups.end());
    for (int g = 0; g < max_groups; ++g) {
      genes_.push_back({fmt::format("blocks{}", g + 1), texts(n.blocks)});
      genes_.push_back({fmt::format("branches{}", g + 1), texts(n.branches)});
      genes_.push_back({fmt::format("widen{}", g + 1), texts(n.widen)});
    }
  }
  network_genes_ = genes_.size();
  for (const auto& a : hardware) {
    if (a.layer_genes == 0) {
      genes_.push_back({a.key, a.values});
      continue;
    }
    for (int i = 0; i < a.layer_genes; ++i) {
      std::string name = a.key;
      name.replace(name.find(kLayer), std::string(kLayer).size(), fmt::format("#{}", i + 1));
      genes_.push_back({name, a.values});
    }
  }
}

std::vector<int> SearchSpace::bounds() const {
  std::vector<int> b;
  for (const auto& g : genes_) b.push_back(int(g.values.size()));
  return b;
}

bool SearchSpace::valid(const Genome& g) const {
  if (g.size() != genes_.size()) return false;
  for (size_t i = 0; i < g.size(); ++i)
    if (g[i] < 0 || g[i] >= int(genes_[i].values.size())) return false;
  return true;
}

std::string SearchSpace::network_spec(const Genome& g) const {
  auto val = [&](size_t i) { return genes_[i].values[size_t(g[i])]; };
  std::vector<std::string> a, b, c;
  if (network.family == "cnn") {
    const int depth = std::stoi(val(0));
    for (size_t i = 0; i < size_t(depth); ++i) {
      a.push_back(val(kernel_gene_[i]));
      b.push_back(network.layer_widths.empty() ? val(width_gene_[i]) : std::to_string(network.layer_widths[i]));
    }
    return fmt::format("cnn:kernels={},widths={},input={},classes={}", join(a, "-"), join(b, "-"), network.input,
                       network.classes);
  }
  const int groups = std::stoi(val(1));
  for (int i = 0; i < groups; ++i) {
    a.push_back(val(2 + 3 * size_t(i)));
    b.push_back(val(3 + 3 * size_t(i)));
    c.push_back(val(4 + 3 * size_t(i)));
  }
  return fmt::format("analognas:stem={},blocks={},branches={},widen={},input={},classes={}", val(0), join(a, "-"),
                     join(b, "-"), join(c, "-"), network.input, network.classes);
}

Candidate SearchSpace::decode(const Genome& g) const {
  if (!valid(g)) throw std::logic_error("genome does not fit the search space");
  Candidate c;
  c.net = network_spec(g);
  Network net = zoo::build(c.net);
  c.parameters = net.weights();
  std::vector<std::string> layers;
  for (int i : net.weight_layers()) layers.push_back(net.layers[size_t(i)].name);
  c.sets = fixed_sets;
  size_t gi = network_genes_;
  for (const auto& a : hardware) {
    if (a.layer_genes == 0) {
      c.sets.push_back(a.key + "=" + a.values[size_t(g[gi++])]);
      continue;
    }
    for (size_t l = 0; l < layers.size(); ++l) {
      std::string key = a.key;
      key.replace(key.find(kLayer), std::string(kLayer).size(), layers[l]);
      const size_t gene = gi + std::min(l, size_t(a.layer_genes - 1));
      c.sets.push_back(key + "=" + a.values[size_t(g[gene])]);
    }
    gi += size_t(a.layer_genes);
  }
  return c;
}

Genome SearchSpace::random(Rng& rng) const {
  Genome g;
  for (const auto& gene : genes_) g.push_back(draw(rng, int(gene.values.size())));
  return g;
}

Genome SearchSpace::mutate(const Genome& g, Rng& rng) const {
  std::vector<size_t> open;  // genes with more than one value
  for (size_t i = 0; i < genes_.size(); ++i)
    if (genes_[i].values.size() > 1) open.push_back(i);
  Genome m = g;
  if (open.empty()) return m;
  const size_t i = open[size_t(draw(rng, int(open.size())))];
  const int n = int(genes_[i].values.size());
  m[i] = (g[i] + 1 + draw(rng, n - 1)) % n;  // any value but the current one
  return m;
}

}  // namespace tessera::search

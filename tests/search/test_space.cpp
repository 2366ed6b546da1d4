#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "nas/search/pipeline.hpp"
#include "nas/search/strategy.hpp"

#include "search_helpers.hpp"

using namespace tessera;
using namespace tessera::search;
using namespace tessera::search::test;

TEST(SearchSpace, GenesOfTheNaxLikeSpace) {
  SearchSpace sp = space_from(kSpace);
  // depth, 3 x (kernel, width), ADC bits, 3 per-layer unit genes.
  ASSERT_EQ(sp.genes().size(), 1u + 6 + 1 + 3);
  EXPECT_EQ(sp.genes()[0].name, "depth");
  EXPECT_EQ(sp.genes()[1].name, "kernel1");
  EXPECT_EQ(sp.genes()[8].name, "mapping.layers.#1");
  EXPECT_EQ(sp.bounds(), (std::vector<int>{2, 3, 2, 3, 2, 3, 2, 2, 2, 2, 2}));
}

TEST(SearchSpace, DecodesToZooSpecAndOverrides) {
  SearchSpace sp = space_from(kSpace);
  // depth 2; kernels 7, 3; widths 16, 8; third layer genes unused; 8-bit ADC; conv1 on AP, conv2 and fc on crossbars.
  Candidate c = sp.decode({0, 2, 1, 0, 0, 1, 1, 1, 1, 0, 0});
  EXPECT_EQ(c.net, "cnn:kernels=7-3,widths=16-8,input=1x28x28,classes=10");
  EXPECT_EQ(c.sets, (std::vector<std::string>{"tile_class.isaac.count=64", "tile_class.isaac.adc.bits=8",
                                              "mapping.layers.conv1=ap", "mapping.layers.conv2=isaac",
                                              "mapping.layers.fc=isaac"}));
  EXPECT_EQ(c.parameters, 7 * 7 * 16 + 3 * 3 * 16 * 8 + 8 * 7 * 7 * 10);
  // Layers beyond the last per-layer gene use the last gene: depth 3 has 4 weight layers.
  Candidate d = sp.decode({1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  EXPECT_EQ(d.sets.back(), "mapping.layers.fc=ap");
  EXPECT_EQ(d.sets[d.sets.size() - 2], "mapping.layers.conv3=ap");
  // An unused gene does not change the candidate.
  EXPECT_EQ(sp.decode({0, 2, 1, 0, 0, 1, 1, 1, 1, 0, 0}).key(), sp.decode({0, 2, 1, 0, 0, 2, 0, 1, 1, 0, 0}).key());
}

TEST(SearchSpace, RandomAndMutationStayInsideAndAreDeterministic) {
  SearchSpace sp = space_from(kSpace);
  Rng a(7), b(7);
  for (int i = 0; i < 200; ++i) {
    Genome g = sp.random(a);
    EXPECT_EQ(g, sp.random(b));
    ASSERT_TRUE(sp.valid(g));
    Genome m = sp.mutate(g, a);
    sp.mutate(g, b);
    ASSERT_TRUE(sp.valid(m));
    int changed = 0;
    for (size_t k = 0; k < g.size(); ++k) changed += g[k] != m[k];
    EXPECT_EQ(changed, 1);
  }
}

TEST(SearchSpace, AnalogNasFamilyOnFashionMnistShapes) {
  SearchSpace sp = space_from(R"(
[network]
family = "analognas"
input = "1x28x28"
stem = [8, 16]
groups = [1, 2]
blocks = [1, 2]
branches = [1, 2]
widen = [0.5, 0.8]
[hardware]
arch = "pcm-8b"
[[hardware.axis]]
key = "tile_class.pcm.adc.bits"
values = ["4", "8"]
[[objective]]
metric = "drift_accuracy"
reference = 0
)");
  EXPECT_EQ(sp.genes().size(), 2u + 2 * 3 + 1);
  Candidate c = sp.decode({1, 1, 0, 1, 0, 1, 0, 1, 1});
  EXPECT_EQ(c.net, "analognas:stem=16,blocks=1-2,branches=2-1,widen=0.5-0.8,input=1x28x28,classes=10");
  Network n = zoo::build(c.net);
  EXPECT_EQ(n.input, (Shape{1, 28, 28}));
  EXPECT_EQ(c.sets, (std::vector<std::string>{"tile_class.pcm.adc.bits=8"}));
}

namespace {
// The InputError of loading `text` (the test fails if there is none).
InputError error_of(const std::string& text) {
  try {
    space_from(text);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return InputError({}, "", "");
}
std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto p = s.find(from);
  EXPECT_NE(p, std::string::npos) << from;
  return s.replace(p, from.size(), to);
}
}  // namespace

TEST(SearchSpace, MalformedSpacesNameFileLineAndKey) {
  struct Case {
    std::string from, to, key, says;
  };
  const Case cases[] = {
      {"family = \"cnn\"", "family = \"vgg\"", "network.family", "allowed"},
      {"kernels = [3, 5, 7]", "kernels = [3, 4]", "network.kernels", "even"},
      {"kernels = [3, 5, 7]", "kernels = [3, 3]", "network.kernels", "twice"},
      {"widths = [8, 16]", "widths = []", "network.widths", "at least one"},
      {"widths = [8, 16]", "widths = [8, 16]\ncolour = 1", "network.colour", "unknown"},
      {"values = [\"6\", \"8\"]", "values = [\"6\", \"99\"]", "hardware.axis[0].values", "arch does not accept"},
      {"values = [\"isaac\", \"ap\"]", "values = [\"isaac\", \"tpu\"]", "hardware.axis[1].values", "arch does not accept"},
      {"layer_genes = 3", "layer_genes = 0", "hardware.axis[1].layer_genes", "at least 1"},
      {"set = [\"tile_class.isaac.count=64\"]", "set = [\"chip.nonsense=1\"]", "hardware.set", "arch does not accept"},
      {"metric = \"edap\"", "metric = \"beauty\"", "objective[1].metric", "allowed"},
      {"reference = 4e6", "", "objective[1].reference", "required"},
      {"widths = [8, 16]", "widths = [8, 16]\nlayer_widths = [8, 8, 8]", "network.layer_widths", "not both"},
      {"widths = [8, 16]", "layer_widths = [8, 8]", "network.layer_widths", "one width per layer"},
  };
  for (const auto& c : cases) {
    InputError e = error_of(replace(kSpace, c.from, c.to));
    EXPECT_EQ(e.loc().file, "space.toml") << c.to;
    EXPECT_GT(e.loc().line, 0) << c.to;
    EXPECT_EQ(e.key(), c.key) << c.to << ": " << e.what();
    EXPECT_NE(std::string(e.what()).find(c.says), std::string::npos) << e.what();
  }
}

TEST(SearchSpace, FixedLayerWidthsLeaveOnlyKernelGenes) {
  const SearchSpace sp = space_from(replace(kSpace, "widths = [8, 16]", "layer_widths = [16, 32, 64]"));
  std::vector<std::string> names;
  for (const auto& g : sp.genes()) names.push_back(g.name);
  // depth, one kernel per layer of the deepest network, then the hardware genes.
  EXPECT_EQ(names[0], "depth");
  EXPECT_EQ(names[1], "kernel1");
  EXPECT_EQ(names[2], "kernel2");
  EXPECT_EQ(names[3], "kernel3");
  EXPECT_EQ(names[4], "tile_class.isaac.adc.bits");
  Genome g(sp.genes().size(), 0);
  g[0] = 0;  // depth 2
  g[1] = 2;  // kernel 7
  EXPECT_EQ(sp.decode(g).net, "cnn:kernels=7-3,widths=16-32,input=1x28x28,classes=10");
  g[0] = 1;  // depth 3
  EXPECT_EQ(sp.decode(g).net, "cnn:kernels=7-3-3,widths=16-32-64,input=1x28x28,classes=10");
}

TEST(SearchSpace, ConstraintsAreRead) {
  Goals g = goals_from(std::string(kSpace) + R"(
[constraints.area_mm2]
max = 50
[constraints.avm]
min = -0.01
)");
  ASSERT_EQ(g.constraints.size(), 2u);
  EXPECT_EQ(g.violation({{"area_mm2", 40}, {"avm", -0.005}}), 0);
  EXPECT_DOUBLE_EQ(g.violation({{"area_mm2", 60}, {"avm", -0.005}}), 0.2);
  EXPECT_DOUBLE_EQ(g.violation({{"area_mm2", 50}, {"avm", -0.02}}), 1.0);
  EXPECT_DOUBLE_EQ(g.violation({{"avm", 0}}), 1.0);  // area unknown
  InputError e({}, "", "");
  try {
    goals_from(std::string(kSpace) + "[constraints.speed]\nmax = 1\n");
    ADD_FAILURE();
  } catch (const InputError& x) {
    e = x;
  }
  EXPECT_EQ(e.key(), "constraints.speed");
}

TEST(SearchSpace, EveryShippedSearchFileLoads) {
  // configs/nas holds training configs and search files; the search files
  // (those with a [search] table) must load as the command reads them.
  int loaded = 0;
  for (const auto& f : std::filesystem::directory_iterator(std::string(TESSERA_SOURCE_DIR) + "/configs/nas")) {
    io::Document d = io::Document::from_file(f.path().string());
    io::Section root = d.root();
    if (!root.has("search")) continue;
    SCOPED_TRACE(f.path().string());
    EXPECT_NO_THROW({
      SearchSpace::load(root, resolve);
      Goals::load(root);
      EvaluationPlan::load(root.table("evaluation", ""));
      make_strategy(root.table("strategy", ""));
    });
    ++loaded;
  }
  EXPECT_GE(loaded, 8);
}

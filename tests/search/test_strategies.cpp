#include <gtest/gtest.h>

#include <set>

#include "nas/search/ranking.hpp"
#include "nas/search/strategy.hpp"
#include "nas/search/surrogate_model.hpp"
#include "search_helpers.hpp"

using namespace tessera;
using namespace tessera::search;
using namespace tessera::search::test;

namespace {

std::unique_ptr<Strategy> strategy(const std::string& text) {
  io::Document d = io::Document::from_string(text, "strategy.toml");
  return make_strategy(d.root());
}

const char* kStrategies[] = {"impl = \"random\"", "impl = \"evolution\"\npopulation = 8\nsample = 3",
                             "impl = \"nsga2\"\npopulation = 8", "impl = \"surrogate\"\npopulation = 8\nwarmup = 8\npool = 5"};

RunResult search_with(const std::string& strat, uint64_t seed, size_t evaluations = 40) {
  SearchSpace sp = space_from(kSpace);
  Goals g = goals_from(kSpace);
  auto s = strategy(strat);
  AnalyticEvaluator ev;
  MemoryStore store;
  RunOptions opt;
  opt.evaluations = evaluations;
  opt.batch = 4;
  opt.seed = seed;
  return run_search(sp, g, *s, ev, store, opt);
}

std::vector<std::string> keys(const RunResult& r) {
  std::vector<std::string> k;
  for (const auto& e : r.evaluations) k.push_back(e.candidate.key());
  return k;
}

}  // namespace

TEST(Strategies, RegistryNamesAndUnknownImpl) {
  EXPECT_EQ(StrategyRegistry::names(), "evolution, nsga2, random, surrogate");
  try {
    strategy("impl = \"annealing\"");
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_EQ(e.key(), "impl");
    EXPECT_EQ(e.loc().line, 1);
  }
  EXPECT_THROW(strategy("impl = \"evolution\"\npopulation = 4\nsample = 5"), InputError);
  EXPECT_THROW(strategy("impl = \"nsga2\"\ncrossover = 2"), InputError);
}

TEST(Strategies, DeterministicForASeedAndDifferentAcrossSeeds) {
  for (const char* s : kStrategies) {
    const auto a = keys(search_with(s, 5)), b = keys(search_with(s, 5)), c = keys(search_with(s, 6));
    EXPECT_EQ(a.size(), 40u) << s;
    EXPECT_EQ(a, b) << s;
    EXPECT_NE(a, c) << s;
    // No candidate is evaluated twice.
    EXPECT_EQ(std::set<std::string>(a.begin(), a.end()).size(), a.size()) << s;
  }
}

TEST(Strategies, GuidedSearchesBeatRandomOnAnAnalyticLandscape) {
  // Averaged over seeds after 48 evaluations: NSGA-II reaches a larger
  // hypervolume than random search; the scalar searches (evolution and the
  // surrogate, ranking by the first objective) a better best accuracy.
  Goals g = goals_from(kSpace);
  const int seeds = 6;
  auto mean = [&](const char* s, bool hv) {
    double sum = 0;
    for (uint64_t seed = 1; seed <= uint64_t(seeds); ++seed) {
      auto ev = search_with(s, seed, 48).evaluations;
      sum += hv ? hypervolume(ev, g) : ev[scalar_rank(ev, g).front()].outcome.metrics.at("accuracy");
    }
    return sum / seeds;
  };
  EXPECT_GT(mean(kStrategies[2], true), mean(kStrategies[0], true));
  const double random_best = mean(kStrategies[0], false);
  EXPECT_GT(mean(kStrategies[1], false), random_best);
  EXPECT_GT(mean(kStrategies[3], false), random_best);
}

TEST(Strategies, EvolutionKeepsToTheSpaceAndMutatesOneGene) {
  SearchSpace sp = space_from(kSpace);
  Goals g = goals_from(kSpace);
  auto hist = search_with(kStrategies[0], 3, 8).evaluations;
  Rng rng(1);
  SearchContext ctx{sp, g, hist};
  for (const auto& child : AgingEvolution{8, 3}.children(ctx, rng, 20)) {
    ASSERT_TRUE(sp.valid(child));
    // The child is one gene away from some member of the population.
    int nearest = 1 << 20;
    for (const auto& e : hist) {
      int d = 0;
      for (size_t k = 0; k < child.size(); ++k) d += child[k] != e.genome[k];
      nearest = std::min(nearest, d);
    }
    EXPECT_EQ(nearest, 1);
  }
}

TEST(Strategies, GradientBoostedModelLearnsAMonotoneFunction) {
  std::vector<std::vector<float>> rows;
  std::vector<float> y;
  for (int a = 0; a < 6; ++a)
    for (int b = 0; b < 6; ++b) {
      rows.push_back({float(a), float(b)});
      y.push_back(float(3 * a + b));
    }
  GradientBoostedModel m(rows, y, {});
  const auto p = m.predict({{0, 0}, {2, 2}, {5, 5}});
  EXPECT_LT(p[0], p[1]);
  EXPECT_LT(p[1], p[2]);
  EXPECT_NEAR(p[2], 20, 1.0);
  GradientBoostedModel again(rows, y, {});
  EXPECT_EQ(again.predict({{2, 2}}), std::vector<float>{p[1]});
}

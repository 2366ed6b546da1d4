// Search strategies: an interface plus implementations registered by name
// (random, evolution, nsga2, surrogate) and chosen by [strategy] impl.
// A strategy keeps no state between generations: its proposals are a function
// of the space, the goals, the evaluations of earlier generations and the
// generation's random engine. So a resumed search proposes exactly what the
// interrupted one did.
#pragma once

#include <memory>
#include <vector>

#include "nas/search/evaluation.hpp"
#include "workloads/base/registry.hpp"

namespace tessera::search {

struct SearchContext {
  const SearchSpace& space;
  const Goals& goals;
  const std::vector<Evaluation>& history;  // earlier generations, by generation then candidate key
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  // Up to n genomes for the next generation (the run loop drops repeats of
  // earlier candidates and asks again).
  virtual std::vector<Genome> propose(const SearchContext& ctx, Rng& rng, size_t n) = 0;
};

using StrategyRegistry = Registry<Strategy>;

// The strategy named by s.impl (default: evolution) with its parameters.
std::unique_ptr<Strategy> make_strategy(const io::Section& s);

// Regularised (aging) evolution: tournaments of `sample` among the
// `population` most recent evaluations, the winner (best by scalar rank)
// mutated in one gene; random genomes until the population is full.
struct AgingEvolution {
  size_t population = 16, sample = 4;
  // Reads population and sample (shared by the strategies built on it).
  static AgingEvolution load(const io::Section& s);
  std::vector<Genome> children(const SearchContext& ctx, Rng& rng, size_t n) const;
};

}  // namespace tessera::search

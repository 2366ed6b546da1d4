#include "nas/search/strategy.hpp"

#include "nas/search/ranking.hpp"

namespace tessera::search {

std::unique_ptr<Strategy> make_strategy(const io::Section& s) { return StrategyRegistry::create(s, "evolution"); }

AgingEvolution AgingEvolution::load(const io::Section& s) {
  AgingEvolution a;
  a.population = size_t(s.integer("population", "members alive in the evolution (the most recent evaluations)", 16, 2, 100000));
  a.sample = size_t(s.integer("sample", "tournament size", 4, 1, 100000));
  s.check(a.sample <= a.population, "sample", "must not exceed population");
  return a;
}

std::vector<Genome> AgingEvolution::children(const SearchContext& ctx, Rng& rng, size_t n) const {
  const auto& h = ctx.history;
  std::vector<Genome> out;
  if (h.size() < population) {
    for (size_t i = 0; i < n; ++i) out.push_back(ctx.space.random(rng));
    return out;
  }
  // The population: the most recent evaluations (the oldest die first).
  std::vector<Evaluation> pop(h.end() - std::ptrdiff_t(population), h.end());
  std::vector<size_t> position(pop.size());
  const auto order = scalar_rank(pop, ctx.goals);
  for (size_t r = 0; r < order.size(); ++r) position[order[r]] = r;
  for (size_t i = 0; i < n; ++i) {
    size_t best = pop.size();
    for (size_t k = 0; k < sample; ++k) {
      const size_t c = size_t(draw(rng, int(pop.size())));
      if (best == pop.size() || position[c] < position[best]) best = c;
    }
    out.push_back(ctx.space.mutate(pop[best].genome, rng));
  }
  return out;
}

}  // namespace tessera::search

// NSGA-II (Deb et al. 2002) for several objectives, with pagmo's operators:
// the parents are the best `population` of everything evaluated so far
// (pagmo::select_best_N_mo: non-dominated rank, then crowding distance; the
// feasible before the infeasible, which go by constraint violation), chosen by
// binary tournament on pagmo::sort_population_mo's order, recombined by
// pagmo::sbx_crossover and changed by pagmo::polynomial_mutation (both treat
// every gene as an integer, its choice index).
#include <algorithm>
#include <cmath>
#include <pagmo/utils/genetic_operators.hpp>
#include <pagmo/utils/multi_objective.hpp>

#include "nas/search/ranking.hpp"
#include "nas/search/strategy.hpp"

namespace tessera::search {
namespace {

class Nsga2 : public Strategy {
 public:
  explicit Nsga2(const io::Section& s) {
    population_ = size_t(s.integer("population", "nsga2: parents kept (the best of everything evaluated)", 16, 2, 100000));
    crossover_ = s.number("crossover", "nsga2: probability of crossover of a pair of parents", 0.9, 0, 1);
    eta_c_ = s.number("eta_c", "nsga2: distribution index of the crossover", 10, 1, 100);
    mutation_ = s.number("mutation", "nsga2: probability of mutating each gene (0: 1/genes)", 0, 0, 1);
    eta_m_ = s.number("eta_m", "nsga2: distribution index of the mutation", 20, 1, 100);
    s.finish();
  }

  std::vector<Genome> propose(const SearchContext& ctx, Rng& rng, size_t n) override {
    std::vector<Genome> out;
    if (ctx.history.size() < population_) {
      for (size_t i = 0; i < n; ++i) out.push_back(ctx.space.random(rng));
      return out;
    }
    const auto parents = select_parents(ctx);
    // Crowded-comparison order of the parents (pagmo), best first.
    std::vector<pagmo::vector_double> objs;
    for (size_t i : parents) objs.push_back(ctx.goals.minimised(ctx.history[i].outcome.metrics));
    std::vector<size_t> position(parents.size());
    {
      // The feasible parents come first (select_parents); pagmo orders them,
      // the infeasible keep their order by violation.
      size_t nfeas = 0;
      while (nfeas < parents.size() && feasible(ctx.history[parents[nfeas]], ctx.goals)) ++nfeas;
      std::vector<size_t> order;
      if (nfeas >= 2) {
        std::vector<pagmo::vector_double> fobjs(objs.begin(), objs.begin() + std::ptrdiff_t(nfeas));
        for (auto k : pagmo::sort_population_mo(fobjs)) order.push_back(size_t(k));
      } else {
        for (size_t k = 0; k < nfeas; ++k) order.push_back(k);
      }
      for (size_t k = nfeas; k < parents.size(); ++k) order.push_back(k);
      for (size_t r = 0; r < order.size(); ++r) position[order[r]] = r;
    }
    const auto b = ctx.space.bounds();
    std::pair<pagmo::vector_double, pagmo::vector_double> bounds;
    for (int c : b) {
      bounds.first.push_back(0);
      bounds.second.push_back(double(c - 1));
    }
    const size_t dim = b.size();
    pagmo::detail::random_engine_type engine(static_cast<unsigned>(rng() & 0xffffffffu));
    auto tournament = [&]() {
      const size_t x = size_t(draw(rng, int(parents.size()))), y = size_t(draw(rng, int(parents.size())));
      return position[x] <= position[y] ? x : y;
    };
    auto as_vector = [&](size_t k) {
      const Genome& g = ctx.history[parents[k]].genome;
      return pagmo::vector_double(g.begin(), g.end());
    };
    const double pm = mutation_ > 0 ? mutation_ : 1.0 / double(dim);
    while (out.size() < n) {
      auto children = pagmo::sbx_crossover(as_vector(tournament()), as_vector(tournament()), bounds, dim, crossover_,
                                           eta_c_, engine);
      for (auto* c : {&children.first, &children.second}) {
        pagmo::polynomial_mutation(*c, bounds, dim, pm, eta_m_, engine);
        if (out.size() >= n) break;
        Genome g;
        for (size_t k = 0; k < dim; ++k) g.push_back(std::clamp(int(std::lround((*c)[k])), 0, b[k] - 1));
        out.push_back(g);
      }
    }
    return out;
  }

 private:
  // Indices into the history of the best `population_` evaluations.
  std::vector<size_t> select_parents(const SearchContext& ctx) const {
    std::vector<size_t> feas, rest;
    for (size_t i = 0; i < ctx.history.size(); ++i) (feasible(ctx.history[i], ctx.goals) ? feas : rest).push_back(i);
    std::vector<size_t> parents;
    if (feas.size() > population_ && population_ >= 1) {
      std::vector<pagmo::vector_double> objs;
      for (size_t i : feas) objs.push_back(ctx.goals.minimised(ctx.history[i].outcome.metrics));
      for (auto k : pagmo::select_best_N_mo(objs, population_)) parents.push_back(feas[k]);
      std::sort(parents.begin(), parents.end());
      return parents;
    }
    parents = feas;
    // The infeasible by violation (scalar_rank puts feasible first, so skip those).
    for (size_t i : scalar_rank(ctx.history, ctx.goals)) {
      if (parents.size() >= population_) break;
      if (!feasible(ctx.history[i], ctx.goals)) parents.push_back(i);
    }
    return parents;
  }

  size_t population_ = 16;
  double crossover_ = 0.9, eta_c_ = 10, mutation_ = 0, eta_m_ = 20;
};

}  // namespace
}  // namespace tessera::search

TESSERA_REGISTER(tessera::search::Strategy, tessera::search::Nsga2, "nsga2",
                 "NSGA-II with pagmo's non-dominated sorting, crowding distance, SBX crossover and polynomial mutation")

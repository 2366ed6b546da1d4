// Surrogate-assisted evolution (AnalogNAS): aging evolution proposes a pool
// of `pool` x n children; a gradient-boosted model trained on every candidate
// evaluated so far predicts their scalar score, and the n best predicted are
// evaluated. Until `warmup` candidates exist the children are evaluated unranked.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>

#include "nas/search/ranking.hpp"
#include "nas/search/strategy.hpp"
#include "nas/search/surrogate_model.hpp"

namespace tessera::search {
namespace {

class SurrogateEvolution : public Strategy {
 public:
  explicit SurrogateEvolution(const io::Section& s) : evo_(AgingEvolution::load(s)) {
    pool_ = size_t(s.integer("pool", "surrogate: children ranked per candidate evaluated", 10, 1, 1000));
    warmup_ = size_t(s.integer("warmup", "surrogate: evaluations before the model ranks", 16, 2, 100000));
    opt_.rounds = int(s.integer("rounds", "surrogate: boosting rounds", 50, 1, 10000));
    opt_.max_depth = int(s.integer("max_depth", "surrogate: tree depth", 4, 1, 16));
    opt_.eta = s.number("eta", "surrogate: learning rate", 0.3, 1e-6, 1);
    s.finish();
  }

  std::vector<Genome> propose(const SearchContext& ctx, Rng& rng, size_t n) override {
    if (ctx.history.size() < std::max(warmup_, evo_.population)) return evo_.children(ctx, rng, n);
    auto pool = evo_.children(ctx, rng, n * pool_);
    // Distinct children only, in the order proposed.
    std::set<Genome> seen;
    std::vector<Genome> unique;
    for (auto& g : pool)
      if (seen.insert(g).second) unique.push_back(g);
    opt_.seed = rng();
    GradientBoostedModel model(features(ctx, ctx.history), scores(ctx), opt_);
    std::vector<std::vector<float>> rows;
    for (const auto& g : unique) rows.push_back(encode(ctx.space, g));
    const auto pred = model.predict(rows);
    std::vector<size_t> order(unique.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return pred[a] < pred[b]; });
    std::vector<Genome> out;
    for (size_t i = 0; i < order.size() && out.size() < n; ++i) out.push_back(unique[order[i]]);
    return out;
  }

 private:
  // A gene's feature: its value when every value is a number (kernel 3/5/7,
  // ADC bits), else its choice index.
  static std::vector<float> encode(const SearchSpace& sp, const Genome& g) {
    std::vector<float> f;
    for (size_t i = 0; i < g.size(); ++i) {
      const auto& v = sp.genes()[i].values[size_t(g[i])];
      char* end = nullptr;
      const double x = std::strtod(v.c_str(), &end);
      bool numeric = true;
      for (const auto& w : sp.genes()[i].values) {
        char* e = nullptr;
        std::strtod(w.c_str(), &e);
        numeric = numeric && !w.empty() && *e == '\0';
      }
      f.push_back(numeric && *end == '\0' ? float(x) : float(g[i]));
    }
    return f;
  }
  static std::vector<std::vector<float>> features(const SearchContext& ctx, const std::vector<Evaluation>& evals) {
    std::vector<std::vector<float>> rows;
    for (const auto& e : evals) rows.push_back(encode(ctx.space, e.genome));
    return rows;
  }
  // The scalar score to minimise: the first objective of a feasible
  // candidate; an infeasible one scores worse than every feasible one, more so
  // the larger its violation.
  static std::vector<float> scores(const SearchContext& ctx) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& e : ctx.history) {
      const double v = ctx.goals.minimised(e.outcome.metrics).front();
      if (std::isfinite(v)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
    if (!std::isfinite(lo)) lo = hi = 0;
    const double span = std::max(hi - lo, 1e-12);
    std::vector<float> s;
    for (const auto& e : ctx.history) {
      const double v = ctx.goals.minimised(e.outcome.metrics).front();
      if (feasible(e, ctx.goals)) s.push_back(float((v - lo) / span));
      else s.push_back(float(1.0 + std::min(ctx.goals.violation(e.outcome.metrics), 10.0) + (e.outcome.status == Status::failed ? 10 : 0)));
    }
    return s;
  }

  AgingEvolution evo_;
  size_t pool_ = 10, warmup_ = 16;
  BoosterOptions opt_;
};

}  // namespace
}  // namespace tessera::search

TESSERA_REGISTER(tessera::search::Strategy, tessera::search::SurrogateEvolution, "surrogate",
                 "aging evolution whose children are ranked by an XGBoost model of the evaluations so far")

#include "nas/search/run.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include "nas/search/ranking.hpp"

namespace tessera::search {

namespace {

// Tries to get `n` new candidates; a strategy that keeps proposing known ones
// is asked again a bounded number of times (the space may be exhausted).
constexpr int kProposalRounds = 20;
constexpr int kRandomFill = 1000;

Rng generation_rng(uint64_t seed, int generation) {
  std::seed_seq seq{uint32_t(seed), uint32_t(seed >> 32), uint32_t(generation)};
  return Rng(seq);
}

}  // namespace

Progress progress_of(const std::vector<Evaluation>& evals, const Goals& goals, int generation) {
  Progress p;
  p.generation = generation;
  p.evaluated = evals.size();
  p.best = std::numeric_limits<double>::quiet_NaN();
  for (const auto& e : evals) p.feasible += feasible(e, goals) ? 1 : 0;
  if (p.feasible) {
    const auto& best = evals[scalar_rank(evals, goals).front()];
    p.best = best.outcome.metrics.at(goals.objectives.front().metric);
  }
  p.hypervolume = hypervolume(evals, goals);
  return p;
}

RunResult run_search(const SearchSpace& space, const Goals& goals, Strategy& strategy, Evaluator& evaluator, Store& store,
                     const RunOptions& opt, const std::function<void(const std::vector<Evaluation>&)>& on_record,
                     const std::function<void(const Progress&)>& on_generation) {
  if (opt.batch == 0) throw std::invalid_argument("batch must be at least 1");
  RunResult res;
  std::vector<Evaluation> all = store.load();
  std::map<std::string, size_t> recorded;  // candidate key -> index in all
  for (size_t i = 0; i < all.size(); ++i) recorded[all[i].candidate.key()] = i;

  for (int gen = 0;; ++gen) {
    // The history this generation sees: earlier generations only.
    std::vector<Evaluation> history;
    for (const auto& e : all)
      if (e.generation < gen) history.push_back(e);
    // In a canonical order (generation, then candidate), not the order of
    // completion, which parallel evaluation varies: the proposals must not depend on it.
    std::sort(history.begin(), history.end(), [](const Evaluation& a, const Evaluation& b) {
      return a.generation != b.generation ? a.generation < b.generation : a.candidate.key() < b.candidate.key();
    });
    for (size_t i = 0; i < history.size(); ++i) history[i].id = int(i);
    if (history.size() >= opt.evaluations) break;
    const size_t want = std::min(opt.batch, opt.evaluations - history.size());
    std::set<std::string> before;  // candidates of earlier generations
    for (const auto& e : history) before.insert(e.candidate.key());

    Rng rng = generation_rng(opt.seed, gen);
    SearchContext ctx{space, goals, history};
    std::vector<std::pair<Genome, Candidate>> chosen;
    std::set<std::string> taken;
    auto take = [&](Genome g) {
      if (!space.valid(g)) throw std::logic_error("a strategy proposed a genome outside the space");
      Candidate c = space.decode(g);
      const std::string key = c.key();
      if (before.count(key) || !taken.insert(key).second) return;
      chosen.emplace_back(std::move(g), std::move(c));
    };
    for (int round = 0; round < kProposalRounds && chosen.size() < want; ++round)
      for (auto& g : strategy.propose(ctx, rng, want - chosen.size()))
        if (chosen.size() < want) take(std::move(g));
    // A strategy stuck on known candidates (a converged population) is topped
    // up with random ones; only when those are all known too is the space used up.
    for (int k = 0; k < kRandomFill && chosen.size() < want; ++k) take(space.random(rng));
    if (chosen.empty()) {
      res.exhausted = true;
      break;
    }
    // Evaluate what this generation has not recorded yet.
    std::vector<size_t> todo;
    std::vector<Candidate> batch;
    bool missing = false;
    for (size_t i = 0; i < chosen.size(); ++i) {
      const bool known = recorded.count(chosen[i].second.key()) > 0;
      missing = missing || !known;
      if (known && !evaluator.whole_generation()) continue;
      todo.push_back(i);
      batch.push_back(chosen[i].second);
    }
    if (missing) {
      evaluator.evaluate(batch, [&](size_t k, const Outcome& out) {
        if (recorded.count(chosen[todo.at(k)].second.key())) return;
        Evaluation e;
        e.id = int(all.size());
        e.generation = gen;
        e.genome = chosen[todo.at(k)].first;
        e.candidate = chosen[todo.at(k)].second;
        e.outcome = out;
        store.record(e);
        recorded[e.candidate.key()] = all.size();
        all.push_back(std::move(e));
        ++res.evaluated_now;
        if (on_record) on_record(all);
      });
    }
    if (on_generation) on_generation(progress_of(all, goals, gen));
    if (chosen.size() < want) {
      res.exhausted = true;
      break;
    }
  }
  res.evaluations = all;
  return res;
}

}  // namespace tessera::search

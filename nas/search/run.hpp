// The search loop: generation after generation the strategy proposes
// candidates, the evaluator measures them and the store records each one as
// it finishes. Generation g draws from a random engine seeded by (seed, g) and
// sees only the evaluations of generations before g, so a rerun over the same
// store proposes the same candidates, skips those recorded and evaluates the
// rest: a search interrupted at any point resumes where it stopped.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "nas/search/evaluation.hpp"
#include "nas/search/strategy.hpp"

namespace tessera::search {

// Measures candidates. `done(i, outcome)` is called once per candidate of the
// batch, on the caller's thread, as each finishes (in any order).
class Evaluator {
 public:
  virtual ~Evaluator() = default;
  virtual void evaluate(const std::vector<Candidate>& batch,
                        const std::function<void(size_t, const Outcome&)>& done) = 0;
  // Whether an outcome depends on the other candidates of its generation
  // (successive halving): then the batch is the whole generation, recorded
  // candidates included, and their outcomes are not recorded again.
  virtual bool whole_generation() const { return false; }
};

// Where evaluations persist. record() must make the evaluation durable before returning.
class Store {
 public:
  virtual ~Store() = default;
  virtual std::vector<Evaluation> load() = 0;
  virtual void record(const Evaluation& e) = 0;
};

class MemoryStore : public Store {
 public:
  std::vector<Evaluation> load() override { return evals; }
  void record(const Evaluation& e) override { evals.push_back(e); }
  std::vector<Evaluation> evals;
};

struct RunOptions {
  size_t evaluations = 100;  // candidates in all
  size_t batch = 8;          // candidates per generation
  uint64_t seed = 1;
};

struct Progress {
  int generation = 0;
  size_t evaluated = 0;      // in the store
  size_t feasible = 0;
  double best = 0;           // first objective of the best feasible candidate (metric units); NaN if none
  double hypervolume = 0;
};

struct RunResult {
  std::vector<Evaluation> evaluations;  // the whole store, recording order
  size_t evaluated_now = 0;             // evaluated by this call (the rest were recorded before)
  bool exhausted = false;               // the strategy found no new candidate
};

// `on_record` runs after each recorded evaluation (with everything recorded so
// far), `on_generation` after each generation.
RunResult run_search(const SearchSpace& space, const Goals& goals, Strategy& strategy, Evaluator& evaluator, Store& store,
                     const RunOptions& opt,
                     const std::function<void(const std::vector<Evaluation>&)>& on_record = {},
                     const std::function<void(const Progress&)>& on_generation = {});

Progress progress_of(const std::vector<Evaluation>& evals, const Goals& goals, int generation);

}  // namespace tessera::search

#include <gtest/gtest.h>

#include <set>

#include "nas/search/ranking.hpp"
#include "search_helpers.hpp"

using namespace tessera;
using namespace tessera::search;
using namespace tessera::search::test;

namespace {

// Dies (as a killed process would) after `limit` evaluations.
class DyingEvaluator : public AnalyticEvaluator {
 public:
  explicit DyingEvaluator(int limit) : limit_(limit) {}
  void evaluate(const std::vector<Candidate>& batch, const std::function<void(size_t, const Outcome&)>& done) override {
    AnalyticEvaluator::evaluate(batch, [&](size_t i, const Outcome& o) {
      if (calls > limit_) throw std::runtime_error("killed");
      done(i, o);
    });
  }

 private:
  int limit_;
};

struct RunSetup {
  SearchSpace sp = space_from(kSpace);
  Goals g = goals_from(kSpace);
  RunOptions opt;
  RunSetup() {
    opt.evaluations = 30;
    opt.batch = 4;
    opt.seed = 9;
  }
};

std::unique_ptr<Strategy> evolution() {
  io::Document d = io::Document::from_string("impl = \"evolution\"\npopulation = 8\nsample = 3", "s.toml");
  return make_strategy(d.root());
}

}  // namespace

TEST(SearchRun, ResumesAfterAKillWithoutLosingOrRepeating) {
  RunSetup s;
  MemoryStore whole;
  AnalyticEvaluator ev;
  run_search(s.sp, s.g, *evolution(), ev, whole, s.opt);
  ASSERT_EQ(whole.evals.size(), 30u);

  for (int kill_at : {1, 5, 13, 29}) {
    MemoryStore store;
    DyingEvaluator dying(kill_at);
    EXPECT_THROW(run_search(s.sp, s.g, *evolution(), dying, store, s.opt), std::runtime_error);
    ASSERT_EQ(store.evals.size(), size_t(kill_at));
    AnalyticEvaluator rest;
    RunResult r = run_search(s.sp, s.g, *evolution(), rest, store, s.opt);
    EXPECT_EQ(rest.calls, 30 - kill_at) << kill_at;  // nothing evaluated twice
    EXPECT_EQ(r.evaluated_now, size_t(30 - kill_at));
    ASSERT_EQ(store.evals.size(), 30u);
    // The same candidates as the uninterrupted run, generation by generation.
    for (int gen = 0; gen < 8; ++gen) {
      std::set<std::string> a, b;
      for (const auto& e : whole.evals)
        if (e.generation == gen) a.insert(e.candidate.key());
      for (const auto& e : store.evals)
        if (e.generation == gen) b.insert(e.candidate.key());
      EXPECT_EQ(a, b) << "kill at " << kill_at << ", generation " << gen;
    }
  }
  // A finished search evaluates nothing more.
  AnalyticEvaluator none;
  RunResult r = run_search(s.sp, s.g, *evolution(), none, whole, s.opt);
  EXPECT_EQ(none.calls, 0);
  EXPECT_EQ(r.evaluations.size(), 30u);
}

TEST(SearchRun, GenerationsAndProgress) {
  RunSetup s;
  MemoryStore store;
  AnalyticEvaluator ev;
  std::vector<Progress> progress;
  size_t records = 0;
  run_search(s.sp, s.g, *evolution(), ev, store, s.opt, [&](const std::vector<Evaluation>&) { ++records; },
             [&](const Progress& p) { progress.push_back(p); });
  EXPECT_EQ(records, 30u);
  ASSERT_EQ(progress.size(), 8u);  // 7 full generations of 4 and one of 2
  EXPECT_EQ(progress.back().evaluated, 30u);
  for (size_t i = 1; i < progress.size(); ++i) EXPECT_GE(progress[i].hypervolume, progress[i - 1].hypervolume);
  EXPECT_NEAR(progress.back().hypervolume, hypervolume(store.evals, s.g), 1e-9);
  for (size_t i = 0; i < store.evals.size(); ++i) {
    EXPECT_EQ(store.evals[i].id, int(i));
    EXPECT_EQ(store.evals[i].generation, int(i / 4));
  }
}

TEST(SearchRun, ExhaustedSpaceEndsTheSearch) {
  // Two candidates in the whole space.
  SearchSpace sp = space_from(R"(
[network]
family = "cnn"
depth = [1]
kernels = [3, 5]
widths = [4]
[hardware]
arch = "isaac"
[[objective]]
metric = "parameters"
reference = 1e9
)");
  Goals g = goals_from("[network]\n[hardware]\n[[objective]]\nmetric = \"parameters\"\nreference = 1e9\n");
  io::Document d = io::Document::from_string("impl = \"random\"", "s.toml");
  auto st = make_strategy(d.root());
  MemoryStore store;
  AnalyticEvaluator ev;
  RunOptions opt;
  opt.evaluations = 10;
  opt.batch = 4;
  RunResult r = run_search(sp, g, *st, ev, store, opt);
  EXPECT_TRUE(r.exhausted);
  EXPECT_EQ(r.evaluations.size(), 2u);
}

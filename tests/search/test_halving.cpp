#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "nas/search/halving.hpp"
#include "nas/search/pipeline.hpp"
#include "search_helpers.hpp"

using namespace tessera;
using namespace tessera::search;
using namespace tessera::search::test;

TEST(Halving, RungsGrowByEtaUpToTheBudget) {
  EXPECT_EQ(rung_epochs(1, 3, 9), (std::vector<int>{1, 3, 9}));
  EXPECT_EQ(rung_epochs(1, 3, 10), (std::vector<int>{1, 3, 9, 10}));
  EXPECT_EQ(rung_epochs(2, 2, 8), (std::vector<int>{2, 4, 8}));
  EXPECT_EQ(rung_epochs(0, 3, 5), (std::vector<int>{5}));  // no halving
  EXPECT_EQ(rung_epochs(5, 3, 5), (std::vector<int>{5}));
  EXPECT_TRUE(rung_epochs(1, 3, 0).empty());               // cost-only search
  EXPECT_THROW(rung_epochs(1, 1, 4), std::invalid_argument);
}

TEST(Halving, PromotesTheBestCeilNOverEtaWithTiesByKey) {
  // 7 scores, eta 3: ceil(7/3) = 3 go on: 0.9, 0.8 and the tie at 0.7 broken by key ("b" < "e").
  const std::vector<double> s{0.5, 0.7, 0.9, 0.1, 0.7, 0.8, NAN};
  const std::vector<std::string> k{"a", "b", "c", "d", "e", "f", "g"};
  EXPECT_EQ(promoted(s, k, 3), (std::vector<size_t>{1, 2, 5}));
  std::vector<std::string> k2 = k;
  std::swap(k2[1], k2[4]);  // now index 4 has the smaller key
  EXPECT_EQ(promoted(s, k2, 3), (std::vector<size_t>{2, 4, 5}));
  EXPECT_EQ(promoted(std::vector<double>{0.2}, {"x"}, 2), (std::vector<size_t>{0}));
  EXPECT_EQ(promoted(std::vector<double>{NAN, 0.1}, {"a", "b"}, 2), (std::vector<size_t>{1}));  // NaN is worst
  EXPECT_TRUE(promoted(std::vector<double>{}, {}, 2).empty());
  EXPECT_EQ(promoted(std::vector<double>{0.5, 0.5, 0.9, 0.1}, {"d", "c", "b", "a"}, 2), (std::vector<size_t>{1, 2}));
}

TEST(Halving, PromotesAlongTheParetoFrontOfAccuracyAndCost) {
  // (-accuracy, cost): a, b, c and e are non-dominated, d and f are dominated.
  const std::vector<std::vector<double>> p{{-0.9, 10}, {-0.8, 1}, {-0.85, 5}, {-0.7, 20}, {-0.6, 0.5}, {-0.5, 30}};
  const std::vector<std::string> k{"a", "b", "c", "d", "e", "f"};
  // Two go on: the front's two ends (infinite crowding distance), not the two most accurate.
  EXPECT_EQ(promoted(p, k, 3), (std::vector<size_t>{0, 4}));
  // Three: then b, whose crowding distance (0.25/0.3 + 4.5/9.5 = 1.307) beats c's (0.1/0.3 + 9/9.5 = 1.281).
  EXPECT_EQ(promoted(p, k, 2), (std::vector<size_t>{0, 1, 4}));
  // Five: the whole front, then d (second front) before f (third).
  EXPECT_EQ(promoted(std::vector<std::vector<double>>{p[0], p[1], p[2], p[3], p[4], p[5], {-0.1, 99}, {-0.2, 98}, {-0.3, 97}},
                     {"a", "b", "c", "d", "e", "f", "g", "h", "i"}, 2),
            (std::vector<size_t>{0, 1, 2, 3, 4}));
}

TEST(Halving, PlanStagesNameEachRungAndOnlyTheLastExports) {
  io::Document d = io::Document::from_string("epochs = 9\nmin_epochs = 1\neta = 3\ndevice_runs = 1", "e.toml");
  const EvaluationPlan p = EvaluationPlan::load(d.root());
  ASSERT_EQ(p.rungs(), (std::vector<int>{1, 3, 9}));
  Candidate c{"cnn", {"tile_class.pcm64.adc.bits=6"}, 100};
  const StageCommand r0 = train_command(p, "pcm-nax", c, "D", 1);
  const StageCommand last = train_command(p, "pcm-nax", c, "D", 9);
  EXPECT_EQ(r0.name, "train-1ep");
  EXPECT_EQ(r0.output, "D/train-1ep");
  EXPECT_NE(std::find(r0.args.begin(), r0.args.end(), "--no-export"), r0.args.end());
  EXPECT_EQ(last.name, "train");
  EXPECT_EQ(last.report, "D/train/train.json");
  EXPECT_EQ(std::find(last.args.begin(), last.args.end(), "--no-export"), last.args.end());
  const StageCommand ev = evaluate_command(p, "pcm-nax", c, "D");
  EXPECT_NE(std::find(ev.args.begin(), ev.args.end(), "D/train/export"), ev.args.end());
}

TEST(Halving, PlanRefusesAFirstRungAtTheBudget) {
  io::Document d = io::Document::from_string("epochs = 3\nmin_epochs = 3", "e.toml");
  try {
    EvaluationPlan::load(d.root());
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("min_epochs"), std::string::npos) << e.what();
  }
}

namespace {

// Successive halving over the analytic landscape: the outcome of a candidate
// depends on the rest of its generation (only the best half of each batch is
// "fully trained"), as with the child evaluator.
class HalvingEvaluator : public AnalyticEvaluator {
 public:
  explicit HalvingEvaluator(int die_after = -1) : die_after_(die_after) {}
  bool whole_generation() const override { return true; }
  void evaluate(const std::vector<Candidate>& batch, const std::function<void(size_t, const Outcome&)>& done) override {
    std::vector<Outcome> outs(batch.size());
    std::vector<double> scores;
    std::vector<std::string> keys;
    AnalyticEvaluator::evaluate(batch, [&](size_t i, const Outcome& o) { outs[i] = o; });
    for (size_t i = 0; i < batch.size(); ++i) {
      scores.push_back(outs[i].metrics.at("accuracy"));
      keys.push_back(batch[i].key());
    }
    std::set<size_t> keep;
    for (size_t i : promoted(scores, keys, 2)) keep.insert(i);
    for (size_t i = 0; i < batch.size(); ++i) {
      if (die_after_ >= 0 && reported_ >= die_after_) throw std::runtime_error("killed");
      if (!keep.count(i)) outs[i].status = Status::filtered;
      ++reported_;
      done(i, outs[i]);
    }
  }

 private:
  int die_after_;
  int reported_ = 0;
};

std::unique_ptr<Strategy> evolution() {
  io::Document d = io::Document::from_string("impl = \"evolution\"\npopulation = 8\nsample = 3", "s.toml");
  return make_strategy(d.root());
}

}  // namespace

TEST(Halving, WholeGenerationResumeRecordsTheSameOutcomes) {
  SearchSpace sp = space_from(kSpace);
  Goals g = goals_from(kSpace);
  RunOptions opt;
  opt.evaluations = 24;
  opt.batch = 6;
  opt.seed = 4;
  MemoryStore whole;
  HalvingEvaluator ev;
  run_search(sp, g, *evolution(), ev, whole, opt);
  ASSERT_EQ(whole.evals.size(), 24u);
  std::map<std::string, Status> ref;
  for (const auto& e : whole.evals) ref[e.candidate.key()] = e.outcome.status;

  for (int kill_at : {3, 10}) {
    MemoryStore store;
    HalvingEvaluator dying(kill_at);
    EXPECT_THROW(run_search(sp, g, *evolution(), dying, store, opt), std::runtime_error);
    ASSERT_EQ(store.evals.size(), size_t(kill_at));
    HalvingEvaluator rest;
    const RunResult r = run_search(sp, g, *evolution(), rest, store, opt);
    EXPECT_EQ(r.evaluated_now, size_t(24 - kill_at));  // nothing recorded twice
    ASSERT_EQ(store.evals.size(), 24u);
    // Each candidate's outcome is what the uninterrupted run gave it: the
    // promotions saw the whole generation, recorded candidates included.
    for (const auto& e : store.evals) {
      ASSERT_TRUE(ref.count(e.candidate.key())) << e.candidate.key();
      EXPECT_EQ(e.outcome.status, ref[e.candidate.key()]) << "kill at " << kill_at << ": " << e.candidate.key();
    }
  }
}

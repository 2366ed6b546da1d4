#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "nas/search/ranking.hpp"
#include "search_helpers.hpp"

using namespace tessera;
using namespace tessera::search;
using namespace tessera::search::test;

namespace {

Goals two_objectives() {
  Goals g;
  g.objectives = {{"accuracy", true, 0.5}, {"edap", false, 30}};
  g.constraints = {{"area_mm2", -INFINITY, 100}};
  return g;
}

Evaluation eval(int id, double acc, double edap, double area, Status st = Status::ok) {
  Evaluation e;
  e.id = id;
  e.candidate.net = "cnn:kernels=3" + std::string(size_t(id), '-') ;
  e.outcome.status = st;
  e.outcome.metrics = {{"accuracy", acc}, {"edap", edap}, {"area_mm2", area}};
  return e;
}

// A(0.90, 10) B(0.80, 5) C(0.85, 12: dominated by A) D(0.95, 20) E(0.99, 1, area too large) F(failed)
std::vector<Evaluation> hand_case() {
  return {eval(0, 0.90, 10, 50), eval(1, 0.80, 5, 50), eval(2, 0.85, 12, 50),
          eval(3, 0.95, 20, 50), eval(4, 0.99, 1, 150), eval(5, 0.99, 0.5, 50, Status::failed)};
}

}  // namespace

TEST(Ranking, ParetoFrontOfHandCase) {
  EXPECT_EQ(pareto_front(hand_case(), two_objectives()), (std::vector<size_t>{0, 1, 3}));
  // A missing objective keeps a candidate off the front.
  auto ev = hand_case();
  ev[1].outcome.metrics.erase("edap");
  EXPECT_EQ(pareto_front(ev, two_objectives()), (std::vector<size_t>{0, 3}));
  // One feasible point is its own front; none gives an empty one.
  EXPECT_EQ(pareto_front({eval(0, 0.9, 1, 1)}, two_objectives()), (std::vector<size_t>{0}));
  EXPECT_TRUE(pareto_front({eval(0, 0.9, 1, 1000)}, two_objectives()).empty());
}

TEST(Ranking, HypervolumeOfHandCase) {
  // Minimised points (-0.95, 20), (-0.90, 10), (-0.80, 5), reference (-0.5, 30):
  // 0.05 x 10 + 0.10 x 20 + 0.30 x 25 = 10.
  EXPECT_NEAR(hypervolume(hand_case(), two_objectives()), 10.0, 1e-12);
  // A point beyond the reference adds nothing; adding a dominated point changes nothing.
  auto ev = hand_case();
  ev.push_back(eval(6, 0.97, 35, 50));
  ev.push_back(eval(7, 0.85, 15, 50));
  EXPECT_NEAR(hypervolume(ev, two_objectives()), 10.0, 1e-12);
  // Three objectives: one point is a box.
  Goals g3 = two_objectives();
  g3.objectives.push_back({"area_mm2", false, 100});
  EXPECT_NEAR(hypervolume({eval(0, 0.9, 10, 50)}, g3), 0.4 * 20 * 50, 1e-9);
  EXPECT_EQ(hypervolume({}, two_objectives()), 0);
}

TEST(Ranking, ConstrainedScalarRank) {
  // Feasible by accuracy (the first objective): D A C B; then the infeasible E; the failed F last.
  EXPECT_EQ(scalar_rank(hand_case(), two_objectives()), (std::vector<size_t>{3, 0, 2, 1, 4, 5}));
  // Ties on the first objective go to the second, then to the id.
  std::vector<Evaluation> tie = {eval(0, 0.9, 20, 1), eval(1, 0.9, 10, 1), eval(2, 0.9, 10, 1)};
  EXPECT_EQ(scalar_rank(tie, two_objectives()), (std::vector<size_t>{1, 2, 0}));
  // Infeasible ones by violation: area 300 violates more than 150.
  std::vector<Evaluation> bad = {eval(0, 0.9, 1, 300), eval(1, 0.5, 1, 150)};
  EXPECT_EQ(scalar_rank(bad, two_objectives()), (std::vector<size_t>{1, 0}));
}

TEST(Ranking, LeaderboardCsv) {
  std::ostringstream all, front;
  write_leaderboard_csv(hand_case(), two_objectives(), false, all);
  write_leaderboard_csv(hand_case(), two_objectives(), true, front);
  std::vector<std::string> lines;
  std::istringstream is(all.str());
  for (std::string l; std::getline(is, l);) lines.push_back(l);
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[0].rfind("rank,pareto,id,generation,status,parameters,", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("1,1,3,0,ok,", 0), 0u) << lines[1];
  EXPECT_EQ(lines[5].rfind("5,0,4,0,ok,", 0), 0u) << lines[5];
  EXPECT_EQ(lines[6].rfind("6,0,5,0,failed,", 0), 0u) << lines[6];
  size_t front_lines = 0;
  for (char c : front.str()) front_lines += c == '\n';
  EXPECT_EQ(front_lines, 1u + 3u);
}

TEST(Ranking, OneObjectiveFrontIsTheBestAndHypervolumeItsDistanceToTheReference) {
  Goals g;
  g.objectives = {{"accuracy", true, 0.5}};
  g.constraints = {{"area_mm2", -INFINITY, 100}};
  // Feasible accuracies 0.90, 0.80, 0.85, 0.95 (E is too large, F failed): the front is D alone.
  EXPECT_EQ(pareto_front(hand_case(), g), (std::vector<size_t>{3}));
  EXPECT_NEAR(hypervolume(hand_case(), g), 0.95 - 0.5, 1e-12);
  // Ties for the best are all on the front.
  EXPECT_EQ(pareto_front({eval(0, 0.9, 1, 1), eval(1, 0.9, 2, 1), eval(2, 0.7, 0, 1)}, g), (std::vector<size_t>{0, 1}));
  EXPECT_EQ(hypervolume({eval(0, 0.4, 1, 1)}, g), 0);  // worse than the reference
}

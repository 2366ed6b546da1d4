#include "nas/search/ranking.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <pagmo/utils/hypervolume.hpp>
#include <pagmo/utils/multi_objective.hpp>
#include <stdexcept>

namespace tessera::search {

const char* status_name(Status s) {
  switch (s) {
    case Status::ok: return "ok";
    case Status::filtered: return "filtered";
    case Status::failed: return "failed";
  }
  return "?";
}

Status status_from_name(const std::string& s) {
  for (Status v : {Status::ok, Status::filtered, Status::failed})
    if (s == status_name(v)) return v;
  throw std::invalid_argument("no status named '" + s + "'");
}

bool feasible(const Evaluation& e, const Goals& g) {
  if (e.outcome.status != Status::ok || g.violation(e.outcome.metrics) > 0) return false;
  for (double v : g.minimised(e.outcome.metrics))
    if (!std::isfinite(v)) return false;
  return true;
}

std::vector<size_t> pareto_front(const std::vector<Evaluation>& evals, const Goals& g) {
  std::vector<size_t> idx;
  std::vector<pagmo::vector_double> pts;
  for (size_t i = 0; i < evals.size(); ++i)
    if (feasible(evals[i], g)) {
      idx.push_back(i);
      pts.push_back(g.minimised(evals[i].outcome.metrics));
    }
  if (pts.size() < 2) return idx;  // pagmo's sorting needs two points; one point is its own front
  std::vector<size_t> out;
  if (g.objectives.size() == 1) {  // and two dimensions: one objective's front is its best value
    double best = HUGE_VAL;
    for (const auto& p : pts) best = std::min(best, p[0]);
    for (size_t k = 0; k < pts.size(); ++k)
      if (pts[k][0] == best) out.push_back(idx[k]);
    return out;
  }
  const auto fronts = std::get<0>(pagmo::fast_non_dominated_sorting(pts));
  for (auto k : fronts.front()) out.push_back(idx[k]);
  std::sort(out.begin(), out.end());
  return out;
}

double hypervolume(const std::vector<Evaluation>& evals, const Goals& g) {
  const auto ref = g.reference();
  std::vector<pagmo::vector_double> pts;
  for (size_t i : pareto_front(evals, g)) {
    auto p = g.minimised(evals[i].outcome.metrics);
    bool inside = true;
    for (size_t k = 0; k < p.size(); ++k) inside = inside && p[k] < ref[k];
    if (inside) pts.push_back(p);
  }
  if (pts.empty()) return 0;
  if (ref.size() == 1) return ref[0] - pts.front()[0];  // one objective: the length below the reference
  return pagmo::hypervolume(pts).compute(ref);
}

std::vector<size_t> scalar_rank(const std::vector<Evaluation>& evals, const Goals& g) {
  struct Key {
    int cls;                  // 0 feasible, 1 infeasible, 2 failed
    double violation;
    std::vector<double> obj;
    int id;
  };
  std::vector<Key> keys;
  for (const auto& e : evals) {
    Key k;
    k.cls = e.outcome.status == Status::failed ? 2 : feasible(e, g) ? 0 : 1;
    k.violation = k.cls == 1 ? g.violation(e.outcome.metrics) : 0;
    k.obj = k.cls == 0 ? g.minimised(e.outcome.metrics) : std::vector<double>{};
    k.id = e.id;
    keys.push_back(std::move(k));
  }
  std::vector<size_t> order(evals.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Key &x = keys[a], &y = keys[b];
    if (x.cls != y.cls) return x.cls < y.cls;
    if (x.violation != y.violation) return x.violation < y.violation;
    if (x.obj != y.obj) return x.obj < y.obj;
    return x.id < y.id;
  });
  return order;
}

namespace {
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}
}  // namespace

void write_leaderboard_csv(const std::vector<Evaluation>& evals, const Goals& g, bool front_only, std::ostream& os) {
  const auto front = pareto_front(evals, g);
  os << "rank,pareto,id,generation,status";
  for (const auto& m : metric_names()) os << "," << m;
  os << ",violation,network,overrides,message\n";
  int rank = 0;
  for (size_t i : scalar_rank(evals, g)) {
    ++rank;
    const bool on_front = std::binary_search(front.begin(), front.end(), i);
    if (front_only && !on_front) continue;
    const Evaluation& e = evals[i];
    os << rank << "," << (on_front ? 1 : 0) << "," << e.id << "," << e.generation << "," << status_name(e.outcome.status);
    for (const auto& m : metric_names()) {
      auto it = e.outcome.metrics.find(m);
      os << "," << (it == e.outcome.metrics.end() ? std::string() : fmt::format("{:.10g}", it->second));
    }
    std::string sets;
    for (const auto& s : e.candidate.sets) sets += (sets.empty() ? "" : " ") + s;
    os << "," << fmt::format("{:.6g}", g.violation(e.outcome.metrics)) << "," << csv_field(e.candidate.net) << ","
       << csv_field(sets) << "," << csv_field(e.outcome.message) << "\n";
  }
}

}  // namespace tessera::search

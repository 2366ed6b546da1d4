#include "nas/search/halving.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <pagmo/utils/multi_objective.hpp>
#include <stdexcept>

namespace tessera::search {

std::vector<int> rung_epochs(int min_epochs, int eta, int epochs) {
  if (epochs < 1) return {};
  if (eta < 2) throw std::invalid_argument("successive halving needs eta >= 2");
  std::vector<int> r;
  if (min_epochs > 0)
    for (long e = min_epochs; e < epochs; e *= eta) r.push_back(int(e));
  r.push_back(epochs);
  return r;
}

std::vector<size_t> promoted(const std::vector<std::vector<double>>& points, const std::vector<std::string>& keys,
                             int eta) {
  if (points.size() != keys.size()) throw std::invalid_argument("one key per point");
  if (eta < 2) throw std::invalid_argument("successive halving needs eta >= 2");
  const size_t n = points.size();
  std::vector<pagmo::vector_double> pts(points);
  for (auto& p : pts)
    for (auto& x : p)
      if (std::isnan(x)) x = HUGE_VAL;
  std::vector<size_t> front(n, 0);
  std::vector<double> crowding(n, HUGE_VAL);
  if (n >= 2 && pts.front().size() == 1) {  // one objective: each value its own front
    std::vector<double> values;
    for (const auto& p : pts) values.push_back(p[0]);
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (size_t i = 0; i < n; ++i)
      front[i] = size_t(std::lower_bound(values.begin(), values.end(), pts[i][0]) - values.begin());
  } else if (n >= 2) {  // pagmo's sorting needs two points of two or more dimensions
    const auto fronts = std::get<0>(pagmo::fast_non_dominated_sorting(pts));
    for (size_t f = 0; f < fronts.size(); ++f) {
      for (auto i : fronts[f]) front[i] = f;
      if (fronts[f].size() < 3) continue;  // the ends of a front are infinitely far apart
      std::vector<pagmo::vector_double> members;
      for (auto i : fronts[f]) members.push_back(pts[i]);
      const auto d = pagmo::crowding_distance(members);
      for (size_t k = 0; k < fronts[f].size(); ++k) crowding[fronts[f][k]] = d[k];
    }
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t(0));
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (front[a] != front[b]) return front[a] < front[b];
    if (crowding[a] != crowding[b]) return crowding[a] > crowding[b];
    return keys[a] < keys[b];
  });
  order.resize((n + size_t(eta) - 1) / size_t(eta));
  std::sort(order.begin(), order.end());
  return order;
}

std::vector<size_t> promoted(const std::vector<double>& scores, const std::vector<std::string>& keys, int eta) {
  std::vector<std::vector<double>> points;
  for (double s : scores) points.push_back({-s});
  return promoted(points, keys, eta);
}

}  // namespace tessera::search

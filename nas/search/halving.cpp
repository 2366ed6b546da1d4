#include "nas/search/halving.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
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

std::vector<size_t> promoted(const std::vector<double>& scores, const std::vector<std::string>& keys, int eta) {
  if (scores.size() != keys.size()) throw std::invalid_argument("one key per score");
  if (eta < 2) throw std::invalid_argument("successive halving needs eta >= 2");
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t(0));
  auto score = [&](size_t i) { return std::isnan(scores[i]) ? -HUGE_VAL : scores[i]; };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return score(a) != score(b) ? score(a) > score(b) : keys[a] < keys[b];
  });
  const size_t keep = (scores.size() + size_t(eta) - 1) / size_t(eta);
  order.resize(keep);
  std::sort(order.begin(), order.end());
  return order;
}

}  // namespace tessera::search

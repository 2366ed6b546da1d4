// Successive halving over training epochs (Jamieson and Talwalkar 2016; the
// budgets of ASHA, Li et al. 2020). The candidates of a generation train for
// the first rung's epochs; the best 1/eta by test accuracy train again for the
// next rung's, and so on up to the full budget; only those reach the chip
// evaluation. Unlike ASHA, promotion waits for the whole rung: a promotion
// that depended on which training finished first would make a search depend
// on its -j and on the machine's load, and a resumed search on where it was
// killed. Each rung trains from scratch, so a rung's accuracy is exactly what
// training with that budget gives (the cosine schedule ends at the budget).
#pragma once

#include <string>
#include <vector>

namespace tessera::search {

// The epochs of each rung: min_epochs, min_epochs*eta, ... below `epochs`,
// then `epochs`. min_epochs 0 (no halving) or >= epochs: one rung.
std::vector<int> rung_epochs(int min_epochs, int eta, int epochs);

// Which candidates of a rung go on: the ceil(n/eta) best, as multi-objective
// ASHA ranks them (Schmucker et al. 2021): by non-dominated front of their
// points (every objective minimised; NaN is worst), within a front by crowding
// distance (NSGA-II's, so the survivors spread along the front), then by key,
// so the choice never depends on the order the results arrived in. Indices
// into `points`, ascending.
std::vector<size_t> promoted(const std::vector<std::vector<double>>& points, const std::vector<std::string>& keys,
                             int eta);
// One objective, higher scores better.
std::vector<size_t> promoted(const std::vector<double>& scores, const std::vector<std::string>& keys, int eta);

}  // namespace tessera::search

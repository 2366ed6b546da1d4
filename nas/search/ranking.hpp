// Ranking evaluated candidates: the Pareto front and its hypervolume over the
// objectives (pagmo's non-dominated sorting and hypervolume), a constrained
// scalar rank and the leaderboard. Only feasible evaluations (status ok, every
// objective known, every constraint met) can be on the front.
#pragma once

#include <iosfwd>
#include <vector>

#include "nas/search/evaluation.hpp"

namespace tessera::search {

bool feasible(const Evaluation& e, const Goals& g);

// Indices of the non-dominated feasible evaluations, in input order.
std::vector<size_t> pareto_front(const std::vector<Evaluation>& evals, const Goals& g);

// Hypervolume dominated by the feasible evaluations up to the objectives'
// reference point (points not strictly better than it in every objective add nothing).
double hypervolume(const std::vector<Evaluation>& evals, const Goals& g);

// Constrained scalar rank, best first: feasible evaluations by the first
// objective (ties by the next objectives, then by id), then the others by
// constraint violation (failed ones last), then by id.
std::vector<size_t> scalar_rank(const std::vector<Evaluation>& evals, const Goals& g);

// The leaderboard as CSV: rank, pareto flag, id, generation, status, the
// metrics, violation, network and overrides; `front_only` keeps the Pareto front.
void write_leaderboard_csv(const std::vector<Evaluation>& evals, const Goals& g, bool front_only, std::ostream& os);

}  // namespace tessera::search

// The search's record in the results store shared with sweeps
// (workloads/base/results_store.hpp: SQLite, one transaction per row, so a
// kill -9 loses only the candidates still running). One row per candidate,
// keyed by its hash, kind "search"; the store's status is done (ok), skipped
// (filtered by a constraint) or failed; the search's own columns are
// generation, genome (JSON), network, set (JSON), parameters, search_status
// and one column per metric.
#pragma once

#include <memory>
#include <string>

#include "nas/search/run.hpp"

namespace tessera::base {
class ResultsStore;
}

namespace tessera::search {

class SearchStore : public Store {
 public:
  // The store of a search directory (DIR/results.sqlite), created if absent.
  explicit SearchStore(const std::string& dir);
  ~SearchStore() override;
  std::vector<Evaluation> load() override;
  void record(const Evaluation& e) override;
  base::ResultsStore& results() { return *store_; }

 private:
  std::unique_ptr<base::ResultsStore> store_;
};

// A short stable name for a candidate (FNV-1a of its key, hex): its row's
// hash and the name of its directory.
std::string candidate_hash(const Candidate& c);

}  // namespace tessera::search

// Regularised (aging) evolution (Real et al., AAAI 2019), as AnalogNAS's
// evolutionary search: tournament selection among the most recent
// evaluations, one-gene mutation, the oldest member dies.
#include "nas/search/strategy.hpp"

namespace tessera::search {
namespace {

class Evolution : public Strategy {
 public:
  explicit Evolution(const io::Section& s) : evo_(AgingEvolution::load(s)) { s.finish(); }
  std::vector<Genome> propose(const SearchContext& ctx, Rng& rng, size_t n) override { return evo_.children(ctx, rng, n); }

 private:
  AgingEvolution evo_;
};

}  // namespace
}  // namespace tessera::search

TESSERA_REGISTER(tessera::search::Strategy, tessera::search::Evolution, "evolution",
                 "regularised (aging) evolution: tournament among the most recent, one-gene mutation")

// Random search: every gene drawn uniformly (the baseline every strategy must beat).
#include "nas/search/strategy.hpp"

namespace tessera::search {
namespace {

class RandomSearch : public Strategy {
 public:
  explicit RandomSearch(const io::Section& s) { s.finish(); }
  std::vector<Genome> propose(const SearchContext& ctx, Rng& rng, size_t n) override {
    std::vector<Genome> out;
    for (size_t i = 0; i < n; ++i) out.push_back(ctx.space.random(rng));
    return out;
  }
};

}  // namespace
}  // namespace tessera::search

TESSERA_REGISTER(tessera::search::Strategy, tessera::search::RandomSearch, "random", "genes drawn uniformly")

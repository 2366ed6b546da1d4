#include "arch/functional/slicing.hpp"

#include <algorithm>
#include <stdexcept>

namespace tessera::functional {

SignedEncoding signed_encoding(const std::string& s) {
  if (s == "offset") return SignedEncoding::Offset;
  if (s == "differential") return SignedEncoding::Differential;
  // The arch config's loader admits only these two.
  throw std::logic_error("signed_encoding: unknown mapping.signed_weights '" + s + "'");
}

int64_t WeightSlicing::stored(int64_t q, bool negative_column) const {
  if (encoding == SignedEncoding::Offset) return q + offset();
  return negative_column ? std::max<int64_t>(-q, 0) : std::max<int64_t>(q, 0);
}

int WeightSlicing::column(int64_t weight, int slice, bool negative_column) const {
  if (encoding == SignedEncoding::Offset) return int(weight * slices() + slice);
  return int(weight * 2 * slices() + 2 * slice + (negative_column ? 1 : 0));
}

}  // namespace tessera::functional

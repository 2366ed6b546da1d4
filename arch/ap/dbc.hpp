// One domain-block cluster: the shift state of its tracks and the counts of
// its shifts, reads and writes.
//
// All tracks and ports of a DBC move together: after shifting by `offset`
// positions, port k sits over domain home(k) + offset. Bringing domain d under
// port k costs |home(k) + offset - d| shifts (imc-facts section 2).
#pragma once

#include <cstdint>

#include "arch/ap/rtm_params.hpp"

namespace tessera::ap {

class Dbc {
 public:
  explicit Dbc(const RtmParams& p) : p_(p) {}

  // Each returns the shifts it spent.
  int64_t read(int domain);
  int64_t write(int domain);

  int offset() const { return offset_; }
  int port_position(int port) const { return p_.home(port) + offset_; }
  int choose_port(int domain) const;
  // Shifts an access to `domain` would cost now.
  int64_t distance(int domain) const;

  const RtmCounts& counts() const { return counts_; }
  void reset_counts() { counts_ = {}; }
  void reset() { offset_ = 0, counts_ = {}; }
  bool operator==(const Dbc& o) const { return offset_ == o.offset_; }  // same shift state

 private:
  int64_t align(int domain);
  RtmParams p_;
  int offset_ = 0;
  RtmCounts counts_;
};

}  // namespace tessera::ap

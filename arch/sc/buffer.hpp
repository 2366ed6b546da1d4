// A tile buffer: `ports` ports of width_bits each, shared by the tile's
// fetches (reads) and the data arriving from the network (writes). Each half
// cycle every free port takes the best waiting request (older first, writes
// before reads at equal age, then source and sequence). It also keeps the
// line-buffer space of the layer's input: a sender that finds too little space
// waits for a grant (credit-based flow control), which the consumer's fetches
// return as they pass rows.
#pragma once

#include <functional>
#include <vector>

#include "arch/components/storage.hpp"
#include "arch/sc/clock.hpp"

namespace tessera::sc {

class Buffer : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Buffer);
  Buffer(sc_core::sc_module_name name, const StorageParams& params, Mode mode, sc_core::sc_clock* clk);

  enum Klass { kWrite = 0, kRead = 1 };
  struct Request {
    Priority prio;
    int64_t cycles = 1;  // port cycles (access) or bits (space)
    std::function<void(int64_t grant_cycle)> granted;
  };
  // Port access from cycle prio.ready.
  void access(Request r);
  // Called by the buffer's owner at whole cycle t for its own read: every
  // request that could beat it at t (all writes ready by t, posted at earlier
  // half cycles) is already queued, so when a port is left for it the grant is
  // decided now, exactly as the arbiter would at t + 1/2, without waking it.
  // Returns the grant cycle (t) or -1 if the request must queue.
  int64_t grant_now(const Priority& prio, int64_t cycles, int64_t t);
  // Line-buffer space for a message of row `row` of the flow-controlled input
  // stream. Space is taken a whole row (`row_bits`) at a time and in row order,
  // so senders that run ahead cannot fill the buffer with later rows while an
  // earlier row still waits (which would deadlock the consumer).
  void reserve(Request r, int64_t row, int64_t row_bits);
  // Bits become free from cycle `at`.
  void release(int64_t bits, int64_t at);
  void set_space(int64_t bits) { space_ = bits; }

  int64_t port_busy = 0;        // port cycles used
  int64_t port_contention = 0;  // cycles requests waited for a port
  int64_t space_waits = 0;      // cycles senders waited for space
  uint64_t activations = 0;
  uint64_t handled = 0;  // grants

 private:
  void arbitrate();
  int64_t free_space(int64_t t) const;

  const StorageParams& params_;
  Waker waker_;
  std::vector<int64_t> port_free_;
  struct SpaceRequest {
    Request r;
    int64_t row, row_bits;
  };
  std::vector<Request> access_;
  std::vector<SpaceRequest> reserve_;
  int64_t next_row_ = 0;  // first row whose space is not reserved yet
  int64_t space_ = 0, reserved_ = 0;
  std::vector<std::pair<int64_t, int64_t>> releases_;  // (cycle, bits), applied from that cycle
};

}  // namespace tessera::sc

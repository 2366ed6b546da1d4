// Simulated time. One clock cycle of the chip is 1000 ps of SystemC time.
// Units act at whole cycles; shared resources (buffer ports, links, the
// off-chip interface's space) are arbitrated half a cycle later, so every
// request posted during cycle t, in whatever order the kernel ran its
// processes, is seen by the arbiter at t + 1/2 and granted from cycle t. This
// makes results independent of process order and identical between the
// event-driven and the clocked modes.
#pragma once

#include <cstdint>
#include <limits>
#include <systemc>

namespace tessera::sc {

enum class Mode { Event, Clocked };

constexpr int64_t kPsPerCycle = 1000;
constexpr int64_t kNever = std::numeric_limits<int64_t>::max() / 4;

// Kernel time in its resolution unit, which simulate_chip sets to 1 ps.
inline int64_t now_ps() { return int64_t(sc_core::sc_time_stamp().value()); }
inline int64_t now_cycle() { return now_ps() / kPsPerCycle; }

// Wakes a process at future cycles (event mode). Keeps the earliest pending
// notification: SystemC keeps only one per event, and a process recomputes
// everything later from its own state when it runs.
class Waker {
 public:
  explicit Waker(const char* name) : ev_(name) {}
  sc_core::sc_event& event() { return ev_; }
  void set_mode(Mode m) { mode_ = m; }
  // At a whole cycle (phase 0) or half a cycle later (phase 1).
  void at(int64_t cycle, int phase = 0) {
    if (mode_ == Mode::Clocked || cycle >= kNever) return;
    int64_t ps = cycle * kPsPerCycle + phase * (kPsPerCycle / 2);
    int64_t now = now_ps();
    if (ps < now) ps = now;
    if (pending_ > now && pending_ <= ps) return;  // an earlier or equal wake is pending
    pending_ = ps;
    if (ps == now) ev_.notify(sc_core::SC_ZERO_TIME);
    else ev_.notify(sc_core::sc_time::from_value(sc_core::sc_time::value_type(ps - now)));
  }
  // Call at the start of the process: the pending notification has fired.
  void fired() {
    if (pending_ <= now_ps()) pending_ = -1;
  }

 private:
  sc_core::sc_event ev_;
  Mode mode_ = Mode::Event;
  int64_t pending_ = -1;
};

// Order of requests that arrive for the same cycle: independent of the order
// in which processes ran.
struct Priority {
  int64_t ready = 0;   // cycle the request became ready
  int klass = 0;       // lower first (buffer: writes before reads)
  int source = 0;      // tile index (-1: off chip)
  uint64_t seq = 0;    // per-source sequence number
  bool operator<(const Priority& o) const {
    if (ready != o.ready) return ready < o.ready;
    if (klass != o.klass) return klass < o.klass;
    if (source != o.source) return source < o.source;
    return seq < o.seq;
  }
};

}  // namespace tessera::sc

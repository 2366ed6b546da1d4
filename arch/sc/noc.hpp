// The on-chip network: every link of the topology is a resource that carries
// one packet at a time. A packet's head requests the links of its route one
// after the other (hop_cycles apart); a granted link is busy for the packet's
// flits (virtual cut-through). Arbitration per link, each half cycle: the
// oldest request first, then lower source tile, then the source's sequence
// number. One SC_METHOD arbitrates all links, woken only when a request can
// be granted.
#pragma once

#include <functional>
#include <map>
#include <vector>

#include "arch/config/arch_config.hpp"
#include "arch/sc/clock.hpp"

namespace tessera::sc {

struct Packet {
  int src = 0, dst = 0;        // tiles (the off-chip endpoint is the entry tile)
  int64_t bits = 0;
  int64_t flits = 0;
  Priority prio;               // ready = injection cycle
  bool local_same_cycle = false;  // a local delivery may land in the cycle it was sent (off-chip output)
  int64_t waited = 0;          // cycles the head waited for links (set by the network)
  std::function<void(int64_t tail_cycle, int64_t waited)> deliver;  // called when the tail arrives
};

class Noc : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Noc);
  // `clk`: the clock in clocked mode (arbitration every negative edge), null in event mode.
  Noc(sc_core::sc_module_name name, const ArchConfig& arch, Mode mode, sc_core::sc_clock* clk);

  // Sends a packet whose head is ready at cycle `ready` (>= the current cycle).
  void send(Packet p);
  Waker& waker() { return waker_; }

  struct LinkState {
    int64_t free_at = 0;
    int64_t busy = 0;
    int64_t contention = 0;
    int64_t flits = 0;
  };
  const std::vector<LinkState>& links() const { return links_; }
  std::string link_name(int l) const { return arch_.noc.topology->link_name(l); }
  uint64_t activations() const { return activations_; }
  uint64_t handled() const { return handled_; }  // link grants

 private:
  struct InFlight {
    Packet p;
    std::vector<int> route;
    size_t hop = 0;
    int64_t request = 0;  // cycle the head requests route[hop]
  };
  void arbitrate();
  const std::vector<int>& route(int src, int dst);

  const ArchConfig& arch_;
  Mode mode_;
  Waker waker_;
  std::vector<LinkState> links_;
  std::vector<std::vector<int>> pending_;  // per link: indices into flight_
  std::vector<int> active_;                // links with pending requests
  std::vector<InFlight> flight_;
  std::vector<int> free_slots_;
  std::map<std::pair<int, int>, std::vector<int>> routes_;
  uint64_t activations_ = 0;
  uint64_t handled_ = 0;
  bool arbitrating_ = false;  // deliveries must not send (checked)
};

}  // namespace tessera::sc

#include "arch/sc/noc.hpp"

#include <algorithm>

namespace tessera::sc {

Noc::Noc(sc_core::sc_module_name name, const ArchConfig& arch, Mode mode, sc_core::sc_clock* clk)
    : sc_module(name), arch_(arch), mode_(mode), waker_("noc_wake") {
  waker_.set_mode(mode);
  links_.resize(arch.noc.topology->links());
  pending_.resize(links_.size());
  SC_METHOD(arbitrate);
  if (mode == Mode::Event) sensitive << waker_.event();
  else sensitive << clk->negedge_event();
  dont_initialize();
}

const std::vector<int>& Noc::route(int src, int dst) {
  auto key = std::make_pair(src, dst);
  auto it = routes_.find(key);
  if (it != routes_.end()) return it->second;
  std::vector<int> r;
  arch_.noc.topology->route(src, dst, r);
  return routes_.emplace(key, std::move(r)).first->second;
}

void Noc::send(Packet p) {
  sc_assert(!arbitrating_);
  const auto& r = route(p.src, p.dst);
  if (r.empty()) {  // same tile: no network
    // Posted during a cycle, a local transfer lands the next cycle: whatever
    // acts on it at a whole cycle must find it queued before that cycle.
    int64_t at = p.prio.ready;
    if (!p.local_same_cycle && now_ps() % kPsPerCycle == 0 && at <= now_cycle()) at = now_cycle() + 1;
    p.deliver(at, 0);
    return;
  }
  int slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = int(flight_.size());
    flight_.emplace_back();
  }
  InFlight& f = flight_[slot];
  f.route = r;
  f.hop = 0;
  f.request = p.prio.ready;
  f.p = std::move(p);
  int link = f.route[0];
  if (pending_[link].empty()) active_.push_back(link);
  pending_[link].push_back(slot);
  waker_.at(std::max(f.request, links_[link].free_at), 1);
}

void Noc::arbitrate() {
  waker_.fired();
  ++activations_;
  const int64_t t = now_cycle();
  arbitrating_ = true;
  int64_t next = kNever;
  std::vector<int> still_active;
  // Links are visited in index order; each grants at most one packet per cycle.
  std::sort(active_.begin(), active_.end());
  std::vector<std::pair<int, int>> moved;  // (link, slot) requests for the next hop
  for (int link : active_) {
    auto& q = pending_[link];
    LinkState& ls = links_[link];
    if (ls.free_at <= t) {
      int best = -1;
      for (size_t i = 0; i < q.size(); ++i) {
        const InFlight& f = flight_[q[i]];
        if (f.request > t) continue;
        if (best < 0) {
          best = int(i);
          continue;
        }
        const InFlight& b = flight_[q[best]];
        Priority pf = f.p.prio, pb = b.p.prio;
        pf.ready = f.request;
        pb.ready = b.request;
        if (pf < pb) best = int(i);
      }
      if (best >= 0) {
        int slot = q[best];
        q.erase(q.begin() + best);
        InFlight& f = flight_[slot];
        ++handled_;
        ls.contention += t - f.request;
        f.p.waited += t - f.request;
        ls.free_at = t + f.p.flits;
        ls.busy += f.p.flits;
        ls.flits += f.p.flits;
        if (f.hop + 1 == f.route.size()) {
          Packet done = std::move(f.p);
          free_slots_.push_back(slot);
          done.deliver(t + done.flits, done.waited);
        } else {
          f.hop++;
          f.request = t + arch_.noc.hop_cycles;
          moved.push_back({f.route[f.hop], slot});
        }
      }
    }
    if (!q.empty()) {
      still_active.push_back(link);
      int64_t earliest = kNever;
      for (int s : q) earliest = std::min(earliest, flight_[s].request);
      next = std::min(next, std::max(earliest, ls.free_at));
    }
  }
  arbitrating_ = false;
  active_.swap(still_active);
  for (auto [link, slot] : moved) {
    if (pending_[link].empty()) active_.push_back(link);
    pending_[link].push_back(slot);
    next = std::min(next, std::max(flight_[slot].request, links_[link].free_at));
  }
  if (next < kNever) waker_.at(std::max(next, t + 1), 1);
}

}  // namespace tessera::sc

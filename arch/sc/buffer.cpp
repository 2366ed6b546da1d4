#include "arch/sc/buffer.hpp"

#include <algorithm>

namespace tessera::sc {

Buffer::Buffer(sc_core::sc_module_name name, const StorageParams& params, Mode mode, sc_core::sc_clock* clk)
    : sc_module(name), params_(params), waker_("buffer_wake") {
  waker_.set_mode(mode);
  port_free_.assign(params.ports, 0);
  SC_METHOD(arbitrate);
  if (mode == Mode::Event) sensitive << waker_.event();
  else sensitive << clk->negedge_event();
  dont_initialize();
}

void Buffer::access(Request r) {
  waker_.at(r.prio.ready, 1);
  access_.push_back(std::move(r));
}

int64_t Buffer::grant_now(const Priority& prio, int64_t cycles, int64_t t) {
  size_t better = 0;
  for (const auto& r : access_)
    if (r.prio.ready <= t && r.prio < prio) ++better;
  // Ports free at t go to requests in priority order: this one gets the (better+1)-th.
  size_t seen = 0;
  for (size_t p = 0; p < port_free_.size(); ++p) {
    if (port_free_[p] > t) continue;
    if (seen++ < better) continue;
    ++handled;
    port_busy += cycles;
    port_free_[p] = t + cycles;
    return t;
  }
  return -1;
}

void Buffer::reserve(Request r, int64_t row, int64_t row_bits) {
  waker_.at(r.prio.ready, 1);
  reserve_.push_back({std::move(r), row, row_bits});
}

void Buffer::release(int64_t bits, int64_t at) {
  releases_.push_back({at, bits});
  if (!reserve_.empty()) waker_.at(at, 1);
}

int64_t Buffer::free_space(int64_t t) const {
  int64_t freed = 0;
  for (const auto& [at, bits] : releases_)
    if (at <= t) freed += bits;
  return space_ - reserved_ + freed;
}

void Buffer::arbitrate() {
  waker_.fired();
  ++activations;
  const int64_t t = now_cycle();
  int64_t next = kNever;
  auto best_ready = [&](std::vector<Request>& q) {
    int best = -1;
    for (size_t i = 0; i < q.size(); ++i) {
      if (q[i].prio.ready > t) continue;
      if (best < 0 || q[i].prio < q[best].prio) best = int(i);
    }
    return best;
  };
  // Ports, lowest index first.
  for (size_t p = 0; p < port_free_.size(); ++p) {
    if (port_free_[p] > t) continue;
    int b = best_ready(access_);
    if (b < 0) break;
    Request r = std::move(access_[b]);
    access_.erase(access_.begin() + b);
    ++handled;
    port_contention += t - r.prio.ready;
    port_busy += r.cycles;
    port_free_[p] = t + r.cycles;
    r.granted(t);
  }
  // Space, a row at a time in row order; messages of rows already reserved pass.
  for (bool progress = true; progress;) {
    progress = false;
    int b = -1;
    for (size_t i = 0; i < reserve_.size(); ++i) {
      const auto& q = reserve_[i];
      if (q.r.prio.ready > t || q.row > next_row_) continue;
      if (q.row == next_row_ && free_space(t) < q.row_bits) continue;
      if (b < 0 || q.r.prio < reserve_[b].r.prio) b = int(i);
    }
    if (b < 0) break;
    SpaceRequest q = std::move(reserve_[b]);
    reserve_.erase(reserve_.begin() + b);
    if (q.row == next_row_) {
      reserved_ += q.row_bits;
      ++next_row_;
    }
    ++handled;
    space_waits += t - q.r.prio.ready;
    q.r.granted(t);
    progress = true;
  }
  // Fold applied releases into the reservation count.
  int64_t applied = 0;
  for (auto it = releases_.begin(); it != releases_.end();) {
    if (it->first <= t) {
      applied += it->second;
      it = releases_.erase(it);
    } else {
      ++it;
    }
  }
  reserved_ -= applied;
  if (!access_.empty()) {
    int64_t port = *std::min_element(port_free_.begin(), port_free_.end());
    int64_t ready = kNever;
    for (const auto& r : access_) ready = std::min(ready, r.prio.ready);
    next = std::min(next, std::max({port, ready, t + 1}));
  }
  if (!reserve_.empty()) {
    int64_t ready = kNever;
    for (const auto& q : reserve_) ready = std::min(ready, q.r.prio.ready);
    int64_t rel = kNever;
    for (const auto& [at, bits] : releases_) rel = std::min(rel, at);
    // Waiting for space: the next release (or the next request becoming ready).
    next = std::min(next, std::max(t + 1, ready > t ? ready : rel));
  }
  if (next < kNever) waker_.at(next, 1);
}

}  // namespace tessera::sc

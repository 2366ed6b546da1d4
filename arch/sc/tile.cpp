#include "arch/sc/tile.hpp"

#include <algorithm>
#include <cmath>

#include "arch/sc/chip.hpp"

namespace tessera::sc {

Tile::Tile(sc_core::sc_module_name name, Chip& chip, int host, int index, Mode mode, sc_core::sc_clock* clk,
           bool record)
    : sc_module(name),
      chip_(chip),
      host_index_(host),
      index_(index),
      host_(chip.prog().hosts[host]),
      prog_(host_.tiles[index]),
      mode_(mode),
      waker_("tile_wake"),
      record_(record) {
  waker_.set_mode(mode);
  const auto& buf = chip.arch().unit_buffer(host_.tile_class);
  buffer_ = std::make_unique<Buffer>("buffer", buf, mode, clk);
  cols_ = host_.cols_of_replica(prog_.replica);
  rows_ = host_.out_rows;
  const int images = chip.images();
  per_image_ = cols_ * rows_;
  total_ = per_image_ * images;
  gates_.assign(images, 0);
  image_end_.assign(images, 0);
  row_done_.assign(rows_ * images, 0);
  sent_rows_.assign(host_.sends.size(), 0);
  // The ADC share of each mvm: input cycles x (conversion - read) when conversions are slower.
  if (!host_.on_ap) {
    const auto& m = prog_.at(Stage::Mvm);
    const int64_t t_read = chip.arch().cycles(chip.arch().tile_classes[host_.tile_class].crossbar.read_ns);
    const int64_t ic = host_.input_cycles;
    adc_stall_per_position_ = std::max<int64_t>(0, m.occupancy - ic * t_read);
  }
  // Streams: the layer's input, and remote operands of the hosted layers (home tiles).
  auto add_stream = [&](int layer) {
    Stream s;
    s.layer = layer;
    const Layer& l = chip.net().layers[layer];
    const bool from_input = chip.prog().host_of_layer[layer] < 0 || l.type == LayerType::Input;
    const auto& sends = from_input ? chip.prog().input_sends : chip.prog().hosts[chip.prog().host_of_layer[layer]].sends;
    for (const auto& rt : sends) {
      if (rt.layer != layer || rt.dst_tile != prog_.tile) continue;
      // Rows are numbered on across images with one stride: every sender sends the same rows.
      sc_assert(s.expected == 0 || s.rows == rt.rows);
      s.expected++;
      s.row_bits += rt.bits_per_row;
      s.rows = rt.rows;
    }
    s.got.assign(s.rows * images, 0);
    streams_.push_back(s);
  };
  add_stream(host_.input_layer);
  if (prog_.home)
    for (const auto& rn : host_.post_needs) add_stream(rn.layer);
  // Line-buffer space for the input stream (the program decided whether it is
  // flow-controlled and checked that the live rows fit). A stream of images
  // is always flow-controlled: a buffer that holds one image's input need not
  // hold the next one's too.
  buffer_->set_space(int64_t(buf.bytes * 8));
  streams_[0].flow = prog_.line_buffered || images > 1;
  SC_METHOD(step);
  if (mode == Mode::Event) sensitive << waker_.event();
  else sensitive << clk->posedge_event();
  // Runs once at time 0 in both modes.
}

bool Tile::flow_controlled(int layer) const {
  return !streams_.empty() && streams_[0].layer == layer && streams_[0].flow;
}

int64_t Tile::stream_row_bits(int layer) const {
  for (const auto& s : streams_)
    if (s.layer == layer) return s.row_bits;
  return 0;
}

Tile::Stream* Tile::stream(int layer) {
  for (auto& s : streams_)
    if (s.layer == layer) return &s;
  return nullptr;
}

void Tile::row_arrived(int layer, int64_t row, int64_t at) {
  Stream* s = stream(layer);
  sc_assert(s);
  s->arrivals.push_back({at, row});
  waker_.at(at);
}

void Tile::psum_arrived(int64_t pos, int64_t at) {
  psum_pending_.push_back({at, pos});
  waker_.at(at);
}

void Tile::open_gate(int image, int64_t cycle) {
  gates_[image] = cycle;
  waker_.at(cycle);
}

void Tile::mark(Stage s, int64_t start, int64_t end) {
  busy[static_cast<int>(s)] += end - start;
  if (first_start_ < 0 || start < first_start_) first_start_ = start;
  if (!record_) return;
  auto& v = intervals_[static_cast<int>(s)];
  if (!v.empty() && v.back().end >= start) v.back().end = std::max(v.back().end, end);
  else v.push_back({start, end});
}

void Tile::add_stall(StallCause c, int64_t from, int64_t to) {
  if (to <= from) return;
  stall[static_cast<int>(c)] += to - from;
  if (!record_) return;
  auto& v = stall_intervals_[static_cast<int>(c)];
  if (!v.empty() && v.back().end >= from) v.back().end = std::max(v.back().end, to);
  else v.push_back({from, to});
}

void Tile::step() {
  waker_.fired();
  ++activations_;
  const int64_t t = now_cycle();

  // Rows whose last bits were written by now.
  for (auto& s : streams_) {
    for (auto it = s.arrivals.begin(); it != s.arrivals.end();) {
      if (it->first <= t) {
        s.got[it->second]++;
        ++handled_;
        it = s.arrivals.erase(it);
      } else {
        ++it;
      }
    }
    while (s.complete < int64_t(s.got.size()) && s.got[s.complete] >= s.expected) s.complete++;
  }
  // Partial sums that arrived by now (one per sender and position, in order per sender).
  for (auto it = psum_pending_.begin(); it != psum_pending_.end();) {
    if (it->first <= t) {
      int64_t idx = it->second - psum_base_;
      while (int64_t(psum_count_.size()) <= idx) psum_count_.push_back({0, 0});
      psum_count_[idx].first++;
      ++handled_;
      psum_count_[idx].second = std::max(psum_count_[idx].second, it->first);
      it = psum_pending_.erase(it);
    } else {
      ++it;
    }
  }

  start_stages(t);

  // Positions finished by now, in order.
  while (!done_q_.empty() && done_q_.front().ready <= t) {
    const int64_t pos = done_q_.front().pos;
    const int64_t end = done_q_.front().ready;
    done_q_.pop_front();
    completed_++;
    ++handled_;
    last_end_ = std::max(last_end_, end);
    const int64_t y = row_of(pos);
    if (++row_done_[y] == cols_) {
      while (rows_complete_ < int64_t(row_done_.size()) && row_done_[rows_complete_] == cols_)
        finish_row(rows_complete_++, t);
    }
    if (completed_ % per_image_ == 0) {
      const int64_t image = completed_ / per_image_ - 1;
      image_end_[image] = last_end_;
      chip_.tile_done(host_index_, int(image), end);
    }
  }

  if (mode_ == Mode::Clocked) return;
  // The next cycle at which anything here can change.
  int64_t next = kNever;
  auto consider = [&](int64_t c) {
    if (c > t) next = std::min(next, c);
  };
  if (!mvm_q_.empty()) consider(std::max(mvm_q_.front().ready, mvm_free_));
  if (!reduce_q_.empty()) consider(std::max(reduce_q_.front().ready, reduce_free_));
  if (!post_q_.empty()) consider(std::max(post_q_.front().ready, post_free_));
  if (!done_q_.empty()) consider(done_q_.front().ready);
  if (next_fetch_ < total_ && !fetch_waiting_) consider(std::max(fetch_free_, gates_[image_of(next_fetch_)]));
  for (const auto& s : streams_)
    for (const auto& a : s.arrivals) consider(a.first);
  for (const auto& p : psum_pending_) consider(p.first);
  if (next < kNever) waker_.at(next);
}

void Tile::start_stages(int64_t t) {
  const HostProgram& h = host_;
  const Stream& in = streams_[0];
  // fetch: one request at a time, rows of the window present, server free.
  if (!fetch_waiting_ && next_fetch_ < total_ && fetch_free_ <= t && gates_[image_of(next_fetch_)] <= t &&
      has_rows(in, image_of(next_fetch_), h.fetch_need[local_row(row_of(next_fetch_))])) {
    fetch_waiting_ = true;
    ++handled_;
    fetch_requested_at_ = t;
    const int64_t pos = next_fetch_;
    // Waiting since the server was free counts as waiting for input.
    add_stall(StallCause::Input, fetch_free_, t);
    Buffer::Request r;
    r.prio = {t, Buffer::kRead, prog_.tile, seq_++};
    r.cycles = std::max<int64_t>(1, prog_.buffer_port_cycles);
    auto granted = [this, pos](int64_t g) {
      const auto& f = prog_.at(Stage::Fetch);
      add_stall(StallCause::BufferPort, fetch_requested_at_, g);
      fetch_waiting_ = false;
      fetch_free_ = g + f.occupancy;
      next_fetch_ = pos + 1;
      mark(Stage::Fetch, g, g + f.occupancy);
      mvm_q_.push_back({pos, g + f.latency});
      // Rows no later window reads are returned to the line buffer when this fetch ends.
      Stream& s = streams_[0];
      const int64_t y = local_row(row_of(pos));
      if (s.flow && (pos + 1) % cols_ == 0) {
        // After the last group: every row of the image sent here (no reservation outlives the stream).
        const int64_t keep_from = image_of(pos) * s.rows + (y + 1 < rows_ ? host_.keep_from[y + 1] : s.rows);
        if (keep_from > s.released) {
          buffer_->release((keep_from - s.released) * s.row_bits, g + f.occupancy);
          s.released = keep_from;
        }
      }
      waker_.at(std::min(g + f.occupancy, g + f.latency));
    };
    const int64_t g = buffer_->grant_now(r.prio, r.cycles, t);
    if (g >= 0) {
      granted(g);
    } else {
      r.granted = granted;
      buffer_->access(std::move(r));
    }
  }

  // mvm
  while (!mvm_q_.empty() && mvm_q_.front().ready <= t && mvm_free_ <= t) {
    const Item it = mvm_q_.front();
    mvm_q_.pop_front();
    ++handled_;
    const auto& m = prog_.at(Stage::Mvm);
    mvm_free_ = t + m.occupancy;
    mark(Stage::Mvm, t, t + m.occupancy);
    stall[static_cast<int>(StallCause::Adc)] += adc_stall_per_position_;
    events += prog_.events_per_position;
    const int64_t done = t + m.latency;
    if (FunctionalHooks* f = chip_.hooks()) f->mvm(host_index_, index_, it.pos);
    for (const auto& ps : prog_.psum_sends) {
      Packet p;
      p.src = prog_.tile;
      p.dst = ps.home_tile;
      p.bits = ps.bits;
      p.flits = flits(chip_.arch(), ps.bits);
      p.prio = {done, 0, prog_.tile, seq_++};
      Tile* home = chip_.tile(host_index_, ps.home_tile);
      const int64_t pos = it.pos;
      p.deliver = [home, pos](int64_t at, int64_t) { home->psum_arrived(pos, at); };
      events += transfer_events(chip_.arch(), prog_.tile, ps.home_tile, ps.bits, true, false);
      chip_.noc().send(std::move(p));
    }
    if (!prog_.home) done_q_.push_back({it.pos, done});
    else if (prog_.at(Stage::Reduce).occupancy > 0) reduce_q_.push_back({it.pos, done});
    else if (prog_.at(Stage::Post).occupancy > 0) post_q_.push_back({it.pos, done});
    else done_q_.push_back({it.pos, done});
  }

  // reduce: own partial sums ready and every sender's arrived.
  while (!reduce_q_.empty() && reduce_free_ <= t) {
    const Item it = reduce_q_.front();
    int64_t ready = it.ready;
    if (prog_.psum_senders > 0) {
      int64_t idx = it.pos - psum_base_;
      if (idx >= int64_t(psum_count_.size()) || psum_count_[idx].first < prog_.psum_senders) break;
      ready = std::max(ready, psum_count_[idx].second);
    }
    if (ready > t) break;
    if (prog_.psum_senders > 0) {
      // Late partial sums: waiting on the network.
      add_stall(StallCause::Network, std::max(it.ready, reduce_free_), ready);
      while (psum_base_ <= it.pos) {
        psum_count_.pop_front();
        psum_base_++;
      }
    }
    reduce_q_.pop_front();
    ++handled_;
    const auto& r = prog_.at(Stage::Reduce);
    reduce_free_ = t + r.occupancy;
    mark(Stage::Reduce, t, t + r.occupancy);
    if (prog_.at(Stage::Post).occupancy > 0) post_q_.push_back({it.pos, t + r.latency});
    else done_q_.push_back({it.pos, t + r.latency});
  }

  // post: remote operands of the hosted layers present.
  while (!post_q_.empty() && post_q_.front().ready <= t && post_free_ <= t) {
    const Item it = post_q_.front();
    const int64_t y = local_row(row_of(it.pos));
    bool ok = true;
    for (size_t k = 0; k < h.post_needs.size(); ++k) {
      const Stream* s = stream(h.post_needs[k].layer);
      if (!has_rows(*s, image_of(it.pos), h.post_needs[k].rows[y])) ok = false;
    }
    if (!ok) break;
    add_stall(StallCause::Dependency, std::max(it.ready, post_free_), t);
    post_q_.pop_front();
    ++handled_;
    const auto& p = prog_.at(Stage::Post);
    post_free_ = t + p.occupancy;
    mark(Stage::Post, t, t + p.occupancy);
    done_q_.push_back({it.pos, t + p.latency});
  }
}

void Tile::finish_row(int64_t y, int64_t t) {
  if (!prog_.home) return;
  // Before the rows leave: the functional values of the row exist by the time they are sent.
  chip_.home_row_done(host_index_, local_row(y));
  send_rows(t);
}

// Rows of this host's layers that are now complete on this tile leave for their consumers.
void Tile::send_rows(int64_t t) {
  const HostProgram& h = host_;
  for (size_t i = 0; i < h.sends.size(); ++i) {
    const RowTransfer& rt = h.sends[i];
    if (rt.src_tile != prog_.tile) continue;
    // Rows over the stream: image k's rows of the layer follow image k - 1's.
    const int64_t image = (rows_complete_ - 1) / rows_;
    const int64_t done = image * rt.rows + std::min(rt.rows, h.rows_done(rt.layer, local_row(rows_complete_ - 1)));
    for (int64_t z = sent_rows_[i]; z < done; ++z) chip_.send_row(rt, prog_.tile, z, t, seq_++, events, this);
    sent_rows_[i] = std::max(sent_rows_[i], done);
  }
}

std::string Tile::describe_state() const {
  std::string s = "next fetch " + std::to_string(next_fetch_);
  if (next_fetch_ < total_)
    s += " (image " + std::to_string(image_of(next_fetch_)) + ") needs " +
         std::to_string(host_.fetch_need[local_row(row_of(next_fetch_))]) + " input rows of its image";
  for (const auto& st : streams_)
    s += "; layer " + std::to_string(st.layer) + " rows complete " + std::to_string(st.complete) + "/" +
         std::to_string(st.got.size()) + (st.flow ? " (flow-controlled)" : "");
  return s;
}

// A stream of images reports what one inference did: counts are means per
// image, times those of image 0 (the simulation's cost, activations, is the run's).
void Tile::write_stats(stats::Group& g) const {
  const double per = 1.0 / double(gates_.size());
  const int64_t end0 = image_end_[0];
  g.scalar("positions", "output positions processed").value = double(completed_) * per;
  g.scalar("first_start_cycle", "first fetch").value = double(first_start_);
  g.scalar("last_end_cycle", "last position complete").value = double(end0);
  g.scalar("activations", "controller evaluations").value = double(activations_);
  for (int s = 0; s < kStages; ++s) {
    auto& sg = g.child(to_string(static_cast<Stage>(s)));
    sg.scalar("busy_cycles", "cycles the stage was busy").value = double(busy[s]) * per;
    const int64_t span = end0 - std::max<int64_t>(0, first_start_);
    sg.scalar("utilisation", "busy / (last end - first start)").value = span > 0 ? double(busy[s]) * per / double(span) : 0;
  }
  std::vector<std::string> causes;
  for (int c = 0; c < kStallCauses; ++c) causes.push_back(to_string(static_cast<StallCause>(c)));
  auto& v = g.vector("stall_cycles", "cycles stages waited, by cause", causes);
  for (int c = 0; c < kStallCauses; ++c) v.values[c] = double(stall[c]) * per;
  auto& b = g.child("buffer");
  b.scalar("port_busy_cycles", "").value = double(buffer_->port_busy) * per;
  b.scalar("port_contention_cycles", "").value = double(buffer_->port_contention) * per;
  b.scalar("space_wait_cycles", "").value = double(buffer_->space_waits) * per;
  g.scalar("incoming_network_wait_cycles", "cycles incoming rows waited for links and the write port").value =
      double(incoming_wait) * per;
  const EventCounts events = this->events.scaled(per);
  auto& e = g.child("events");
  for (int i = 0; i < kEvents; ++i)
    if (events.n[i] != 0) e.scalar(to_string(static_cast<Event>(i)), "").value = events.n[i];

  // The tile's units (modelled inside the controller), as the hardware names them.
  const ArchConfig& a = chip_.arch();
  const int64_t span = std::max<int64_t>(1, end0 - std::max<int64_t>(0, first_start_));
  auto unit = [&](const char* name, double ops, double ops_per_cycle) {
    auto& u = g.child(name);
    u.scalar("operations", "").value = ops;
    if (ops_per_cycle > 0) {
      u.scalar("busy_cycles", "operations / peak rate").value = ops / ops_per_cycle;
      u.scalar("utilisation", "busy / span").value = ops / ops_per_cycle / double(span);
    }
  };
  if (host_.on_ap) {
    const ApClassParams& ac = a.ap_class(host_.tile_class);
    unit("cam", events[Event::ApCompare] + events[Event::ApWrite], 0);
    g.child("cam").scalar("busy_cycles", "compute stage").value = double(busy[static_cast<int>(Stage::Mvm)]) * per;
    unit("racetrack", events[Event::RtmShift] + events[Event::RtmRead] + events[Event::RtmWrite], 0);
    unit("activation", events[Event::ActivationOp], ac.activation.throughput());
    unit("pooling", events[Event::PoolOp], ac.pooling.throughput());
    return;
  }
  const TileClassParams& tc = a.tile_classes[host_.tile_class];
  // Read phases per input cycle over all the tile's arrays (one per array when all rows are read at once).
  const double phases = double(prog_.events_per_position[Event::CrossbarRead]) / std::max(1, host_.input_cycles);
  const double xbars = prog_.arrays;
  unit("crossbars", events[Event::CrossbarRead], phases / double(a.cycles(tc.crossbar.read_ns)));
  unit("dacs", events[Event::DacConversion], 0);
  unit("sample_holds", events[Event::Sample], 0);
  // Every ADC of the IMAs the layer occupies, at its sample rate.
  const double imas = std::ceil(xbars / tc.ima.crossbars);
  unit("adcs", events[Event::AdcConversion], imas * tc.adc.count * tc.adc.conversions_per_ns() / a.clock_ghz);
  unit("shift_adds", events[Event::ShiftAddOp], imas * tc.ima.shift_add.throughput());
  unit("reduce", events[Event::ReduceOp], tc.reduce.throughput());
  unit("activation", events[Event::ActivationOp], tc.activation.throughput());
  unit("pooling", events[Event::PoolOp], tc.pooling.throughput());
}

}  // namespace tessera::sc

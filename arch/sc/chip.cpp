#include "arch/sc/chip.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <sstream>

#include "arch/analytical/model.hpp"
#include "arch/cost/cost_table.hpp"

namespace tessera::sc {

// ---------------------------------------------------------------- OffChip

// The interface works in the arbitration phase: a row released at cycle r is
// posted half a cycle before, so even a transfer into the entry tile's own
// buffer is queued before that tile acts at r.
OffChip::OffChip(sc_core::sc_module_name name, Chip& chip, Mode mode, sc_core::sc_clock* clk)
    : sc_module(name), chip_(chip), waker_("offchip_wake") {
  waker_.set_mode(mode);
  SC_METHOD(release);
  if (mode == Mode::Event) sensitive << waker_.event();
  else sensitive << clk->negedge_event();
  const auto& image_rows = chip.prog().input_rows_at[0];
  image_period_ = image_rows.empty() ? 0 : image_rows.back();
}

// Sends every input transfer whose row is complete on the input stream by the
// next cycle. Rows are numbered on across the images of a stream (image k's
// row r is k * rows + r) and image k enters k image periods after image 0.
void OffChip::release() {
  waker_.fired();
  ++activations_;
  const int64_t t = now_cycle() + 1;  // now is t - 1/2
  const Program& p = chip_.prog();
  const int64_t images = chip_.images();
  int64_t next = kNever;
  for (size_t i = 0; i < p.input_sends.size(); ++i) {
    const RowTransfer& rt = p.input_sends[i];
    const auto& at = p.input_rows_at[rt.layer];
    const int64_t rows = std::min<int64_t>(rt.rows, int64_t(at.size()));
    if (rows <= 0) continue;
    auto& sent = chip_.input_sent_[i];
    auto row_at = [&](int64_t row) { return at[row % rt.rows] + row / rt.rows * image_period_; };
    while (sent < rt.rows * images) {
      if (sent % rt.rows >= rows) {  // rows the input stream never has: none of the image's
        sent += rt.rows - sent % rt.rows;
        continue;
      }
      if (row_at(sent) > t) break;
      chip_.send_row(rt, -1, sent, row_at(sent), seq_++, chip_.io_events);
      ++handled_;
      ++sent;
    }
    if (sent < rt.rows * images) next = std::min(next, row_at(sent));
  }
  if (next < kNever) waker_.at(next - 1, 1);
}

void OffChip::output(int64_t bits, int64_t arrival, int image) {
  ++handled_;
  out_free_ = std::max(out_free_, arrival) + offchip_cycles(chip_.prog(), bits);
  ++outputs_;
  chip_.output_done(image, out_free_);
}

// ---------------------------------------------------------------- Chip

Chip::Chip(sc_core::sc_module_name name, const Network& net, const ArchConfig& arch, const Program& prog,
           const SimOptions& opt)
    : sc_module(name), net_(net), arch_(arch), prog_(prog), opt_(opt) {
  sc_core::sc_clock* clk = nullptr;
  if (opt.mode == Mode::Clocked) {
    clk_ = std::make_unique<sc_core::sc_clock>("clk", sc_core::sc_time(double(kPsPerCycle), sc_core::SC_PS));
    clk = clk_.get();
  }
  noc_ = std::make_unique<Noc>("noc", arch, opt.mode, clk);
  offchip_ = std::make_unique<OffChip>("offchip", *this, opt.mode, clk);
  if (opt.images < 1 || (opt.hooks && opt.images > 1))
    throw std::logic_error("simulate_chip: a stream needs at least one image, the functional datapath exactly one");
  input_sent_.assign(prog.input_sends.size(), 0);
  host_tiles_.resize(prog.hosts.size());
  host_end_.assign(prog.hosts.size(), std::vector<int64_t>(opt.images, -1));
  outputs_seen_.assign(opt.images, 0);
  output_end_.assign(opt.images, 0);
  for (size_t h = 0; h < prog.hosts.size(); ++h) {
    for (size_t i = 0; i < prog.hosts[h].tiles.size(); ++i) {
      std::string nm = net.layers[prog.hosts[h].layer].name + ".tile" + std::to_string(prog.hosts[h].tiles[i].tile);
      for (char& c : nm)
        if (c == '.' || c == ' ') c = '_';
      tiles_.push_back(std::make_unique<Tile>(nm.c_str(), *this, int(h), int(i), opt.mode, clk, opt.record_intervals));
      host_tiles_[h].push_back(tiles_.back().get());
      by_key_[{int(h), prog.hosts[h].tiles[i].tile}] = tiles_.back().get();
    }
  }
  for (const auto& ht : host_tiles_) tiles_left_.push_back(std::vector<int>(opt.images, int(ht.size())));
  if (opt.hooks) {
    home_tiles_.assign(prog.hosts.size(), 0);
    home_rows_.resize(prog.hosts.size());
    for (size_t h = 0; h < prog.hosts.size(); ++h) {
      for (const auto& tp : prog.hosts[h].tiles) home_tiles_[h] += tp.home ? 1 : 0;
      home_rows_[h].assign(prog.hosts[h].out_rows, 0);
    }
  }
  // The output leaves once per row and sender.
  int out_host = prog.host_of_layer[prog.output_layer];
  if (out_host >= 0)
    for (const auto& rt : prog.hosts[out_host].sends)
      if (rt.dst_tile < 0) outputs_expected_ += int(rt.rows);
  // Gates: the layer schedule runs hosts one after the other; weight-reload
  // rounds one after the other. In a stream, an image after the first enters
  // the layer schedule once the previous image has left it, and with weight
  // reload once round 0's weights are programmed again.
  host_order_ = tessera::host_order(net, prog);
  order_pos_.assign(prog.hosts.size(), 0);
  for (size_t i = 0; i < host_order_.size(); ++i) order_pos_[host_order_[i]] = int(i);
  const bool layered = arch.mapping.schedule == "layer";
  for (size_t h = 0; h < prog.hosts.size(); ++h)
    for (int k = 0; k < opt.images; ++k) {
      const bool gated = prog.hosts[h].round > 0 || (layered && order_pos_[h] > 0) ||
                         (k > 0 && (layered || prog.rounds > 1));
      if (gated) open_host(int(h), k, kNever);
    }
  if (opt.mode == Mode::Clocked) {
    SC_METHOD(watchdog);
    sensitive << clk->posedge_event();
    dont_initialize();
  }
}

Chip::~Chip() = default;

Tile* Chip::tile(int host, int tile_id) {
  auto it = by_key_.find({host, tile_id});
  return it == by_key_.end() ? nullptr : it->second;
}

void Chip::send_row(const RowTransfer& rt, int src_tile, int64_t row, int64_t ready, uint64_t seq, EventCounts& charge,
                    Tile* from) {
  const int src = endpoint(prog_, src_tile);
  const int dst = endpoint(prog_, rt.dst_tile);
  charge += transfer_events(arch_, src, dst, rt.bits_per_row, src_tile >= 0, rt.dst_tile >= 0);
  Packet p;
  p.src = src;
  p.dst = dst;
  p.bits = rt.bits_per_row;
  p.flits = flits(arch_, rt.bits_per_row);
  p.prio = {ready, 0, src_tile, seq};
  if (rt.dst_tile < 0) {
    OffChip* oc = offchip_.get();
    const int64_t bits = rt.bits_per_row;
    const int image = int(row / rt.rows);
    p.deliver = [oc, bits, image](int64_t at, int64_t) { oc->output(bits, at, image); };
    p.local_same_cycle = true;  // the interface only serialises; nothing arbitrates it at whole cycles
    noc_->send(std::move(p));
    return;
  }
  Tile* d = tile(rt.dst_host, rt.dst_tile);
  sc_assert(d);
  const int layer = rt.layer;
  const int64_t bits = rt.bits_per_row;
  const int64_t wc = write_cycles(bits, arch_.unit_buffer(prog_.hosts[rt.dst_host].tile_class).width_bits);
  // On arrival the data are written into the destination buffer through a port.
  // The packet's waits on links and for the write port delay the row: the
  // receiving tile keeps them as network delay of its incoming data.
  p.deliver = [d, layer, row, wc, src_tile, seq](int64_t at, int64_t waited) {
    Buffer::Request w;
    w.prio = {at, Buffer::kWrite, src_tile, seq};
    w.cycles = wc;
    w.granted = [d, layer, row, wc, at, waited](int64_t g) {
      d->row_arrived(layer, row, g + wc);
      d->incoming_wait += waited + (g - at);
    };
    d->buffer().access(std::move(w));
  };
  if (!d->flow_controlled(layer)) {
    noc_->send(std::move(p));
    return;
  }
  // Credit-based flow control: reserve line-buffer space, inject the cycle after the grant.
  Buffer::Request r;
  r.prio = {ready, 0, src_tile, seq};
  auto shared = std::make_shared<Packet>(std::move(p));
  r.granted = [this, shared, from](int64_t g) {
    output_space_wait_ += g - shared->prio.ready;
    if (from) from->output_space_wait(shared->prio.ready, g);
    shared->prio.ready = g + 1;
    noc_->send(std::move(*shared));
  };
  d->buffer().reserve(std::move(r), row, d->stream_row_bits(layer));
}

void Chip::open_host(int host, int image, int64_t cycle) {
  for (Tile* t : host_tiles_[host]) t->open_gate(image, cycle);
}

void Chip::tile_done(int host, int image, int64_t cycle) {
  host_end_[host][image] = std::max(host_end_[host][image], cycle);
  if (--tiles_left_[host][image] > 0) return;
  last_progress_ = cycle;
  const bool layered = arch_.mapping.schedule == "layer";
  const int pos = order_pos_[host];
  // Layer schedule: the next layer in order may start the cycle after (the
  // first layer with the next image after the last layer).
  if (layered) {
    const bool last = pos + 1 == int(host_order_.size());
    if (last && image + 1 == opt_.images) return;
    const int next = host_order_[last ? 0 : pos + 1];
    int64_t gate = cycle + 1;
    if (prog_.hosts[next].round != prog_.hosts[host].round) gate += prog_.reload_cycles;
    open_host(next, last ? image + 1 : image, gate);
    return;
  }
  // Weight reload: when a round is complete, the next one starts after
  // reprogramming; after the last round, round 0 of the next image.
  const int round = prog_.hosts[host].round;
  int64_t end = 0;
  for (size_t h = 0; h < prog_.hosts.size(); ++h) {
    if (prog_.hosts[h].round != round) continue;
    if (tiles_left_[h][image] > 0) return;
    end = std::max(end, host_end_[h][image]);
  }
  const bool last = round + 1 == prog_.rounds;
  if (last && (prog_.rounds == 1 || image + 1 == opt_.images)) return;
  for (size_t h = 0; h < prog_.hosts.size(); ++h)
    if (prog_.hosts[h].round == (last ? 0 : round + 1)) open_host(int(h), last ? image + 1 : image, end + prog_.reload_cycles + 1);
}

void Chip::home_row_done(int host, int64_t y) {
  if (!opt_.hooks) return;
  // Each tile completes its rows in order, so row y fills up only after row y - 1.
  if (++home_rows_[host][y] == home_tiles_[host]) opt_.hooks->row_done(host, y);
}

void Chip::output_done(int image, int64_t cycle) {
  ++outputs_seen_[image];
  output_end_[image] = std::max(output_end_[image], cycle);
  if (finished() && opt_.mode == Mode::Clocked) sc_core::sc_stop();
}

bool Chip::finished() const {
  for (int seen : outputs_seen_)
    if (seen < outputs_expected_) return false;
  for (const auto& per_image : tiles_left_)
    for (int left : per_image)
      if (left > 0) return false;
  return true;
}

void Chip::watchdog() {
  const int64_t t = now_cycle();
  int64_t mark = 0;
  for (int seen : outputs_seen_) mark += seen;
  for (const auto& tl : tiles_) mark += tl->completed();
  if (mark != progress_mark_) {
    progress_mark_ = mark;
    last_progress_ = t;
  } else if (t - last_progress_ > opt_.watchdog_cycles) {
    stalled_ = true;
    sc_core::sc_stop();
  }
}

double steady_interval(const std::vector<int64_t>& image_end) {
  const size_t n = image_end.size();
  if (n < 2) return 0;
  if (n < 4) return double(image_end[n - 1] - image_end[n - 2]);
  // Images with a predecessor and a successor, from the middle of the stream on.
  const size_t from = std::max<size_t>(1, (n - 1) / 2), to = n - 2;
  return double(image_end[to] - image_end[from]) / double(to - from);
}

std::vector<int64_t> Chip::image_ends() const {
  std::vector<int64_t> end = output_end_;
  for (const auto& t : tiles_)
    for (int k = 0; k < opt_.images; ++k) end[k] = std::max(end[k], t->image_end(k));
  return end;
}

// Per inference: a stream's counts are divided by its images (rounded for cycle counts).
static int64_t per_image(int64_t total, int images) { return (total + images / 2) / images; }

RunResult Chip::result() const {
  RunResult r;
  r.model = opt_.mode == Mode::Clocked ? "simulation (clocked)" : "simulation";
  r.schedule = arch_.mapping.schedule;
  r.images = opt_.images;
  r.image_end = image_ends();
  r.cycles = r.image_end[0];
  r.interval_cycles = steady_interval(r.image_end);
  const int n = opt_.images;
  const double per = 1.0 / n;
  r.hosts.resize(prog_.hosts.size());
  for (size_t h = 0; h < prog_.hosts.size(); ++h) {
    HostResult& hr = r.hosts[h];
    hr.start = -1;
    for (const Tile* t : host_tiles_[h]) {
      if (hr.start < 0 || (t->first_start() >= 0 && t->first_start() < hr.start)) hr.start = t->first_start();
      hr.end = std::max(hr.end, t->image_end(0));
      hr.events += t->events.scaled(per);
      for (int s = 0; s < kStages; ++s) hr.busy[s] += per_image(t->busy[s], n);
      for (int c = 0; c < kStallCauses; ++c) hr.stall[c] += per_image(t->stall[c], n);
      hr.incoming_wait = std::max(hr.incoming_wait, per_image(t->incoming_wait, n));
    }
    hr.layer_latency = layer_latency(host_pipeline(arch_, prog_.hosts[h]), prog_.hosts[h].out_rows *
                                                                               prog_.hosts[h].cols_of_replica(0));
  }
  r.io_events = prog_.io_events;
  r.io_events += io_events.scaled(per);
  r.reload_events = prog_.reload_events.scaled(prog_.rounds - 1);
  r.reload_cycles = prog_.reload_cycles * (prog_.rounds - 1);
  uint64_t act = noc_->activations() + offchip_->activations();
  uint64_t handled = noc_->handled() + offchip_->handled();
  for (const auto& t : tiles_) {
    act += t->activations() + t->buffer().activations;
    handled += t->handled() + t->buffer().handled;
  }
  r.sim_events = handled;
  r.sim_activations = act;
  const auto& links = noc_->links();
  for (size_t l = 0; l < links.size(); ++l)
    if (links[l].busy || links[l].contention)
      r.links.push_back({noc_->link_name(int(l)), per_image(links[l].busy, n), per_image(links[l].contention, n)});
  return r;
}

void Chip::write_stats(stats::Group& root) const {
  auto& chip = root.child("chip");
  const int n = opt_.images;
  const double per = 1.0 / n;
  const std::vector<int64_t> ends = image_ends();
  chip.scalar("cycles", "inference cycles").value = double(ends[0]);
  chip.scalar("output_space_wait_cycles", "cycles row sends waited for line-buffer space").value =
      double(output_space_wait_) * per;
  if (n > 1) {
    auto& st = chip.child("stream");
    st.scalar("images", "images simulated back to back").value = n;
    st.scalar("interval_cycles", "steady-state interval between consecutive outputs").value = steady_interval(ends);
    std::vector<std::string> names;
    for (int k = 0; k < n; ++k) names.push_back("image" + std::to_string(k));
    auto& v = st.vector("end_cycles", "cycle each image's last output bit left the chip", names);
    for (int k = 0; k < n; ++k) v.values[k] = double(ends[k]);
  }
  const CostTable cost(arch_);
  for (size_t h = 0; h < prog_.hosts.size(); ++h) {
    auto& lg = chip.child(net_.layers[prog_.hosts[h].layer].name);
    for (const Tile* t : host_tiles_[h]) {
      auto& tg = lg.child("tile" + std::to_string(t->tile_id()));
      t->write_stats(tg);
      // The tile's energy by component: its events priced by the cost table.
      const ComponentValues e = cost.energy_by_component(prog_.hosts[h].tile_class, t->events.scaled(per));
      auto& eg = tg.child("energy_pj");
      for (int c = 0; c < kComponents; ++c)
        if (e[c] != 0) eg.scalar(to_string(static_cast<Component>(c)), "").value = e[c];
    }
  }
  auto& noc = chip.child("noc");
  int64_t busy = 0, contention = 0;
  for (const auto& l : noc_->links()) {
    busy += l.busy;
    contention += l.contention;
  }
  noc.scalar("link_busy_cycles", "sum over links").value = double(busy) * per;
  noc.scalar("link_contention_cycles", "cycles packets waited for links").value = double(contention) * per;
  noc.scalar("activations", "arbiter evaluations").value = double(noc_->activations());
  auto& oc = chip.child("offchip");
  oc.scalar("outputs", "output transfers").value = double(offchip_->outputs()) * per;
  oc.scalar("done_cycle", "last output bit").value = double(n > 1 ? output_end_[0] : offchip_->done_at());
}

// ---------------------------------------------------------------- run

RunResult simulate_chip(const Network& net, const ArchConfig& arch, const Program& prog, const SimOptions& opt_in,
                        stats::Group* stats_out,
                        std::vector<TileActivity>* activity) {
  SimOptions opt = opt_in;
  if (opt.mode == Mode::Clocked && opt.watchdog_cycles <= 0) {
    opt.watchdog_cycles = std::max<int64_t>(100000, 10 * analytical_run(net, arch, prog).cycles);
  }
  // Informational kernel messages (such as "simulation stopped by user") stay out of reports.
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  Chip chip("chip", net, arch, prog, opt);
  // Wall time of the simulation proper (elaboration excluded).
  auto t0 = std::chrono::steady_clock::now();
  sc_core::sc_start();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!chip.finished()) {
    std::ostringstream os;
    os << "simulation stalled at cycle " << now_cycle() << " with work left:";
    int listed = 0, left = 0;
    for (size_t h = 0; h < prog.hosts.size(); ++h)
      for (const Tile* t : chip.host_tiles(int(h)))
        if (!t->done() && ++left <= 6) {
          os << " " << net.layers[prog.hosts[h].layer].name << "/tile" << t->tile_id() << " (" << t->completed() << " of "
             << t->total() << " positions; " << t->describe_state() << ")";
          ++listed;
        }
    if (left > listed) os << " and " << (left - listed) << " more tiles";
    throw std::runtime_error(os.str());
  }
  RunResult r = chip.result();
  r.wall_seconds = wall;
  if (stats_out) chip.write_stats(*stats_out);
  if (activity) {
    for (size_t h = 0; h < prog.hosts.size(); ++h)
      for (const Tile* t : chip.host_tiles(int(h))) {
        TileActivity a;
        a.name = net.layers[prog.hosts[h].layer].name + "/tile" + std::to_string(t->tile_id());
        for (int s = 0; s < kStages; ++s) a.busy[s] = t->intervals(static_cast<Stage>(s));
        for (int c = 0; c < kStallCauses; ++c) a.stalls[c] = t->stall_intervals(static_cast<StallCause>(c));
        activity->push_back(std::move(a));
      }
  }
  return r;
}

}  // namespace tessera::sc

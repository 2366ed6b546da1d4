#include "arch/analytical/model.hpp"

#include <algorithm>
#include <chrono>
#include <map>

namespace tessera {

const char* to_string(StallCause c) {
  static const char* names[] = {"input", "adc", "buffer_port", "network", "output_space", "dependency"};
  return names[static_cast<int>(c)];
}

HostPipeline host_pipeline(const ArchConfig& arch, const HostProgram& h) {
  auto max_of = [&](Stage s, bool home_only) {
    StageTime m;
    for (const auto& t : h.tiles) {
      if (home_only && !t.home) continue;
      m.occupancy = std::max(m.occupancy, t.at(s).occupancy);
      m.latency = std::max(m.latency, t.at(s).latency);
    }
    return m;
  };
  HostPipeline p;
  p.stages.push_back(max_of(Stage::Fetch, false));
  p.stages.push_back(max_of(Stage::Mvm, false));
  // Partial sums: the home tile's ejection link carries every sender's flits.
  StageTime psum;
  std::map<int, int64_t> into;
  for (const auto& t : h.tiles) {
    for (const auto& ps : t.psum_sends) {
      into[ps.home_tile] += flits(arch, ps.bits);
      psum.latency = std::max(psum.latency, transfer_cycles(arch, t.tile, ps.home_tile, ps.bits));
    }
  }
  for (const auto& [tile, f] : into) psum.occupancy = std::max(psum.occupancy, f);
  if (psum.occupancy > 0) {
    // The last sender's flits queue behind the others on the home's ejection link.
    psum.latency += psum.occupancy - 1;
    p.stages.push_back(psum);
  }
  StageTime reduce = max_of(Stage::Reduce, true);
  if (reduce.occupancy > 0) p.stages.push_back(reduce);
  StageTime post = max_of(Stage::Post, true);
  if (post.occupancy > 0) p.stages.push_back(post);
  p.post_index = int(p.stages.size()) - 1;
  p.items_per_row = h.cols_of_replica(0);
  return p;
}

int64_t layer_latency(const HostPipeline& p, int64_t positions) {
  int64_t sum = 0, bottleneck = 0;
  for (const auto& s : p.stages) {
    sum += s.latency;
    bottleneck = std::max(bottleneck, s.occupancy);
  }
  return positions > 0 ? sum + (positions - 1) * bottleneck : 0;
}

int64_t offchip_interval(const Program& prog) {
  const int64_t in = prog.input_rows_at.empty() || prog.input_rows_at[0].empty() ? 0 : prog.input_rows_at[0].back();
  int64_t out = 0;
  const int host = prog.output_layer >= 0 ? prog.host_of_layer[prog.output_layer] : -1;
  if (host >= 0)
    for (const auto& rt : prog.hosts[host].sends)
      if (rt.dst_tile < 0) out += rt.rows * offchip_cycles(prog, rt.bits_per_row);
  return std::max(in, out);
}

EventCounts host_events(const ArchConfig& arch, const Network& net, const Program& prog, const HostProgram& h) {
  EventCounts e;
  for (const auto& t : h.tiles) {
    const double positions = double(h.out_rows) * double(h.cols_of_replica(t.replica));
    e += t.events_per_position.scaled(positions);
    for (const auto& ps : t.psum_sends)
      e += transfer_events(arch, t.tile, ps.home_tile, ps.bits, true, false).scaled(positions);
  }
  for (const auto& rt : h.sends) {
    const double rows = double(rt.rows);
    e += transfer_events(arch, rt.src_tile, endpoint(prog, rt.dst_tile), rt.bits_per_row, true, rt.dst_tile >= 0)
             .scaled(rows);
  }
  return e;
}

namespace {

// The load on the network's links: every row transfer holds each link of its
// route for its flits, at the earliest gap from the time its head gets there
// (virtual cut-through: the next link hop_cycles later). Transfers are placed
// as their rows complete, host by host in dependency order, so a transfer
// never waits for one that became ready after it on the same link.
class LinkLoad {
 public:
  explicit LinkLoad(const ArchConfig& arch) : arch_(arch), busy_(size_t(arch.noc.topology->links())) {}

  // Cycle at which the last flit of `bits` sent at `ready` from src reaches dst.
  int64_t deliver(int src, int dst, int64_t bits, int64_t ready) {
    if (src == dst || bits <= 0) return ready;
    arch_.noc.topology->route(src, dst, route_);
    const int64_t f = flits(arch_, bits);
    int64_t t = ready;
    for (size_t i = 0; i < route_.size(); ++i) {
      if (i > 0) t += arch_.noc.hop_cycles;
      t = place(busy_[size_t(route_[i])], t, f);
    }
    return t + f;
  }

 private:
  // Earliest start >= t of `len` cycles free on a link; marks them busy.
  static int64_t place(std::map<int64_t, int64_t>& busy, int64_t t, int64_t len) {
    auto it = busy.upper_bound(t);
    if (it != busy.begin() && std::prev(it)->second > t) t = std::prev(it)->second;
    while (it != busy.end() && it->first < t + len) t = std::max(t, (it++)->second);
    // Merge with touching neighbours so that a run of back-to-back transfers stays one interval.
    int64_t start = t, end = t + len;
    if (it != busy.end() && it->first == end) {
      end = it->second;
      it = busy.erase(it);
    }
    if (it != busy.begin() && std::prev(it)->second == start) {
      std::prev(it)->second = end;
    } else {
      busy.emplace_hint(it, start, end);
    }
    return t;
  }

  const ArchConfig& arch_;
  std::vector<std::map<int64_t, int64_t>> busy_;  // per link: busy intervals, start -> end
  std::vector<int> route_;
};

struct Analytical {
  const Network& net;
  const ArchConfig& arch;
  const Program& prog;
  RunResult res;
  std::vector<std::vector<int64_t>> row_time;  // per network layer: when each output row is complete
  LinkLoad links{arch};
  // (layer, consumer host, its tile) -> per row: when it is in the tile's
  // buffer (prefix maximum: rows are read in order).
  std::map<std::tuple<int, int, int>, std::vector<int64_t>> arrived;
  // (layer, tile) -> per row: when the tile completed its part of the row
  // (hosts composed tile by tile); otherwise row_time applies.
  std::map<std::pair<int, int>, std::vector<int64_t>> tile_row_time;
  std::vector<std::tuple<int64_t, int, size_t, int64_t>> output_arrivals;  // (cycle, src tile, send, row)

  // Sends the rows of a host's (or the input stream's) layers as they complete.
  void send_rows(const std::vector<RowTransfer>& sends) {
    std::vector<std::tuple<int64_t, int, size_t, int64_t>> order;  // (ready, src tile, send, row), as the NoC arbitrates
    for (size_t i = 0; i < sends.size(); ++i) {
      const auto own = tile_row_time.find({sends[i].layer, sends[i].src_tile});
      const auto& times = own != tile_row_time.end() ? own->second : row_time[sends[i].layer];
      for (int64_t r = 0; r < std::min<int64_t>(sends[i].rows, int64_t(times.size())); ++r)
        order.emplace_back(times[r], sends[i].src_tile, i, r);
    }
    std::sort(order.begin(), order.end());
    for (const auto& [ready, src, i, r] : order) {
      const RowTransfer& rt = sends[i];
      const int64_t at = links.deliver(endpoint(prog, rt.src_tile), endpoint(prog, rt.dst_tile), rt.bits_per_row, ready);
      if (rt.dst_tile < 0) {
        output_arrivals.emplace_back(at, rt.src_tile, i, r);
        continue;
      }
      auto& v = arrived[{rt.layer, rt.dst_host, rt.dst_tile}];
      if (int64_t(v.size()) < rt.rows) v.resize(size_t(rt.rows), 0);
      const int64_t written = at + write_cycles(rt.bits_per_row, arch.unit_buffer(prog.hosts[rt.dst_host].tile_class).width_bits);
      v[size_t(r)] = std::max(v[size_t(r)], written);
    }
    for (auto& [key, v] : arrived)
      for (size_t r = 1; r < v.size(); ++r) v[r] = std::max(v[r], v[r - 1]);
  }

  // When the first `rows` rows of `layer` are in the buffer of tile `tile`
  // of host `dst` (tile -1: of every tile of the host).
  int64_t arrival(int layer, int dst, int64_t rows, int tile) const {
    if (rows <= 0) return 0;
    if (tile < 0) {
      int64_t t = 0;
      for (const auto& tp : prog.hosts[dst].tiles) t = std::max(t, arrival(layer, dst, rows, tp.tile));
      return t;
    }
    const auto it = arrived.find({layer, dst, tile});
    if (it == arrived.end() || it->second.empty()) return 0;
    return it->second[size_t(std::min<int64_t>(rows, int64_t(it->second.size())) - 1)];
  }

  // One tile's own stages (fetch, mvm, and on home tiles reduce and post).
  HostPipeline tile_pipeline(const HostProgram& h, const TileProgram& t) const {
    HostPipeline p;
    p.stages.push_back(t.at(Stage::Fetch));
    p.stages.push_back(t.at(Stage::Mvm));
    if (t.at(Stage::Reduce).occupancy > 0) p.stages.push_back(t.at(Stage::Reduce));
    if (t.at(Stage::Post).occupancy > 0) p.stages.push_back(t.at(Stage::Post));
    p.post_index = int(p.stages.size()) - 1;
    p.items_per_row = h.cols_of_replica(t.replica);
    return p;
  }

  void input_stream() {
    for (size_t x = 0; x < prog.input_rows_at.size(); ++x)
      if (!prog.input_rows_at[x].empty()) row_time[x] = prog.input_rows_at[x];
    send_rows(prog.input_sends);
  }

  void run() {
    const bool layered = arch.mapping.schedule == "layer";
    res.model = "analytical";
    res.schedule = arch.mapping.schedule;
    row_time.assign(net.layers.size(), {});
    res.hosts.resize(prog.hosts.size());
    input_stream();

    int64_t gate = 0;  // layer schedule: the previous layer's end
    std::vector<int64_t> round_end(prog.rounds, 0);
    for (int hi : host_order(net, prog)) {
      const HostProgram& h = prog.hosts[hi];
      HostResult& hr = res.hosts[hi];
      const HostPipeline p = host_pipeline(arch, h);
      // Tiles whose work meets only in the rows they send (no partial sums
      // between them) are composed one by one, each with the arrival of its
      // own input (transfers to several tiles queue on shared links); else the
      // host's stages aggregated over its tiles.
      struct Unit {
        HostPipeline p;
        int tile;
        std::vector<int64_t> free;
        std::map<int, std::vector<int64_t>> rows;  // layer -> when each row is complete here
      };
      std::vector<Unit> units;
      bool psums = false;
      for (const auto& t : h.tiles) psums |= !t.psum_sends.empty();
      if (psums) units.push_back({p, -1, {}, {}});
      else
        for (const auto& t : h.tiles) units.push_back({tile_pipeline(h, t), t.tile, {}, {}});
      // A new weight-reload round starts after the previous one ends and the
      // arrays are reprogrammed; a layer-schedule layer after the previous one
      // ends. Handing over takes one cycle.
      const int64_t round_gate = h.round > 0 ? round_end[h.round - 1] + prog.reload_cycles + 1 : 0;

      const auto& in_rows = row_time[h.input_layer];
      row_time[h.layer].assign(h.layer_rows, 0);
      int64_t own_done = 0;
      for (int x : h.hosted) row_time[x].assign(net.layers[x].out.h, 0);
      std::vector<int64_t> done_rows(h.hosted.size(), 0);
      for (auto& u : units) {
        u.free.assign(u.p.stages.size(), 0);
        u.rows[h.layer].assign(h.layer_rows, 0);
        for (int x : h.hosted) u.rows[x].assign(net.layers[x].out.h, 0);
      }
      hr.start = -1;
      for (int64_t y = 0; y < h.out_rows; ++y) {
        const int64_t need = layered ? int64_t(in_rows.size()) : h.fetch_need[y];
        int64_t complete = 0;
        for (auto& u : units) {
          const int S = int(u.p.stages.size());
          const int64_t n = u.p.items_per_row;
          int64_t avail = arrival(h.input_layer, hi, need, u.tile);
          avail = std::max({avail, layered && gate > 0 ? gate + 1 : 0, round_gate});
          int64_t remote = 0;
          for (const auto& rn : h.post_needs) {
            const auto& rt = row_time[rn.layer];
            int64_t rows = layered ? int64_t(rt.size()) : rn.rows[y];
            if (rows > 0) remote = std::max(remote, arrival(rn.layer, hi, rows, u.tile));
          }
          // start_s(k) = max_{j<=s} [ T_j + sum_{i=j}^{s-1} l_i + k * max_{j<=i<=s} o_i ]
          std::vector<int64_t> T(u.free), start0(S), startn(S);
          T[0] = std::max(T[0], avail);
          T[u.p.post_index] = std::max(T[u.p.post_index], remote);
          for (int s = 0; s < S; ++s) {
            int64_t best0 = INT64_MIN, bestn = INT64_MIN, lat = 0, omax = 0;
            for (int j = s; j >= 0; --j) {
              if (j < s) lat += u.p.stages[j].latency;
              omax = std::max(omax, u.p.stages[j].occupancy);
              best0 = std::max(best0, T[j] + lat);
              bestn = std::max(bestn, T[j] + lat + (n - 1) * omax);
            }
            start0[s] = best0;
            startn[s] = bestn;
          }
          for (int s = 0; s < S; ++s) u.free[s] = startn[s] + u.p.stages[s].occupancy;
          if (y == 0 && (hr.start < 0 || start0[0] < hr.start)) hr.start = start0[0];
          const int64_t done = startn[S - 1] + u.p.stages[S - 1].latency;
          complete = std::max(complete, done);
          for (int64_t z = y > 0 ? h.rows_done(h.layer, y - 1) : 0; z < h.rows_done(h.layer, y); ++z) u.rows[h.layer][z] = done;
          for (size_t k = 0; k < h.hosted.size(); ++k)
            for (int64_t z = done_rows[k]; z < h.hosted_rows[k][y]; ++z) u.rows[h.hosted[k]][z] = done;
        }
        for (const int64_t d = h.rows_done(h.layer, y); own_done < d; ++own_done) row_time[h.layer][own_done] = complete;
        for (size_t k = 0; k < h.hosted.size(); ++k) {
          for (int64_t z = done_rows[k]; z < h.hosted_rows[k][y]; ++z) row_time[h.hosted[k]][z] = complete;
          done_rows[k] = h.hosted_rows[k][y];
        }
        hr.end = complete;
      }
      for (auto& u : units)
        if (u.tile >= 0)
          for (auto& [layer, times] : u.rows) tile_row_time[{layer, u.tile}] = std::move(times);
      hr.layer_latency = layer_latency(p, h.out_rows * p.items_per_row);
      hr.events = host_events(arch, net, prog, h);
      // The ADC share of the mvm time: cycles a read waits for conversions to drain.
      for (const auto& t : h.tiles) {
        const double positions = double(h.out_rows) * double(h.cols_of_replica(t.replica));
        hr.busy[int(Stage::Fetch)] += int64_t(positions) * t.at(Stage::Fetch).occupancy;
        hr.busy[int(Stage::Mvm)] += int64_t(positions) * t.at(Stage::Mvm).occupancy;
        hr.busy[int(Stage::Reduce)] += int64_t(positions) * t.at(Stage::Reduce).occupancy;
        hr.busy[int(Stage::Post)] += int64_t(positions) * t.at(Stage::Post).occupancy;
      }
      gate = hr.end;
      round_end[h.round] = std::max(round_end[h.round], hr.end);
      send_rows(h.sends);
    }

    // The output leaves through the entry tile and the off-chip interface, one
    // transfer after the other in order of arrival (then sender tile).
    int64_t end = 0;
    const int out_host = prog.host_of_layer[prog.output_layer];
    if (out_host >= 0) {
      int64_t offchip_free = 0;
      std::sort(output_arrivals.begin(), output_arrivals.end());
      for (const auto& [arrive, src, i, r] : output_arrivals)
        offchip_free = std::max(offchip_free, arrive) + offchip_cycles(prog, prog.hosts[out_host].sends[i].bits_per_row);
      end = offchip_free;
    }
    for (const auto& hr : res.hosts) end = std::max(end, hr.end);
    res.cycles = end;

    res.io_events = prog.io_events;
    for (const auto& rt : prog.input_sends) {
      const double rows = double(rt.rows);
      res.io_events += transfer_events(arch, prog.input_entry_tile, rt.dst_tile, rt.bits_per_row, false, true).scaled(rows);
    }
    res.reload_events = prog.reload_events.scaled(prog.rounds - 1);
    res.reload_cycles = prog.reload_cycles * (prog.rounds - 1);
  }
};

}  // namespace

RunResult analytical_run(const Network& net, const ArchConfig& arch, const Program& prog) {
  auto t0 = std::chrono::steady_clock::now();
  Analytical a{net, arch, prog, {}, {}, LinkLoad(arch), {}, {}, {}};
  a.run();
  a.res.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return a.res;
}

}  // namespace tessera

#include "arch/compile/program.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace tessera {

const char* to_string(Stage s) {
  static const char* names[] = {"fetch", "mvm", "reduce", "post"};
  return names[static_cast<int>(s)];
}

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return b <= 0 ? 0 : (a + b - 1) / b; }

void add(EventCounts& e, Event ev, double n) { e[ev] += n; }

// Operations of a digital layer for one inference, by the unit that runs
// them: of its first `rows` output rows (the rows computed).
void digital_ops(const Layer& l, int64_t rows, EventCounts& e) {
  const double out = double(l.out.c) * double(rows) * double(l.out.w);
  switch (l.type) {
    case LayerType::Relu:
    case LayerType::Activation: add(e, Event::ActivationOp, out); break;
    case LayerType::Add: add(e, Event::ActivationOp, out * double(l.inputs.size() - 1)); break;
    case LayerType::MaxPool:
    case LayerType::AvgPool: add(e, Event::PoolOp, out * l.kernel_h * l.kernel_w); break;
    case LayerType::GlobalAvgPool: add(e, Event::PoolOp, double(l.in.size())); break;
    case LayerType::Input:
    case LayerType::Conv2d:
    case LayerType::Linear:
    case LayerType::BatchNorm:  // folded into the convolution
    case LayerType::Concat:     // concat and flatten are addressing
    case LayerType::Flatten: break;
  }
}

}  // namespace

int64_t flits(const ArchConfig& a, int64_t bits) { return ceil_div(bits, a.noc.flit_bits); }

int64_t transfer_cycles(const ArchConfig& a, int src, int dst, int64_t bits) {
  if (src == dst || bits <= 0) return 0;
  std::vector<int> links;
  a.noc.topology->route(src, dst, links);
  return int64_t(links.size() - 1) * a.noc.hop_cycles + flits(a, bits);
}

EventCounts transfer_events(const ArchConfig& a, int src, int dst, int64_t bits, bool from_tile, bool into_buffer) {
  EventCounts e;
  if (bits <= 0) return e;
  if (from_tile) {
    add(e, Event::OutputRegisterWrite, double(bits));
    add(e, Event::OutputRegisterRead, double(bits));
  }
  if (into_buffer) add(e, Event::BufferWrite, double(bits));
  if (src != dst) {
    std::vector<int> links;
    a.noc.topology->route(src, dst, links);
    double f = double(flits(a, bits));
    add(e, Event::LinkFlit, f * double(links.size()));
    add(e, Event::RouterFlit, f * double(a.noc.topology->router_hops(src, dst)));
  }
  return e;
}

int64_t arrival_cycles(const ArchConfig& a, const Program& p, const RowTransfer& rt) {
  int64_t c = transfer_cycles(a, endpoint(p, rt.src_tile), endpoint(p, rt.dst_tile), rt.bits_per_row);
  if (rt.dst_tile >= 0) c += write_cycles(rt.bits_per_row, a.unit_buffer(p.hosts[rt.dst_host].tile_class).width_bits);
  return c;
}

int64_t offchip_cycles(const Program& p, int64_t bits) {
  return ceil_div(bits * 1000, p.offchip_bits_per_cycle_x1000);
}

int64_t HostProgram::rows_done(int l, int64_t y) const {
  if (l == layer) return std::min(layer_rows, (y + 1) * row_group);
  for (size_t k = 0; k < hosted.size(); ++k)
    if (hosted[k] == l) return hosted_rows[k][y];
  return 0;
}

namespace {

struct Compiler {
  const Network& net;
  const ArchConfig& arch;
  const Mapping& map;
  Program prog;

  TileProgram tile_program(const Layer& l, int64_t rows_computed, const LayerMapping& lm, const TileShare& sh,
                           double total_home_outputs, const EventCounts& hosted_ops) {
    const auto& tc = arch.tile_classes[lm.tile_class];
    const auto& t = lm.tiling;
    TileProgram tp;
    tp.tile = sh.tile;
    tp.replica = sh.replica;
    tp.home = sh.home_outputs > 0;
    tp.home_share = total_home_outputs > 0 ? double(sh.home_outputs) / total_home_outputs : 0;
    const int abits = l.activation_bits;
    EventCounts& e = tp.events_per_position;

    // fetch: the window's distinct rows leave the buffer once, cross the bus
    // once (broadcast) and are latched by every IMA that needs them.
    tp.fetch_bits = sh.distinct_rows * abits;
    tp.buffer_port_cycles = ceil_div(tp.fetch_bits, tc.buffer.width_bits);
    int64_t bus_cycles = ceil_div(tp.fetch_bits, tc.bus.width_bits);
    auto& f = tp.stage[static_cast<int>(Stage::Fetch)];
    f.occupancy = std::max(tp.buffer_port_cycles, bus_cycles);
    f.latency = f.occupancy + tc.buffer.latency_cycles + tc.bus.latency_cycles;
    add(e, Event::BufferRead, double(tp.fetch_bits));
    add(e, Event::BusBit, double(tp.fetch_bits));
    add(e, Event::InputRegisterWrite, double(sh.ima_rows * abits));

    // mvm: input cycles; each reads all arrays in ceil(rows / parallel_rows)
    // phases, and the shared ADCs convert every phase's used columns while
    // the next phase is read (sample-and-hold).
    const int64_t t_read = arch.cycles(tc.crossbar.read_ns);
    const int64_t t_conv =
        std::max<int64_t>(1, int64_t(std::ceil(sh.max_adc_columns * tc.adc.conversion_ns() * arch.clock_ghz - 1e-9)));
    const int64_t step = std::max(t_read, t_conv);
    const int ic = t.input_cycles;
    double rows = 0, cells = 0, reads = 0, conversions = 0, weights = 0;
    int64_t phases = 1;
    for (int xi : sh.xbars) {
      const auto& x = lm.xbars[xi];
      const int ph = tc.crossbar.phases(x.used_rows);
      phases = std::max<int64_t>(phases, ph);
      rows += x.used_rows;
      cells += double(x.used_rows) * x.used_cols;
      reads += ph;
      conversions += double(x.used_cols) * ph;
      weights += double(x.weights) * x.groups;
    }
    auto& m = tp.stage[static_cast<int>(Stage::Mvm)];
    m.occupancy = ic * phases * step;
    m.latency = t_read + (ic * phases - 1) * step + t_conv + tc.ima.shift_add.latency_cycles;
    tp.arrays = int(sh.xbars.size());
    add(e, Event::CrossbarRead, reads * ic);
    add(e, Event::CellRead, cells * ic);
    add(e, Event::DacConversion, rows * ic);
    add(e, Event::InputRegisterRead, rows * tc.dac.bits * ic);
    add(e, Event::Sample, conversions * ic);
    add(e, Event::AdcConversion, conversions * ic);
    add(e, Event::ShiftAddOp, conversions * ic);
    add(e, Event::ImaOutputWrite, conversions * tc.adc.bits * ic);
    add(e, Event::ImaOutputRead, weights * arch.mapping.accumulator_bits);

    // Partial sums of output groups homed elsewhere, per position.
    std::map<int, int64_t> psum;
    std::map<std::pair<int64_t, int64_t>, int> home;
    const int64_t per_replica = lm.tiles_used / lm.replication;
    const int offset = int(sh.replica * per_replica);
    for (const auto& s : lm.xbars)
      if (s.row_block == 0) home[{s.group_set, s.col_block}] = s.tile + offset;
    std::map<std::pair<int64_t, int64_t>, int64_t> here;
    for (int xi : sh.xbars) {
      const auto& s = lm.xbars[xi];
      here[{s.group_set, s.col_block}] = s.weights * s.groups;
    }
    for (const auto& [key, outs] : here) {
      int h = home[key];
      if (h != sh.tile) psum[h] += outs * arch.mapping.accumulator_bits;
    }
    for (const auto& [h, bits] : psum) tp.psum_sends.push_back({h, bits});

    // reduce: additions across row blocks (local blocks and arriving partial sums).
    auto& r = tp.stage[static_cast<int>(Stage::Reduce)];
    if (sh.psum_adds > 0) {
      r.occupancy = ceil_div(sh.psum_adds, int64_t(tc.reduce.throughput()));
      r.latency = r.occupancy + tc.reduce.latency_cycles;
      add(e, Event::ReduceOp, double(sh.psum_adds));
    }

    // post: the hosted digital layers' operations, spread evenly over the
    // positions and over home tiles by the outputs they own.
    auto& p = tp.stage[static_cast<int>(Stage::Post)];
    if (tp.home) {
      const double positions = double(rows_computed) * l.out.w;
      double act = hosted_ops[Event::ActivationOp] * tp.home_share / positions;
      double pool = hosted_ops[Event::PoolOp] * tp.home_share / positions;
      int64_t act_c = ceil_div(int64_t(std::ceil(act - 1e-9)), int64_t(tc.activation.throughput()));
      int64_t pool_c = ceil_div(int64_t(std::ceil(pool - 1e-9)), int64_t(tc.pooling.throughput()));
      p.occupancy = std::max(act_c, pool_c);
      if (p.occupancy > 0) {
        p.latency = p.occupancy + std::max(act_c ? tc.activation.latency_cycles : 0, pool_c ? tc.pooling.latency_cycles : 0);
      }
      add(e, Event::ActivationOp, act);
      add(e, Event::PoolOp, pool);
    }
    return tp;
  }

  // An AP unit processes a row group (as many output rows as fit its CAM rows,
  // or a slice of a row wider than the CAM) per item: fetch of the group's
  // input window from the unit's buffer, the compiled program's row tile,
  // and the hosted digital layers.
  void ap_host(HostProgram& h, const Layer& l, const LayerMapping& lm) {
    const ApClassParams& ac = arch.ap_class(lm.tile_class);
    h.on_ap = true;
    h.ap = ap_layer_cost(l, arch, lm.tile_class, arch.mapping.seed);
    const int64_t rows = ac.ap.rows, w = l.out.w;
    h.row_group = w <= rows ? std::max<int64_t>(1, rows / w) : 1;
    h.out_cols = w <= rows ? 1 : (w + rows - 1) / rows;
    h.input_cycles = 1;
    for (;;) {
      h.out_rows = (h.layer_rows + h.row_group - 1) / h.row_group;
      input_windows(h);
      // A line buffer that cannot hold a group's windows takes fewer output rows per group.
      if (h.row_group == 1 || !must_line_buffer(h, l) || h.live_input_rows * input_row_bits(l) <= buffer_bits(h)) break;
      h.row_group--;
    }
    const double items = double(h.out_rows) * double(h.out_cols);
    // The group's input window (the widest one), or its share when a row is split.
    const int64_t fetch_bits =
        int64_t(std::ceil(double(h.live_input_rows * l.in.w * l.in.c * l.activation_bits) / double(h.out_cols)));

    for (const TileShare& sh : lm.tiles) {
      // A unit computing a share of the output channels runs the program of that share.
      Layer part = l;
      part.out_channels = sh.home_outputs;
      part.out.c = sh.home_outputs;
      const ApLayerCost cost = sh.home_outputs == l.out.c ? h.ap : ap_layer_cost(part, arch, lm.tile_class, arch.mapping.seed);
      TileProgram tp;
      tp.tile = sh.tile;
      tp.home = true;
      tp.home_share = double(sh.home_outputs) / double(l.out.c);
      EventCounts& e = tp.events_per_position;
      tp.fetch_bits = fetch_bits;
      tp.buffer_port_cycles = ceil_div(tp.fetch_bits, ac.buffer.width_bits);
      auto& f = tp.stage[static_cast<int>(Stage::Fetch)];
      f.occupancy = std::max<int64_t>(1, tp.buffer_port_cycles);
      f.latency = f.occupancy + ac.buffer.latency_cycles;
      add(e, Event::BufferRead, double(tp.fetch_bits));
      // compute: one row tile of the compiled program
      auto& m = tp.stage[static_cast<int>(Stage::Mvm)];
      m.occupancy = m.latency = std::max<int64_t>(1, int64_t(std::ceil(cost.cycles_per_tile - 1e-9)));
      add(e, Event::ApCompare, cost.passes_per_tile);
      add(e, Event::ApWrite, cost.passes_per_tile);
      add(e, Event::RtmShift, cost.shifts_per_tile);
      add(e, Event::RtmRead, cost.reads_per_tile);
      add(e, Event::RtmWrite, cost.writes_per_tile);
      // post: the hosted layers' operations on this unit's channels, spread over the items
      auto& p = tp.stage[static_cast<int>(Stage::Post)];
      const double act = h.digital_events[Event::ActivationOp] * tp.home_share / items;
      const double pool = h.digital_events[Event::PoolOp] * tp.home_share / items;
      const int64_t act_c = ceil_div(int64_t(std::ceil(act - 1e-9)), int64_t(ac.activation.throughput()));
      const int64_t pool_c = ceil_div(int64_t(std::ceil(pool - 1e-9)), int64_t(ac.pooling.throughput()));
      p.occupancy = std::max(act_c, pool_c);
      if (p.occupancy > 0)
        p.latency = p.occupancy + std::max(act_c ? ac.activation.latency_cycles : 0, pool_c ? ac.pooling.latency_cycles : 0);
      add(e, Event::ActivationOp, act);
      add(e, Event::PoolOp, pool);
      h.tiles.push_back(tp);
    }
    row_tables(h);
  }

  int64_t buffer_bits(const HostProgram& h) const { return int64_t(arch.unit_buffer(h.tile_class).bytes * 8); }
  // Bits of one input row an AP unit receives (all channels), with a bit per
  // sender for the rounding of each sender's share.
  int64_t input_row_bits(const Layer& l) const {
    const int src = prog.host_of_layer[l.inputs[0]];
    int64_t senders = 1;
    if (src >= 0 && net.layers[l.inputs[0]].type != LayerType::Input) senders = int64_t(prog.hosts[src].tiles.size());
    return l.in.w * l.in.c * l.activation_bits + senders;
  }
  bool must_line_buffer(const HostProgram& h, const Layer& l) const {
    return arch.mapping.schedule == "pipelined" && input_row_bits(l) * l.input_rows_needed(h.layer_rows) > buffer_bits(h);
  }

  // The input rows each row group's windows read, and the most a line buffer holds at once.
  void input_windows(HostProgram& h) {
    const Layer& l = net.layers[h.layer];
    h.fetch_need.resize(h.out_rows);
    h.keep_from.resize(h.out_rows);
    h.live_input_rows = 0;
    for (int64_t y = 0; y < h.out_rows; ++y) {
      h.fetch_need[y] = l.input_rows_needed(h.rows_done(h.layer, y));
      h.keep_from[y] = l.first_input_row(y * h.row_group);
      h.live_input_rows = std::max(h.live_input_rows, h.fetch_need[y] - h.keep_from[y]);
    }
  }

  // Tiles of a host that receive rows (all tiles for the MVM input; home tiles for hosted layers).
  void add_transfers(std::vector<RowTransfer>& out, int layer, int src_host, int dst_host, bool to_mvm, int64_t rows) {
    const Layer& x = net.layers[layer];
    const HostProgram& dh = prog.hosts[dst_host];
    const Layer& dl = net.layers[dh.layer];
    const int64_t row_bits = x.out.w * x.out.c * dl.activation_bits;
    const auto& dlm = map.layers[dh.layer];
    std::vector<std::pair<int, double>> dsts;  // tile, fraction of the row it needs
    for (size_t i = 0; i < dh.tiles.size(); ++i) {
      const auto& tp = dh.tiles[i];
      const auto& sh = dlm.tiles[i];
      if (to_mvm) dsts.push_back({tp.tile, double(sh.input_channels) / double(dl.in.c)});
      else if (tp.home) dsts.push_back({tp.tile, tp.home_share});
    }
    struct Sender {
      int tile;
      double share;  // of the row it holds
      int replica;
    };
    std::vector<Sender> srcs;
    if (src_host < 0) {
      srcs.push_back({-1, 1.0, 0});
    } else {
      // Replicas split every row's positions, so each sends its part of every row.
      const double reps = prog.hosts[src_host].replication;
      for (const auto& tp : prog.hosts[src_host].tiles)
        if (tp.home) srcs.push_back({tp.tile, tp.home_share / reps, tp.replica});
    }
    for (const Sender& src : srcs) {
      for (const auto& [dt, frac] : dsts) {
        RowTransfer rt;
        rt.layer = layer;
        rt.src_tile = src.tile;
        rt.dst_tile = dt;
        rt.dst_host = dst_host;
        rt.src_replica = src.replica;
        rt.bits_per_row = std::max<int64_t>(1, int64_t(std::ceil(double(row_bits) * frac * src.share - 1e-9)));
        rt.rows = rows;
        // Rows needed by several consumers on the same tile travel once.
        bool dup = false;
        for (auto& o : out) {
          if (o.layer == rt.layer && o.src_tile == rt.src_tile && o.dst_tile == rt.dst_tile) {
            o.bits_per_row = std::max(o.bits_per_row, rt.bits_per_row);
            o.rows = std::max(o.rows, rt.rows);
            dup = true;
          }
        }
        if (!dup) out.push_back(rt);
      }
    }
  }

  // What completes after each row group, and which remote rows it needs.
  void row_tables(HostProgram& h) {
    const int me = prog.host_of_layer[h.layer];
    h.hosted_rows.assign(h.hosted.size(), std::vector<int64_t>(h.out_rows, 0));
    std::map<int, size_t> remote_index;
    for (int64_t y = 0; y < h.out_rows; ++y) {
      std::map<int, int64_t> done;  // rows complete so far, of local layers
      done[h.layer] = h.rows_done(h.layer, y);  // rows of the weight layer after group y
      for (size_t k = 0; k < h.hosted.size(); ++k) {
        const Layer& x = net.layers[h.hosted[k]];
        int64_t rows = prog.rows_read[h.hosted[k]];
        for (int in : x.inputs) {
          bool local = prog.host_of_layer[in] == me && net.layers[in].type != LayerType::Input;
          int64_t in_rows = local ? done[in] : net.layers[in].out.h;
          rows = std::min(rows, x.rows_complete(in_rows));
        }
        done[h.hosted[k]] = rows;
        h.hosted_rows[k][y] = rows;
        // Remote inputs must have delivered what those rows read.
        for (int in : x.inputs) {
          bool local = prog.host_of_layer[in] == me && net.layers[in].type != LayerType::Input;
          if (local) continue;
          if (!remote_index.count(in)) {
            remote_index[in] = h.post_needs.size();
            HostProgram::RemoteNeed rn;
            rn.layer = in;
            rn.rows.assign(h.out_rows, 0);
            h.post_needs.push_back(rn);
          }
          auto& need = h.post_needs[remote_index[in]].rows[y];
          if (rows > 0) need = std::max(need, x.input_rows_needed(rows));
          if (y > 0) need = std::max(need, h.post_needs[remote_index[in]].rows[y - 1]);
        }
      }
    }
  }

  // Line-buffer space per tile: the rows of the host's input it receives.
  // When the buffer cannot hold them all (pipelined schedule) senders reserve
  // space row by row; a buffer smaller than the rows a row group's windows
  // keep live could never start that group: an input error, here, once.
  void line_buffers() {
    for (auto& h : prog.hosts) {
      const Layer& in = net.layers[h.input_layer];
      const bool from_input = prog.host_of_layer[h.input_layer] < 0 || in.type == LayerType::Input;
      const auto& sends = from_input ? prog.input_sends : prog.hosts[prog.host_of_layer[h.input_layer]].sends;
      const int64_t space = int64_t(arch.unit_buffer(h.tile_class).bytes * 8);
      for (auto& tp : h.tiles) {
        int64_t rows = 0;
        for (const auto& rt : sends) {
          if (rt.layer != h.input_layer || rt.dst_tile != tp.tile) continue;
          tp.input_row_bits += rt.bits_per_row;
          rows = std::max(rows, rt.rows);
        }
        tp.line_buffered = arch.mapping.schedule == "pipelined" && tp.input_row_bits * rows > space;
        if (!tp.line_buffered) continue;
        const int64_t need = h.live_input_rows * tp.input_row_bits;
        if (space < need) {
          const Layer& me = net.layers[h.layer];
          const std::string key = std::string(arch.is_ap_class(h.tile_class) ? "ap_class." : "tile_class.") +
                                  arch.class_name(h.tile_class) + ".buffer.bytes";
          throw InputError({arch.file, 0, 0}, key,
                           "the buffer of unit " + std::to_string(tp.tile) + " (" + std::to_string(space / 8) +
                               " bytes) cannot hold the " + std::to_string(h.live_input_rows) + " input rows layer '" +
                               me.name + "' keeps live at once; it needs at least " + std::to_string((need + 7) / 8) +
                               " bytes");
        }
      }
    }
  }

  void run() {
    prog.host_of_layer.assign(net.layers.size(), -1);
    prog.output_layer = int(net.layers.size()) - 1;
    auto consumers = net.consumers();
    // Rows read, from the output back: a layer computes what its readers read.
    prog.rows_read.assign(net.layers.size(), 0);
    for (int x = prog.output_layer; x >= 0; --x) {
      const Layer& l = net.layers[x];
      if (x == prog.output_layer || consumers[x].empty()) {
        prog.rows_read[x] = l.out.h;
        continue;
      }
      for (int c : consumers[x])
        prog.rows_read[x] = std::max(prog.rows_read[x], net.layers[c].input_rows_needed(prog.rows_read[c]));
    }
    prog.rounds = map.rounds;
    prog.input_entry_tile = map.input_tile;
    // bits per cycle = GB/s * 8 / (cycles per ns)
    prog.offchip_bits_per_cycle_x1000 =
        std::max<int64_t>(1, int64_t(std::llround(arch.offchip.bandwidth_gbytes_s * 8.0 / arch.clock_ghz * 1000.0)));
    for (int li : net.weight_layers()) {
      prog.host_of_layer[li] = int(prog.hosts.size());
      HostProgram h;
      h.layer = li;
      prog.hosts.push_back(h);
    }
    for (size_t i = 0; i < net.layers.size(); ++i) {
      const auto& lm = map.layers[i];
      if (lm.unit != "digital") continue;
      if (lm.host < 0) {
        prog.input_hosted.push_back(int(i));
        digital_ops(net.layers[i], prog.rows_read[i], prog.io_events);
      } else {
        int h = prog.host_of_layer[lm.host];
        prog.host_of_layer[i] = h;
        prog.hosts[h].hosted.push_back(int(i));
        digital_ops(net.layers[i], prog.rows_read[i], prog.hosts[h].digital_events);
      }
    }
    for (auto& h : prog.hosts) {
      const Layer& l = net.layers[h.layer];
      const auto& lm = map.layers[h.layer];
      h.tile_class = lm.tile_class;
      h.input_layer = l.inputs[0];
      h.replication = lm.replication;
      h.round = lm.round;
      h.layer_rows = prog.rows_read[h.layer];
      h.out_rows = h.layer_rows;
      h.out_cols = l.out.w;
      h.input_cycles = lm.tiling.input_cycles;
      if (!lm.on_crossbars()) {
        ap_host(h, l, lm);
        continue;
      }
      std::vector<double> home_total(lm.replication, 0);
      for (const auto& sh : lm.tiles) home_total[sh.replica] += double(sh.home_outputs);
      input_windows(h);
      for (const auto& sh : lm.tiles) h.tiles.push_back(tile_program(l, h.layer_rows, lm, sh, home_total[sh.replica], h.digital_events));
      for (auto& tp : h.tiles)
        for (const auto& ps : tp.psum_sends)
          for (auto& o : h.tiles)
            if (o.tile == ps.home_tile) o.psum_senders++;
      row_tables(h);
    }
    // Row transfers: every layer read by a layer on another host, or the network output.
    for (size_t x = 0; x < net.layers.size(); ++x) {
      int src_host = prog.host_of_layer[x];  // -1: the input stream
      bool on_input = net.layers[x].type == LayerType::Input || src_host < 0;
      for (int y : consumers[x]) {
        int dst_host = prog.host_of_layer[y];
        if (dst_host < 0) continue;  // consumed on the input stream itself
        bool mvm = net.layers[y].has_weights();
        if (!mvm && dst_host == src_host) continue;  // same tiles
        auto& list = on_input ? prog.input_sends : prog.hosts[src_host].sends;
        add_transfers(list, int(x), on_input ? -1 : src_host, dst_host, mvm, net.layers[y].input_rows_needed(prog.rows_read[y]));
      }
    }
    line_buffers();
    // The network's output leaves the chip from its host's home tiles.
    {
      const Layer& out = net.layers[prog.output_layer];
      int h = prog.host_of_layer[prog.output_layer];
      if (h >= 0) {
        int64_t row_bits = out.out.w * out.out.c * net.layers[prog.hosts[h].layer].activation_bits;
        for (const auto& tp : prog.hosts[h].tiles) {
          if (!tp.home) continue;
          RowTransfer rt;
          rt.layer = prog.output_layer;
          rt.src_tile = tp.tile;
          rt.dst_tile = -1;
          rt.src_replica = tp.replica;
          rt.rows = out.out.h;
          rt.bits_per_row = std::max<int64_t>(
              1, int64_t(std::ceil(double(row_bits) * tp.home_share / prog.hosts[h].replication - 1e-9)));
          prog.hosts[h].sends.push_back(rt);
        }
        prog.io_events[Event::OffchipByte] += double(out.out.size()) * net.layers[prog.hosts[h].layer].activation_bits / 8.0;
      }
    }
    {
      // The image crosses the off-chip interface once, at the first layer's precision.
      int abits = prog.hosts.empty() ? 8 : net.layers[prog.hosts.front().layer].activation_bits;
      prog.io_events[Event::OffchipByte] += double(net.layers[0].out.size()) * abits / 8.0;
      // With a global buffer, the image and the output are staged in it on their way.
      if (arch.global_buffer.bytes > 0) {
        const double bits = double(net.layers[0].out.size()) * abits;
        const Layer& out = net.layers[prog.output_layer];
        const double out_bits = double(out.out.size()) * (prog.host_of_layer[prog.output_layer] >= 0
                                                              ? net.layers[prog.hosts[prog.host_of_layer[prog.output_layer]].layer].activation_bits
                                                              : abits);
        prog.io_events[Event::GlobalBufferWrite] += bits + out_bits;
        prog.io_events[Event::GlobalBufferRead] += bits + out_bits;
      }
    }
    // The input stream: image rows at the off-chip bandwidth, and the layers computed on it.
    prog.input_rows_at.assign(net.layers.size(), {});
    {
      const Layer& in = net.layers[0];
      int abits = prog.hosts.empty() ? 8 : net.layers[prog.hosts.front().layer].activation_bits;
      const int64_t per_row = offchip_cycles(prog, in.out.w * in.out.c * abits);
      for (int64_t r = 0; r < in.out.h; ++r) prog.input_rows_at[0].push_back((r + 1) * per_row);
      for (int x : prog.input_hosted) {
        const Layer& l = net.layers[x];
        for (int64_t z = 0; z < l.out.h; ++z) {
          int64_t t = 0;
          for (int i : l.inputs) {
            const auto& rows = prog.input_rows_at[i];
            t = std::max(t, rows[std::min<int64_t>(l.last_input_row(z), int64_t(rows.size()) - 1)]);
          }
          prog.input_rows_at[x].push_back(t);
        }
      }
    }
    // Weight reload: rounds after the first reprogram the arrays they use.
    if (prog.rounds > 1) {
      double cells = 0, bits = 0;
      int64_t rows = 0;
      for (const auto& h : prog.hosts) {
        if (h.round == 0) continue;
        const auto& lm = map.layers[h.layer];
        const auto& tc = arch.tile_classes[lm.tile_class];
        cells += double(lm.tiling.used_cells) * lm.replication;
        bits += double(net.layers[h.layer].weights()) * net.layers[h.layer].weight_bits;
        rows = std::max<int64_t>(rows, int64_t(std::ceil(tc.crossbar.rows * tc.crossbar.write_ns_per_row * arch.clock_ghz)));
      }
      // Spread evenly over the extra rounds; each round streams its weights in and programs row by row.
      double per_round = 1.0 / (prog.rounds - 1);
      prog.reload_events[Event::CellWrite] = cells * per_round;
      prog.reload_events[Event::OffchipByte] = bits / 8.0 * per_round;
      prog.reload_cycles = std::max(rows, offchip_cycles(prog, int64_t(bits * per_round)));
    }
  }
};

}  // namespace

std::vector<int> host_order(const Network& net, const Program& prog) {
  const int n = int(prog.hosts.size());
  std::vector<std::vector<int>> users(n);
  std::vector<int> indeg(n, 0), order;
  for (int i = 0; i < n; ++i) {
    auto dep = [&](int layer) {
      int h = prog.host_of_layer[layer];
      if (h >= 0 && h != i && net.layers[layer].type != LayerType::Input) {
        indeg[i]++;
        users[h].push_back(i);
      }
    };
    dep(prog.hosts[i].input_layer);
    for (const auto& rn : prog.hosts[i].post_needs) dep(rn.layer);
  }
  std::vector<int> ready;
  for (int i = 0; i < n; ++i)
    if (!indeg[i]) ready.push_back(i);
  while (!ready.empty()) {
    auto it = std::min_element(ready.begin(), ready.end());
    int i = *it;
    ready.erase(it);
    order.push_back(i);
    for (int u : users[i])
      if (--indeg[u] == 0) ready.push_back(u);
  }
  return order;
}

Program compile(const Network& net, const ArchConfig& arch, const Mapping& mapping) {
  Compiler c{net, arch, mapping, {}};
  c.run();
  return c.prog;
}

}  // namespace tessera

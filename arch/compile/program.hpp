// Compilation of a mapped network into per-tile programs: compact loop
// descriptors, never one record per MAC or per cycle. Both timing models read
// the same program: the analytical model composes its stage times without
// contention, the SystemC model executes it cycle by cycle with arbitration.
//
// Execution model (docs/architecture.md): every weight layer is a "host". Its
// tiles process output positions row by row; per position a tile runs the
// stages fetch (tile buffer -> bus -> IMA input registers), mvm (input cycles
// of crossbar reads and ADC conversions), and on the tiles that own output
// channels ("home" tiles) reduce (partial sums of other row blocks) and post
// (the hosted digital layers: activation, pooling, residual add). A tile that
// is not home for some outputs sends their partial sums to the home tile per
// position. When rows of a layer complete, they are sent to the tiles that
// consume them (line-buffer granularity).
#pragma once

#include <cstdint>
#include <vector>

#include "arch/compile/ap_layer.hpp"
#include "arch/config/arch_config.hpp"
#include "arch/cost/events.hpp"
#include "arch/mapping/mapping.hpp"
#include "workloads/ir/network.hpp"

namespace tessera {

// A stage that can take a new position every `occupancy` cycles and hands
// each on after `latency` cycles.
struct StageTime {
  int64_t occupancy = 0;
  int64_t latency = 0;
};

enum class Stage { Fetch, Mvm, Reduce, Post, kCount };
constexpr int kStages = static_cast<int>(Stage::kCount);
const char* to_string(Stage s);

struct PsumSend {
  int home_tile;  // global tile index
  int64_t bits;   // per position
};

struct TileProgram {
  int tile = 0;
  int replica = 0;
  bool home = false;                 // owns output channels (reduce + post run here)
  StageTime stage[kStages];
  int64_t fetch_bits = 0;            // per position, read from the tile buffer
  int64_t buffer_port_cycles = 0;    // cycles the fetch holds a buffer port
  std::vector<PsumSend> psum_sends;  // per position
  int psum_senders = 0;              // tiles sending partial sums here per position
  double home_share = 0;             // fraction of the host's outputs owned here
  int64_t input_row_bits = 0;        // bits of one row of the host's input arriving here (all senders)
  // The tile buffer cannot hold the whole input (pipelined schedule): senders
  // reserve line-buffer space a row at a time (credit-based flow control).
  bool line_buffered = false;
  int arrays = 0;                    // crossbar arrays this tile reads per input cycle
  EventCounts events_per_position;   // everything but transfers
  // Convenience for the timing models.
  const StageTime& at(Stage s) const { return stage[static_cast<int>(s)]; }
};

// Rows of `layer` sent from `src_tile` to `dst_tile` (-1: off chip).
struct RowTransfer {
  int layer = -1;        // network layer whose rows are sent
  int src_tile = -1;
  int dst_tile = -1;
  int dst_host = -1;     // index into Program::hosts of the consumer (-1: off chip)
  int src_replica = 0;   // the sender's replica (replicas split every row's positions; each sends its part)
  int64_t bits_per_row = 0;
  int64_t rows = 0;      // leading rows of `layer` sent: those the destination reads
};

struct HostProgram {
  int layer = -1;                 // the weight layer
  int tile_class = 0;             // unit class (tile classes, then AP classes)
  bool on_ap = false;             // runs as a compiled program on an AP unit
  ApLayerCost ap;                 // AP layers: the compiled program's cost and figures
  int input_layer = -1;           // producer of the layer's input
  int replication = 1;
  int round = 0;                  // weight-reload round
  // Mean read conductance of the layer's cells (uS) when its weights are
  // known and its cell reads are priced from them; negative: not known, the
  // device's mean is priced (price_programmed_conductance).
  double cell_conductance_us = -1;
  // Work is grouped in "row groups" of `row_group` output rows (1 on crossbar
  // tiles; on an AP as many rows as fit its CAM rows): out_rows counts groups,
  // out_cols the items (positions, or AP row tiles) of one group.
  int64_t out_rows = 0, out_cols = 0;
  int64_t row_group = 1;
  int64_t layer_rows = 0;         // output rows of the weight layer computed (those some consumer reads)
  int input_cycles = 1;
  std::vector<int> hosted;        // digital layers run on this host, in order
  std::vector<TileProgram> tiles;
  std::vector<RowTransfer> sends; // rows of this host's layers sent elsewhere
  EventCounts digital_events;     // hosted layers' operations (whole inference)

  // Row dependencies, per row group y (counts of rows):
  std::vector<int64_t> fetch_need;  // rows of input_layer that row y's windows read
  std::vector<int64_t> keep_from;   // first row of input_layer that row y's windows read
  // Rows of input_layer a tile buffer must hold at once for some row group's
  // windows: max over y of fetch_need[y] - keep_from[y]. The line buffer needs
  // at least this much space (flow control returns rows before keep_from[y+1]
  // once group y is fetched).
  int64_t live_input_rows = 0;
  struct RemoteNeed {
    int layer = -1;                 // a layer computed on another host (or the input stream)
    std::vector<int64_t> rows;      // rows of it the post stage of row y needs
  };
  std::vector<RemoteNeed> post_needs;
  std::vector<std::vector<int64_t>> hosted_rows;  // [k][y]: rows of hosted[k] complete after row y

  // Replicas split each row's positions: replica r takes columns x = r mod replication.
  int64_t cols_of_replica(int r) const { return (out_cols - r + replication - 1) / replication; }
  // Rows of `layer` (this host's weight layer or a hosted one) complete after row y.
  int64_t rows_done(int layer_index, int64_t y) const;
};

struct Program {
  std::vector<HostProgram> hosts;     // in network order
  std::vector<int> host_of_layer;     // network layer -> host index (-1: input stream)
  // Leading output rows of each layer that are computed: the rows some
  // consumer reads (all rows of the network's output). A pooling that drops
  // rows leaves its producers' last rows uncomputed.
  std::vector<int64_t> rows_read;
  std::vector<int> input_hosted;      // digital layers run on the input stream
  std::vector<RowTransfer> input_sends;  // off chip -> tiles (src_tile = -1)
  int output_layer = -1;              // the network's last layer, sent off chip
  int rounds = 1;
  int64_t reload_cycles = 0;          // per extra round
  EventCounts reload_events;          // per extra round
  EventCounts io_events;              // off-chip input and output
  int input_entry_tile = 0;           // router where off-chip data enter
  int64_t offchip_bits_per_cycle_x1000 = 0;  // off-chip bandwidth, millibits per cycle
  // The image enters row by row at the off-chip bandwidth: cycle at which each
  // row of the input and of every input-stream layer is complete (network layer index -> rows).
  std::vector<std::vector<int64_t>> input_rows_at;
};

Program compile(const Network& net, const ArchConfig& arch, const Mapping& mapping);

// Hosts in dependency order (a host after those whose rows its fetch or post
// stage reads), ties in network order: an order in which running each host
// to completion sees every input it needs.
std::vector<int> host_order(const Network& net, const Program& prog);

// Tile where a transfer starts or ends: off-chip data (-1) enter and leave at the entry tile's router.
inline int endpoint(const Program& p, int tile) { return tile < 0 ? p.input_entry_tile : tile; }

// Contention-free transfer of `bits` from tile to tile over the NoC:
// (links - 1) * hop_cycles + flits cycles; 0 within one tile.
int64_t flits(const ArchConfig& arch, int64_t bits);
int64_t transfer_cycles(const ArchConfig& arch, int src_tile, int dst_tile, int64_t bits);
// Events of one transfer: router and link flits; the sender's output register
// when it leaves a tile; the receiver's buffer write when it lands in a buffer.
EventCounts transfer_events(const ArchConfig& arch, int src_tile, int dst_tile, int64_t bits, bool from_tile,
                            bool into_buffer);
// Contention-free delivery of a row transfer: the network, then the write
// into the destination tile's buffer through one port.
int64_t arrival_cycles(const ArchConfig& arch, const Program& prog, const RowTransfer& rt);
// Buffer port cycles to write `bits` into a buffer of `width_bits` ports.
inline int64_t write_cycles(int64_t bits, int width_bits) { return (bits + width_bits - 1) / width_bits; }
// Cycles the off-chip interface is busy moving `bits`.
int64_t offchip_cycles(const Program& p, int64_t bits);

}  // namespace tessera

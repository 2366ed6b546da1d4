// The chip: the tiles that run the program, the on-chip network, and the
// off-chip interface that streams the image in and the result out. Built from
// a compiled program; run with sc_start(); results gathered into a RunResult.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "arch/compile/program.hpp"
#include "arch/compile/run_result.hpp"
#include "arch/sc/clock.hpp"
#include "arch/sc/functional_hooks.hpp"
#include "arch/sc/noc.hpp"
#include "arch/sc/tile.hpp"
#include "workloads/base/stats.hpp"

namespace tessera::sc {

// The off-chip interface: releases the image row by row at its bandwidth (a
// stream of images back to back) and serialises the outputs leaving the chip.
class OffChip : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(OffChip);
  OffChip(sc_core::sc_module_name name, Chip& chip, Mode mode, sc_core::sc_clock* clk);
  void output(int64_t bits, int64_t arrival, int image);
  int64_t done_at() const { return out_free_; }
  int64_t outputs() const { return outputs_; }
  uint64_t activations() const { return activations_; }
  uint64_t handled() const { return handled_; }

 private:
  void release();
  Chip& chip_;
  Waker waker_;
  int64_t image_period_ = 0;  // cycles the interface takes to bring in one image
  int64_t out_free_ = 0, outputs_ = 0;
  uint64_t seq_ = 0;
  uint64_t activations_ = 0;
  uint64_t handled_ = 0;
};

struct SimOptions {
  Mode mode = Mode::Event;
  bool record_intervals = false;  // for traces and VCD
  int64_t watchdog_cycles = 0;    // clocked mode: stop after this many cycles without progress (0: 10x the analytical estimate)
  int images = 1;                 // a stream of this many images, back to back at the off-chip interface
  FunctionalHooks* hooks = nullptr;  // functional mode: values computed as the simulation moves them (null: timing only)
};

class Chip : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Chip);
  Chip(sc_core::sc_module_name name, const Network& net, const ArchConfig& arch, const Program& prog,
       const SimOptions& opt);
  ~Chip() override;

  const Network& net() const { return net_; }
  const ArchConfig& arch() const { return arch_; }
  const Program& prog() const { return prog_; }
  Noc& noc() { return *noc_; }
  Tile* tile(int host, int tile_id);  // null if that host has no such tile
  const std::vector<Tile*>& host_tiles(int host) const { return host_tiles_[host]; }
  Mode mode() const { return opt_.mode; }
  int images() const { return opt_.images; }
  FunctionalHooks* hooks() const { return opt_.hooks; }

  // Sends `bits` of `layer`'s row `row` from tile `src` (-1: off chip) as transfer `rt`.
  // `from`: the sending tile (null for the off-chip interface), charged with any wait for line-buffer space.
  void send_row(const RowTransfer& rt, int src_tile, int64_t row, int64_t ready, uint64_t seq, EventCounts& charge,
                Tile* from = nullptr);
  // A tile has finished all its positions of image `image` at `cycle`.
  void tile_done(int host, int image, int64_t cycle);
  // A home tile of `host` has completed row `y`; the functional hooks hear of
  // the row once every home tile (all replicas) has.
  void home_row_done(int host, int64_t y);
  void output_done(int image, int64_t cycle);

  bool finished() const;
  RunResult result() const;
  void write_stats(stats::Group& root) const;
  EventCounts io_events;  // input transfers (off-chip input and input-stream layers are static)

 private:
  void watchdog();
  const Network& net_;
  const ArchConfig& arch_;
  const Program& prog_;
  SimOptions opt_;
  std::unique_ptr<sc_core::sc_clock> clk_;
  std::unique_ptr<Noc> noc_;
  std::unique_ptr<OffChip> offchip_;
  std::vector<std::unique_ptr<Tile>> tiles_;
  std::map<std::pair<int, int>, Tile*> by_key_;  // (host, tile) -> tile
  std::vector<std::vector<Tile*>> host_tiles_;
  std::vector<int> host_order_, order_pos_;
  void open_host(int host, int image, int64_t cycle);
  std::vector<int64_t> image_ends() const;  // per image: its last output bit or position
  std::vector<std::vector<int>> tiles_left_;      // [host][image]: tiles still working on it
  std::vector<std::vector<int64_t>> host_end_;    // [host][image]
  int outputs_expected_ = 0;                      // per image
  std::vector<int> outputs_seen_;                 // per image
  std::vector<int64_t> output_end_;               // per image: last output bit
  int64_t last_progress_ = 0, progress_mark_ = 0;
  int64_t output_space_wait_ = 0;
  bool stalled_ = false;
  std::vector<int64_t> input_sent_;  // per input transfer: rows sent
  std::vector<int> home_tiles_;                 // per host (functional mode only)
  std::vector<std::vector<int>> home_rows_;     // per host and row: home tiles that completed it
  friend class OffChip;
};


// The measured steady-state interval of a stream from its images' end
// cycles. The first image has no predecessor (it starts into an empty chip)
// and the last none after it (nothing competes with it), so their intervals
// are not the steady state: with n >= 4 images, the mean interval from image
// max(1, (n-1)/2) to image n-2; with 2 or 3, the last interval; 0 for fewer.
double steady_interval(const std::vector<int64_t>& image_end);

// Elaborates the chip, runs the simulation and returns its result. One per process.
RunResult simulate_chip(const Network& net, const ArchConfig& arch, const Program& prog, const SimOptions& opt,
                        stats::Group* stats_out = nullptr,
                        std::vector<TileActivity>* activity = nullptr);

}  // namespace tessera::sc

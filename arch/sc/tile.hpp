// A crossbar tile running its program (arch/compile/program.hpp). The tile's
// controller is one SC_METHOD that, each time it runs, completes what is due,
// starts what can start, and computes the next cycle at which anything on the
// tile can change (DRAMSys-style); other units wake it when they deliver.
// Stages (fetch, mvm, reduce, post) are servers that take positions in order.
// Submodules group the tile's units for statistics: the buffer (an arbiter of
// its own), the crossbars with DACs and sample-and-holds, the ADC bank and
// shift-and-add units, the reduction adders and the digital units.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "arch/compile/program.hpp"
#include "arch/compile/run_result.hpp"
#include "arch/sc/buffer.hpp"
#include "arch/sc/clock.hpp"
#include "arch/sc/noc.hpp"
#include "workloads/base/stats.hpp"

namespace tessera::sc {

class Chip;

// Busy intervals of a stage, merged when back to back (for traces and VCD).
struct Interval {
  int64_t start, end;
};

// What a tile did over time: busy stretches per stage, stalls per cause.
struct TileActivity {
  std::string name;  // "layer/tileN"
  std::array<std::vector<Interval>, kStages> busy;
  std::array<std::vector<Interval>, kStallCauses> stalls;
};

class Tile : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Tile);
  Tile(sc_core::sc_module_name name, Chip& chip, int host, int index_in_host, Mode mode, sc_core::sc_clock* clk,
       bool record_intervals);

  // Data from the network: `bits` of `layer`'s row `row` written into the buffer.
  void row_arrived(int layer, int64_t row, int64_t at);
  // A partial sum for position `pos` arrived at cycle `at`.
  void psum_arrived(int64_t pos, int64_t at);
  // Layer schedule and weight-reload rounds: the tile may not fetch positions
  // of image `image` before `cycle`.
  void open_gate(int image, int64_t cycle);
  // Line-buffer flow control for a stream into this tile.
  Buffer& buffer() { return *buffer_; }
  bool flow_controlled(int layer) const;
  int64_t stream_row_bits(int layer) const;  // bits of one row of `layer` arriving here
  // A row this tile sent waited for space in its consumer's line buffer.
  void output_space_wait(int64_t from, int64_t to) { add_stall(StallCause::OutputSpace, from, to); }

  int tile_id() const { return prog_.tile; }
  bool done() const { return completed_ == total_; }
  int64_t completed() const { return completed_; }
  int64_t total() const { return total_; }
  std::string describe_state() const;  // for stall diagnostics
  int64_t first_start() const { return first_start_; }
  int64_t last_end() const { return last_end_; }
  int64_t image_end(int image) const { return image_end_[image]; }  // last position of that image complete
  const TileProgram& program() const { return prog_; }
  const std::vector<Interval>& intervals(Stage s) const { return intervals_[static_cast<int>(s)]; }
  const std::vector<Interval>& stall_intervals(StallCause c) const { return stall_intervals_[static_cast<int>(c)]; }
  uint64_t activations() const { return activations_; }
  uint64_t handled() const { return handled_; }  // stage starts, completions, arrivals

  std::array<int64_t, kStages> busy{};
  std::array<int64_t, kStallCauses> stall{};
  EventCounts events;  // counted as work happens (priced by the cost table)
  int64_t incoming_wait = 0;  // cycles rows for this tile waited for links and the buffer's write port

  void write_stats(stats::Group& g) const;

 private:
  struct Item {
    int64_t pos;
    int64_t ready;
  };
  struct Stream {  // rows of one layer arriving at this tile
    int layer = -1;
    int expected = 0;              // messages per row
    std::vector<int> got;          // per row
    int64_t complete = 0;          // leading rows complete
    int64_t row_bits = 0;          // bits of one row for this tile (all senders)
    int64_t rows = 0;              // leading rows sent here per image (those the readers on this tile read)
    std::vector<std::pair<int64_t, int64_t>> arrivals;  // (cycle, row) pending
    bool flow = false;             // sends reserve space first
    int64_t released = 0;          // rows whose space was returned
  };
  void step();
  void start_stages(int64_t t);
  void finish_row(int64_t y, int64_t t);
  void send_rows(int64_t t);
  Stream* stream(int layer);
  // A stream of images: positions, rows and stream rows are numbered on
  // across images (image k's row y is row k * rows + y), so every queue and
  // counter serves a stream as it serves one image.
  int64_t row_of(int64_t pos) const { return pos / cols_; }        // row over the stream
  int64_t image_of(int64_t pos) const { return pos / per_image_; }
  int64_t local_row(int64_t row) const { return row % rows_; }    // row within its image
  // Leading rows `need` of image `image` of stream `s` are complete here.
  static bool has_rows(const Stream& s, int64_t image, int64_t need) {
    return s.expected == 0 || s.complete >= image * s.rows + need;
  }
  void mark(Stage s, int64_t start, int64_t end);
  void add_stall(StallCause c, int64_t from, int64_t to);

  Chip& chip_;
  int host_index_;
  int index_;  // in host_.tiles
  const HostProgram& host_;
  const TileProgram& prog_;
  Mode mode_;
  Waker waker_;
  std::unique_ptr<Buffer> buffer_;
  bool record_;

  int64_t cols_ = 0, rows_ = 0, total_ = 0;
  int64_t per_image_ = 0;           // positions of one image
  std::vector<int64_t> gates_;      // per image: first cycle its positions may fetch
  // fetch
  int64_t next_fetch_ = 0;
  bool fetch_waiting_ = false;
  int64_t fetch_free_ = 0;
  int64_t fetch_requested_at_ = 0;
  uint64_t seq_ = 0;
  // queues between stages
  std::deque<Item> mvm_q_, reduce_q_, post_q_, done_q_;
  int64_t mvm_free_ = 0, reduce_free_ = 0, post_free_ = 0;
  // partial sums per position (home tiles)
  std::deque<std::pair<int64_t, int64_t>> psum_pending_;  // (cycle, pos) not yet counted
  std::deque<std::pair<int, int64_t>> psum_count_;        // per position in order: (count, last arrival)
  int64_t psum_base_ = 0;                                 // position of psum_count_.front()
  // rows
  std::vector<Stream> streams_;
  std::vector<int64_t> row_done_;   // positions done per row
  int64_t rows_complete_ = 0;       // leading rows complete here
  std::vector<int64_t> sent_rows_;  // per send (host.sends index): rows sent
  int64_t completed_ = 0;
  int64_t first_start_ = -1, last_end_ = 0;
  std::vector<int64_t> image_end_;  // per image
  int64_t adc_stall_per_position_ = 0;
  std::array<std::vector<Interval>, kStages> intervals_;
  std::array<std::vector<Interval>, kStallCauses> stall_intervals_;
  uint64_t activations_ = 0;
  uint64_t handled_ = 0;
};

}  // namespace tessera::sc

// Where the functional mode (arch/functional) attaches to the SystemC engine.
// The engine calls these at the moments values move in the simulated
// hardware, so that the functional datapath computes in the simulation's own
// order; they never change timing. Plain C++: no SystemC types, so the
// datapath that implements them builds without the engine.
#pragma once

#include <cstdint>

namespace tessera::sc {

class FunctionalHooks {
 public:
  virtual ~FunctionalHooks() = default;
  // Tile `tile_index` of host `host` (index into HostProgram::tiles) starts the
  // mvm stage of its position `pos` (pos = y * cols_of_replica(replica) + k,
  // the replica's k-th column of row y).
  virtual void mvm(int host, int tile_index, int64_t pos) = 0;
  // The last home tile of `host` (over all replicas) has completed row `y` of
  // the host's weight layer; rows complete in order.
  virtual void row_done(int host, int64_t y) = 0;
};

}  // namespace tessera::sc

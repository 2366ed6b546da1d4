// The analytical model: the compiled program's stage times composed without
// contention, row by row (max-plus algebra of a tandem pipeline; equations in
// docs/analytical-model.md), and its events counted in closed form.
#pragma once

#include "arch/compile/program.hpp"
#include "arch/compile/run_result.hpp"

namespace tessera {

RunResult analytical_run(const Network& net, const ArchConfig& arch, const Program& prog);

// A host's stages aggregated over its tiles (slowest tile per stage), with the
// partial-sum transfer as a stage between mvm and reduce when present.
struct HostPipeline {
  std::vector<StageTime> stages;  // fetch, mvm, [psum], reduce, post (empty stages dropped)
  int post_index = -1;            // position of the post stage, -1 if absent
  int64_t items_per_row = 0;      // positions per row (largest replica)
};
HostPipeline host_pipeline(const ArchConfig& arch, const HostProgram& h);

// Standalone latency of a layer: sum of latencies + (positions - 1) * bottleneck.
int64_t layer_latency(const HostPipeline& p, int64_t positions);

// Cycles the off-chip interface is busy per image: bringing the image in, or
// sending the output out, whichever is longer. Images cannot follow each
// other faster than this.
int64_t offchip_interval(const Program& prog);

// Events of one host for the whole inference (tiles, partial sums, row sends).
EventCounts host_events(const ArchConfig& arch, const Network& net, const Program& prog, const HostProgram& h);

}  // namespace tessera

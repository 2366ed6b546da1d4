// The report of `estimate` and `simulate`: one schema (docs/report-reference.md),
// built by one function from a RunResult, the mapping and the cost table.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "arch/compile/program.hpp"
#include "arch/compile/run_result.hpp"
#include "arch/cost/cost_table.hpp"
#include "arch/mapping/mapping.hpp"

namespace tessera {

constexpr const char* kReportSchema = "tessera.report/1";

struct LayerReport {
  std::string name;
  std::string type;
  std::vector<std::string> hosted;  // digital layers run on this layer's tiles
  std::string unit;        // crossbar or ap
  std::string tile_class;  // the unit class
  int64_t tiles = 0;
  // AP layers: the compiled program per row tile
  int64_t ap_row_tiles = 0, ap_addsub = 0;
  double ap_passes_per_tile = 0, ap_shifts_per_tile = 0;
  int ap_accumulator_bits = 0;
  int64_t crossbars = 0;
  int replication = 1;
  int round = 0;
  // tiling
  int64_t matrix_rows = 0, matrix_cols = 0;
  int slices = 0, input_cycles = 0;
  int64_t row_blocks = 0, col_blocks = 0;
  double row_utilisation = 0, col_utilisation = 0, cell_utilisation = 0, array_utilisation = 0;
  int64_t macs = 0;
  int64_t parameters = 0;  // weights and bias (Layer::parameters)
  int64_t positions = 0;
  // timing
  int64_t start_cycle = 0, end_cycle = 0;
  int64_t layer_latency_cycles = 0;  // standalone (layer by layer)
  std::array<int64_t, kStages> busy{};
  std::array<int64_t, kStallCauses> stall{};
  // energy
  ComponentValues energy_pj{};
  double energy_total_pj = 0;
  double cell_conductance_us = -1;  // cells priced at their programmed mean conductance; negative: the device's mean
};

struct Report {
  std::string schema = kReportSchema;
  std::string tool_version;
  std::string model;
  std::string schedule;
  std::string network;
  std::string arch_name;
  std::string arch_file;
  std::vector<std::string> overrides;
  double clock_ghz = 0;
  int tiles_total = 0;
  int tiles_used = 0;
  int rounds = 1;

  std::vector<LayerReport> layers;

  int64_t cycles = 0;
  double latency_s = 0;
  ComponentValues energy_pj{};
  double energy_total_pj = 0;
  ComponentValues area_mm2{};
  double area_total_mm2 = 0;
  double used_area_mm2 = 0;       // area_total_mm2 less the tiles no layer occupies
  double used_energy_pj = 0;      // energy_total_pj less those tiles' leakage
  ComponentValues peak_power_mw{};
  double peak_power_total_mw = 0;
  double leakage_mw = 0;

  int64_t macs = 0;
  int64_t parameters = 0;  // trainable parameters as PyTorch counts them (Network::parameters)
  int64_t weights = 0;     // convolution and linear weights alone
  double ops = 0;                 // 2 * MACs
  double throughput_fps = 0;      // clock / interval_cycles
  // Cycles between consecutive images' outputs: measured on a simulated stream
  // of images, else the formula (the slowest layer's busy time per image; the
  // latency with the layer schedule; latency + one round's reprogramming with weight reload).
  double interval_cycles = 0;
  double formula_interval_cycles = 0;
  bool interval_measured = false;
  int images = 1;                     // images simulated
  std::vector<int64_t> image_end;     // simulated stream: each image's last output bit
  double latency_fps = 0;         // 1 / latency
  double tops = 0;                // ops * throughput_fps / 1e12
  double tops_per_w = 0;          // ops / energy
  double tops_per_mm2 = 0;
  double edap = 0;                // energy (J) * latency (s) * area (mm^2)
  double edap_used = 0;           // used energy (J) * latency (s) * used area (mm^2)

  double model_wall_s = 0;
  uint64_t sim_events = 0;
  uint64_t sim_activations = 0;
  std::vector<LinkStat> links;
  EventCounts events;             // whole inference
  std::string stats_json;         // simulation: the statistics tree, as JSON (embedded under "stats")
  std::string functional_json;    // functional mode: logits and comparison, as JSON (embedded under "functional")
};

Report build_report(const Network& net, const ArchConfig& arch, const Mapping& map, const Program& prog,
                    const CostTable& cost, const RunResult& run);

void write_json(const Report& r, std::ostream& os);
void write_layers_csv(const Report& r, std::ostream& os);
void print_console(const Report& r, std::ostream& os);

// Writes text to a file atomically (temporary file, then rename), so a
// failure never leaves partial output behind.
void write_file_atomic(const std::string& path, const std::string& text);
// Writes several files all or nothing: every one goes to a temporary file
// first; only when all of them are written are they renamed into place.
// Empty paths are skipped.
void write_files_atomic(const std::vector<std::pair<std::string, std::string>>& files);
// Fails early (InputError) when an output's directory does not exist, before any work is done.
void check_output_paths(const std::vector<std::string>& paths);

}  // namespace tessera

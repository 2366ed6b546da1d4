#include "sim/report/report.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "arch/analytical/model.hpp"

#ifndef TESSERA_VERSION
#define TESSERA_VERSION "0.0.0"
#endif

namespace tessera {

Report build_report(const Network& net, const ArchConfig& arch, const Mapping& map, const Program& prog,
                    const CostTable& cost, const RunResult& run) {
  Report r;
  r.tool_version = TESSERA_VERSION;
  r.model = run.model;
  r.schedule = run.schedule;
  r.network = net.name;
  r.arch_name = arch.name;
  r.arch_file = arch.file;
  r.overrides = arch.overrides;
  r.clock_ghz = arch.clock_ghz;
  r.tiles_total = arch.total_tiles();
  for (int n : map.tiles_used_per_class) r.tiles_used += n;
  r.rounds = prog.rounds;
  r.cycles = run.cycles;
  r.latency_s = double(run.cycles) / (arch.clock_ghz * 1e9);
  r.model_wall_s = run.wall_seconds;
  r.sim_events = run.sim_events;
  r.sim_activations = run.sim_activations;
  r.links = run.links;

  int64_t slowest = 1;  // busy cycles per image of the slowest layer
  for (size_t hi = 0; hi < prog.hosts.size(); ++hi) {
    const auto& h = prog.hosts[hi];
    const auto& hr = run.hosts[hi];
    const Layer& l = net.layers[h.layer];
    const auto& lm = map.layers[h.layer];
    LayerReport lr;
    lr.name = l.name;
    lr.type = to_string(l.type);
    for (int x : h.hosted) lr.hosted.push_back(net.layers[x].name);
    lr.tile_class = arch.class_name(lm.tile_class);
    lr.unit = lm.unit;
    if (h.on_ap) {
      lr.ap_addsub = h.ap.addsub;
      lr.ap_passes_per_tile = h.ap.passes_per_tile;
      lr.ap_shifts_per_tile = h.ap.shifts_per_tile;
      lr.ap_row_tiles = h.out_rows * h.out_cols;
      lr.ap_accumulator_bits = h.ap.accumulator_bits;
    }
    lr.tiles = lm.tiles_used;
    lr.crossbars = lm.tiling.crossbars * lm.replication;
    lr.replication = lm.replication;
    lr.round = lm.round;
    lr.matrix_rows = lm.tiling.rows;
    lr.matrix_cols = lm.tiling.cols;
    lr.slices = lm.tiling.slices;
    lr.input_cycles = lm.tiling.input_cycles;
    lr.row_blocks = lm.tiling.row_blocks;
    lr.col_blocks = lm.tiling.col_blocks;
    lr.row_utilisation = lm.row_utilisation;
    lr.col_utilisation = lm.col_utilisation;
    lr.cell_utilisation = lm.cell_utilisation;
    lr.array_utilisation = lm.array_utilisation;
    lr.macs = l.macs();
    lr.parameters = l.parameters();
    lr.positions = l.positions();
    lr.start_cycle = hr.start;
    lr.end_cycle = hr.end;
    lr.layer_latency_cycles = hr.layer_latency;
    lr.busy = hr.busy;
    lr.stall = hr.stall;
    lr.energy_pj = cost.energy_by_component(lm.tile_class, hr.events);
    lr.energy_total_pj = CostTable::sum(lr.energy_pj);
    lr.cell_conductance_us = h.cell_conductance_us;
    for (int c = 0; c < kComponents; ++c) r.energy_pj[c] += lr.energy_pj[c];
    r.events += hr.events;
    const HostPipeline pipe = host_pipeline(arch, h);
    int64_t bottleneck = 0;
    for (const auto& s : pipe.stages) bottleneck = std::max(bottleneck, s.occupancy);
    slowest = std::max(slowest, bottleneck * h.out_rows * pipe.items_per_row);
    r.layers.push_back(std::move(lr));
  }
  const int cls0 = prog.hosts.empty() ? 0 : prog.hosts.front().tile_class;
  auto add_energy = [&](const EventCounts& e) {
    auto v = cost.energy_by_component(cls0, e);
    for (int c = 0; c < kComponents; ++c) r.energy_pj[c] += v[c];
    r.events += e;
  };
  add_energy(run.io_events);
  add_energy(run.reload_events);

  const auto& leak = cost.chip_leakage_mw();
  r.leakage_mw = CostTable::sum(leak);
  // Static energy of one inference: an image alone holds the chip for its
  // latency; in a measured stream images overlap, and each holds it for the
  // interval between outputs. mW * ns = pJ.
  const double held_cycles = run.interval_cycles > 0 ? run.interval_cycles : double(run.cycles);
  r.energy_pj[static_cast<int>(Component::Leakage)] += r.leakage_mw * held_cycles / arch.clock_ghz;
  r.energy_total_pj = CostTable::sum(r.energy_pj);
  r.area_mm2 = cost.chip_area_mm2();
  r.area_total_mm2 = CostTable::sum(r.area_mm2);
  // A chip built for this network: tiles of each class that no layer occupies
  // are left out (NAX prices the hardware each layer's crossbar size needs).
  // The leakage of those tiles goes with them (mW * ns = pJ).
  r.used_area_mm2 = r.area_total_mm2;
  r.used_energy_pj = r.energy_total_pj;
  for (int c = 0; c < arch.unit_classes(); ++c) {
    const double unused = double(arch.class_count(c) - map.tiles_used_per_class[c]);
    r.used_area_mm2 -= unused * CostTable::sum(cost.tile_area_mm2(c));
    r.used_energy_pj -= unused * CostTable::sum(cost.tile_leakage_mw(c)) * held_cycles / arch.clock_ghz;
  }
  r.peak_power_mw = cost.chip_peak_mw();
  r.peak_power_total_mw = CostTable::sum(r.peak_power_mw);

  r.macs = net.macs();
  r.parameters = net.parameters();
  r.weights = net.weights();
  r.ops = 2.0 * double(r.macs);
  r.latency_fps = r.latency_s > 0 ? 1.0 / r.latency_s : 0;
  // Pipelined: the slowest layer, unless the off-chip interface is slower still.
  slowest = std::max(slowest, offchip_interval(prog));
  r.formula_interval_cycles = arch.mapping.schedule == "layer" ? double(run.cycles) : double(slowest);
  // With weight reload images cannot overlap rounds: each image runs every
  // round, and the next one starts once round 0's weights are programmed again.
  if (prog.rounds > 1) r.formula_interval_cycles = double(run.cycles + prog.reload_cycles);
  // A simulated stream measures it.
  r.images = run.images;
  r.image_end = run.image_end;
  r.interval_measured = run.interval_cycles > 0;
  r.interval_cycles = r.interval_measured ? run.interval_cycles : r.formula_interval_cycles;
  r.throughput_fps = r.interval_cycles > 0 ? arch.clock_ghz * 1e9 / r.interval_cycles : 0;
  r.tops = r.ops * r.throughput_fps / 1e12;
  const double energy_j = r.energy_total_pj * 1e-12;
  r.tops_per_w = energy_j > 0 ? r.ops / energy_j / 1e12 : 0;
  r.tops_per_mm2 = r.area_total_mm2 > 0 ? r.tops / r.area_total_mm2 : 0;
  r.edap = energy_j * r.latency_s * r.area_total_mm2;
  r.edap_used = r.used_energy_pj * 1e-12 * r.latency_s * r.used_area_mm2;
  return r;
}

namespace {

nlohmann::ordered_json components(const ComponentValues& v) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (int c = 0; c < kComponents; ++c)
    if (v[c] != 0) j[to_string(static_cast<Component>(c))] = v[c];
  return j;
}

}  // namespace

void write_json(const Report& r, std::ostream& os) {
  using J = nlohmann::ordered_json;
  J j;
  j["schema"] = r.schema;
  j["tool_version"] = r.tool_version;
  j["model"] = r.model;
  j["schedule"] = r.schedule;
  j["network"] = r.network;
  j["arch"] = {{"name", r.arch_name}, {"file", r.arch_file}, {"overrides", r.overrides}, {"clock_ghz", r.clock_ghz},
               {"tiles_total", r.tiles_total}, {"tiles_used", r.tiles_used}, {"weight_reload_rounds", r.rounds}};
  J totals;
  totals["cycles"] = r.cycles;
  totals["latency_s"] = r.latency_s;
  totals["energy_pj"] = r.energy_total_pj;
  totals["energy_by_component_pj"] = components(r.energy_pj);
  totals["area_mm2"] = r.area_total_mm2;
  totals["area_by_component_mm2"] = components(r.area_mm2);
  totals["used_area_mm2"] = r.used_area_mm2;
  totals["used_energy_pj"] = r.used_energy_pj;
  totals["peak_power_mw"] = r.peak_power_total_mw;
  totals["peak_power_by_component_mw"] = components(r.peak_power_mw);
  totals["leakage_power_mw"] = r.leakage_mw;
  j["totals"] = totals;
  j["metrics"] = {{"macs", r.macs},
                  {"parameters", r.parameters},
                  {"weights", r.weights},
                  {"ops", r.ops},
                  {"throughput_fps", r.throughput_fps},
                  {"interval_cycles", r.interval_cycles},
                  {"latency_fps", r.latency_fps},
                  {"tops", r.tops},
                  {"tops_per_w", r.tops_per_w},
                  {"tops_per_mm2", r.tops_per_mm2},
                  {"edap_j_s_mm2", r.edap},
                  {"edap_used_j_s_mm2", r.edap_used}};
  J events = J::object();
  for (int e = 0; e < kEvents; ++e)
    if (r.events.n[e] != 0) events[to_string(static_cast<Event>(e))] = r.events.n[e];
  j["events"] = events;
  J layers = J::array();
  for (const auto& l : r.layers) {
    J lj;
    lj["name"] = l.name;
    lj["type"] = l.type;
    lj["hosted"] = l.hosted;
    lj["mapping"] = {{"unit", l.unit},
                     {"tile_class", l.tile_class},
                     {"tiles", l.tiles},
                     {"crossbars", l.crossbars},
                     {"replication", l.replication},
                     {"round", l.round},
                     {"matrix_rows", l.matrix_rows},
                     {"matrix_cols", l.matrix_cols},
                     {"slices", l.slices},
                     {"input_cycles", l.input_cycles},
                     {"row_blocks", l.row_blocks},
                     {"col_blocks", l.col_blocks},
                     {"row_utilisation", l.row_utilisation},
                     {"col_utilisation", l.col_utilisation},
                     {"cell_utilisation", l.cell_utilisation},
                     {"array_utilisation", l.array_utilisation}};
    if (l.unit == "ap")
      lj["ap"] = {{"row_tiles", l.ap_row_tiles},
                  {"addsub_per_tile", l.ap_addsub},
                  {"passes_per_tile", l.ap_passes_per_tile},
                  {"shifts_per_tile", l.ap_shifts_per_tile},
                  {"accumulator_bits", l.ap_accumulator_bits}};
    lj["macs"] = l.macs;
    lj["parameters"] = l.parameters;
    lj["positions"] = l.positions;
    lj["start_cycle"] = l.start_cycle;
    lj["end_cycle"] = l.end_cycle;
    lj["layer_latency_cycles"] = l.layer_latency_cycles;
    J busy = J::object(), stall = J::object();
    for (int s = 0; s < kStages; ++s) busy[to_string(static_cast<Stage>(s))] = l.busy[s];
    for (int s = 0; s < kStallCauses; ++s) stall[to_string(static_cast<StallCause>(s))] = l.stall[s];
    lj["busy_cycles"] = busy;
    lj["stall_cycles"] = stall;
    lj["energy_pj"] = l.energy_total_pj;
    lj["energy_by_component_pj"] = components(l.energy_pj);
    if (l.cell_conductance_us >= 0) lj["cell_conductance_us"] = l.cell_conductance_us;
    layers.push_back(lj);
  }
  j["layers"] = layers;
  J run = {{"wall_s", r.model_wall_s}};
  if (r.sim_events) run["sim_events"] = r.sim_events;
  if (r.sim_activations) run["sim_activations"] = r.sim_activations;
  if (!r.links.empty()) {
    J links = J::array();
    for (const auto& l : r.links)
      if (l.busy || l.contention) links.push_back({{"name", l.name}, {"busy_cycles", l.busy}, {"contention_cycles", l.contention}});
    run["links"] = links;
  }
  j["run"] = run;
  j["stream"] = {{"images", r.images},
                 {"interval", r.interval_measured ? "measured" : "formula"},
                 {"interval_cycles", r.interval_cycles},
                 {"formula_interval_cycles", r.formula_interval_cycles},
                 {"end_cycles", r.image_end}};
  if (!r.functional_json.empty()) j["functional"] = J::parse(r.functional_json);
  if (!r.stats_json.empty()) j["stats"] = J::parse(r.stats_json);
  os << j.dump(2) << "\n";
}

void write_layers_csv(const Report& r, std::ostream& os) {
  os << "layer,type,tile_class,tiles,crossbars,replication,slices,input_cycles,row_blocks,col_blocks,"
        "cell_utilisation,macs,start_cycle,end_cycle,layer_latency_cycles,energy_pj";
  for (int c = 0; c < kComponents; ++c) os << ",energy_" << to_string(static_cast<Component>(c)) << "_pj";
  os << "\n";
  for (const auto& l : r.layers) {
    os << l.name << "," << l.type << "," << l.tile_class << "," << l.tiles << "," << l.crossbars << "," << l.replication
       << "," << l.slices << "," << l.input_cycles << "," << l.row_blocks << "," << l.col_blocks << ","
       << fmt::format("{:.4f}", l.cell_utilisation) << "," << l.macs << "," << l.start_cycle << "," << l.end_cycle << ","
       << l.layer_latency_cycles << "," << fmt::format("{:.6g}", l.energy_total_pj);
    for (int c = 0; c < kComponents; ++c) os << "," << fmt::format("{:.6g}", l.energy_pj[c]);
    os << "\n";
  }
}

namespace {
std::string si(double v, const char* unit) {
  const char* prefixes[] = {"p", "n", "u", "m", "", "k", "M", "G", "T"};
  int i = 4;
  double a = std::fabs(v);
  while (a >= 1000 && i < 8) { a /= 1000; v /= 1000; ++i; }
  while (a > 0 && a < 1 && i > 0) { a *= 1000; v *= 1000; --i; }
  return fmt::format("{:.3g} {}{}", v, prefixes[i], unit);
}
}  // namespace

void print_console(const Report& r, std::ostream& os) {
  os << fmt::format("tessera {} — {} of '{}' on '{}' ({} schedule)\n", r.tool_version, r.model, r.network, r.arch_name,
                    r.schedule);
  os << fmt::format("{:<22} {:>6} {:>6} {:>5} {:>7} {:>12} {:>12} {:>11}\n", "layer", "tiles", "xbars", "util",
                    "cycles", "start", "end", "energy");
  for (const auto& l : r.layers) {
    std::string name = l.name.size() > 22 ? l.name.substr(0, 21) + "~" : l.name;
    os << fmt::format("{:<22} {:>6} {:>6} {:>4.0f}% {:>7} {:>12} {:>12} {:>11}\n", name, l.tiles, l.crossbars,
                      100 * l.cell_utilisation, si(double(l.end_cycle - l.start_cycle), ""), l.start_cycle, l.end_cycle,
                      si(l.energy_total_pj * 1e-12, "J"));
  }
  os << fmt::format("\nlatency    {} cycles = {}   throughput {:.4g} frames/s\n", r.cycles, si(r.latency_s, "s"),
                    r.throughput_fps);
  if (r.interval_measured)
    os << fmt::format("stream     {} images: interval {:.6g} cycles measured (formula {:.6g})\n", r.images,
                      r.interval_cycles, r.formula_interval_cycles);
  os << fmt::format("energy     {} per inference\n", si(r.energy_total_pj * 1e-12, "J"));
  std::string parts;
  for (int c = 0; c < kComponents; ++c) {
    if (r.energy_pj[c] <= 0) continue;
    double pct = 100 * r.energy_pj[c] / r.energy_total_pj;
    if (pct < 0.05) continue;
    parts += fmt::format("{} {:.1f}%  ", to_string(static_cast<Component>(c)), pct);
  }
  os << "           " << parts << "\n";
  os << fmt::format("area       {:.4g} mm^2   peak power {}   tiles used {}/{}\n", r.area_total_mm2,
                    si(r.peak_power_total_mw * 1e-3, "W"), r.tiles_used, r.tiles_total);
  os << fmt::format("metrics    {:.4g} TOPS   {:.4g} TOPS/W   {:.4g} TOPS/mm^2   EDAP {:.4g} J*s*mm^2   ({:.4g} GMACs, {:.4g} M parameters)\n",
                    r.tops, r.tops_per_w, r.tops_per_mm2, r.edap, double(r.macs) / 1e9, double(r.parameters) / 1e6);
  os << fmt::format("model time {}\n", si(r.model_wall_s, "s"));
}

void check_output_paths(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  for (const auto& path : paths) {
    if (path.empty()) continue;
    fs::path p(path);
    if (p.has_parent_path() && !fs::is_directory(p.parent_path()))
      throw InputError({path, 0, 0}, "", "output directory '" + p.parent_path().string() + "' does not exist");
    if (fs::is_directory(p)) throw InputError({path, 0, 0}, "", "output path is a directory");
  }
}

void write_files_atomic(const std::vector<std::pair<std::string, std::string>>& files) {
  namespace fs = std::filesystem;
  std::vector<std::string> paths;
  for (const auto& [path, text] : files) paths.push_back(path);
  check_output_paths(paths);
  std::vector<std::pair<fs::path, fs::path>> staged;  // (temporary, final)
  try {
    for (const auto& [path, text] : files) {
      if (path.empty()) continue;
      fs::path tmp = path;
      tmp += ".tmp." + std::to_string(::getpid());
      std::ofstream f(tmp);
      if (!f) throw InputError({path, 0, 0}, "", "cannot write output file");
      staged.push_back({tmp, fs::path(path)});
      f << text;
      f.flush();
      if (!f) throw InputError({path, 0, 0}, "", "failed while writing output file");
    }
  } catch (...) {
    for (const auto& [tmp, final_path] : staged) fs::remove(tmp);
    throw;
  }
  for (const auto& [tmp, final_path] : staged) fs::rename(tmp, final_path);
}

void write_file_atomic(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  fs::path p(path);
  if (p.has_parent_path() && !fs::exists(p.parent_path())) {
    throw InputError({path, 0, 0}, "", "output directory '" + p.parent_path().string() + "' does not exist");
  }
  fs::path tmp = p;
  tmp += ".tmp." + std::to_string(::getpid());
  {
    std::ofstream f(tmp);
    if (!f) throw InputError({path, 0, 0}, "", "cannot write output file");
    f << text;
    f.flush();
    if (!f) throw InputError({path, 0, 0}, "", "failed while writing output file");
  }
  fs::rename(tmp, p);
}

}  // namespace tessera

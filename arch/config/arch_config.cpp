#include "arch/config/arch_config.hpp"

#include <cmath>
#include <set>

#include "arch/cost/pricing.hpp"
#include "arch/device/device.hpp"

namespace tessera {

void OffchipParams::load(const io::Section& s) {
  bandwidth_gbytes_s = s.number("bandwidth_gbytes_s", "off-chip bandwidth (GB/s)", bandwidth_gbytes_s, 1e-6, 1e6);
  energy_pj_per_byte = s.number("energy_pj_per_byte", "energy per byte moved off chip (pJ)", energy_pj_per_byte, 0, 1e6);
  area_mm2 = s.number("area_mm2", "area of the off-chip interface (mm^2)", area_mm2, 0, 1e4);
  leakage_mw = s.number("leakage_mw", "static power of the interface (mW)", leakage_mw, 0, 1e7);
  count_in_chip = s.boolean("count_in_chip", "include the interface in chip area and power totals", count_in_chip);
  s.finish();
}

void MappingParams::load(const io::Section& s) {
  signed_weights = s.string("signed_weights", "signed weights as differential column pairs or as offset plus a reference column",
                            signed_weights, {"differential", "offset"});
  rule = s.string("rule", "tile class choice for layers without a hint: first class with room, best cell utilisation, or smallest arrays",
                  rule, {"first_fit", "best_utilisation", "smallest"});
  auto layers = s.table("layers", "per-layer tile class: layer_name = \"class\"");
  for (const auto& k : layers.free_keys()) {
    layer_class[k] = layers.string(k, "tile class for this layer", "");
  }
  replicate = s.string("replicate", "replicate early layers to balance the pipeline", replicate, {"none", "balance"});
  max_replication = int(s.integer("max_replication", "largest replication factor of one layer", max_replication, 1, 1 << 16));
  weight_reload = s.boolean("weight_reload", "allow networks larger than the chip by reprogramming crossbars (time and energy counted)", weight_reload);
  schedule = s.string("schedule", "pipelined: a layer starts as soon as its input rows exist (ISAAC); layer: one layer at a time",
                      schedule, {"pipelined", "layer"});
  accumulator_bits = int(s.integer("accumulator_bits", "width of partial sums moved between tiles", accumulator_bits, 1, 64));
  unit = s.string("unit", "unit for weight layers without a hint: auto (crossbar tiles if the chip has them, else APs), crossbar, ap",
                  unit, {"auto", "crossbar", "ap"});
  seed = uint64_t(s.integer("seed", "seed of random weights where a model needs weight values and none are given (AP compilation)",
                            int64_t(seed), 0, INT64_MAX));
  s.finish();
}

int ArchConfig::crossbar_tiles() const {
  int n = 0;
  for (const auto& c : tile_classes) n += c.count;
  return n;
}

int ArchConfig::total_tiles() const {
  int n = crossbar_tiles();
  for (const auto& c : ap_classes) n += c.count;
  return n;
}

int ArchConfig::class_index(const std::string& n) const {
  for (size_t i = 0; i < tile_classes.size(); ++i)
    if (tile_classes[i].name == n) return int(i);
  for (size_t i = 0; i < ap_classes.size(); ++i)
    if (ap_classes[i].name == n) return int(tile_classes.size() + i);
  return -1;
}

int ArchConfig::class_count(int cls) const { return is_ap_class(cls) ? ap_class(cls).count : tile_classes.at(cls).count; }

const std::string& ArchConfig::class_name(int cls) const {
  return is_ap_class(cls) ? ap_class(cls).name : tile_classes.at(cls).name;
}

int ArchConfig::first_unit_of_class(int cls) const {
  int n = 0;
  for (int c = 0; c < cls; ++c) n += class_count(c);
  return n;
}

const device::Device& ArchConfig::device_of(int tile_class) const {
  return *devices.at(tile_classes.at(tile_class).crossbar.device);
}

int ArchConfig::cycles(double ns) const {
  double c = ns * clock_ghz;
  int r = int(std::ceil(c - 1e-9));
  return r < 1 ? 1 : r;
}

ArchConfig read_arch(const io::Section& root) {
  ArchConfig a;
  a.file = root.file();
  auto chip = root.table("chip", "chip-level parameters", true);
  a.name = chip.string("name", "chip name shown in reports", "chip");
  a.clock_ghz = chip.number("clock_ghz", "clock of the digital logic; every latency is counted in its cycles (GHz)", 1.0, 1e-6, 100);
  a.tech.load(chip.table("technology", "CMOS technology node pricing every figure a preset does not pin (docs/cost-model.md)"));
  a.noc.load(chip.table("noc", "on-chip network"));
  a.global_buffer.load(chip.table("global_buffer", "global buffer (bytes = 0: none)"));
  a.offchip.load(chip.table("offchip", "off-chip interface"));
  chip.finish();

  auto classes = root.table_array("tile_class", "crossbar tile classes (several for a heterogeneous chip)");
  auto ap_classes = root.table_array("ap_class", "associative-processor classes (AP units on racetrack memory)");
  if (classes.empty() && ap_classes.empty() && !root.describing())
    root.fail("tile_class", "at least one [[tile_class]] or [[ap_class]] is required");
  std::set<std::string> names;
  for (const auto& cs : classes) {
    TileClassParams t;
    t.load(cs);
    if (!names.insert(t.name).second && !root.describing()) cs.fail("name", "duplicate class name '" + t.name + "'");
    a.tile_classes.push_back(std::move(t));
  }
  for (const auto& cs : ap_classes) {
    ApClassParams t;
    t.load(cs);
    if (!names.insert(t.name).second && !root.describing()) cs.fail("name", "duplicate class name '" + t.name + "'");
    a.ap_classes.push_back(std::move(t));
  }
  // Devices: [device.NAME] sections, each with impl = a registered model.
  auto devs = root.table("device", "cell technologies: [device.NAME] with impl = pcm, rram, fefet or sram");
  if (root.describing()) {
    device::Device::create(devs.table("NAME", "one device model"));
  } else {
    for (const auto& name : devs.free_keys()) {
      a.devices[name] = device::Device::create(devs.table(name, "device model", true));
    }
  }
  for (size_t i = 0; i < a.tile_classes.size() && !root.describing(); ++i) {
    const auto& xb = a.tile_classes[i].crossbar;
    if (!a.devices.count(xb.device)) {
      bool known = false;
      for (const auto& e : Registry<device::Device>::entries()) known |= e.name == xb.device;
      if (!known) {
        classes[i].table("crossbar", "").fail("device", "no [device." + xb.device + "] section and no device model named '" +
                                                            xb.device + "'; models: " + Registry<device::Device>::names());
      }
      auto doc = io::Document::from_string("impl = \"" + xb.device + "\"\n", "default device '" + xb.device + "'");
      a.devices[xb.device] = device::Device::create(doc.root());
    }
    const auto& dev = *a.devices[xb.device];
    const int levels = dev.options().levels;
    if (levels > 0 && levels < (1 << xb.bits_per_cell)) {
      classes[i].table("crossbar", "").fail("bits_per_cell", std::to_string(xb.bits_per_cell) + " bits per cell need " +
                                                                 std::to_string(1 << xb.bits_per_cell) + " levels; device '" +
                                                                 xb.device + "' has " + std::to_string(levels));
    }
  }

  auto ms = root.table("mapping", "how layers are placed on tiles");
  a.mapping.load(ms);
  if (!root.describing()) {
    auto layers = ms.table("layers", "");
    for (const auto& [layer, cls] : a.mapping.layer_class) {
      if (a.class_index(cls) < 0) {
        std::string allowed;
        for (int c = 0; c < a.unit_classes(); ++c) allowed += (allowed.empty() ? "" : ", ") + a.class_name(c);
        layers.fail(layer, "no tile class named '" + cls + "'; classes: " + allowed);
      }
    }
  }
  root.finish();
  if (!root.describing()) {
    a.noc.topology->attach(a.total_tiles());
    price_components(a);
  }
  return a;
}

ArchConfig load_arch(const std::string& path, const std::vector<std::string>& overrides) {
  auto doc = io::Document::from_file(path);
  for (const auto& o : overrides) doc.apply_override(o);
  ArchConfig a = read_arch(doc.root());
  a.overrides = overrides;
  return a;
}

std::vector<io::ParamInfo> describe_arch() {
  auto doc = io::Document::describer();
  read_arch(doc.root());
  return doc.described();
}

}  // namespace tessera

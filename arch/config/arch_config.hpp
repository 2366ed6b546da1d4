// The hardware description: chip -> tile classes -> IMAs -> crossbars with
// their periphery, the on-chip network, the off-chip interface and the
// mapping policy. Parsed from configs/arch/*.toml into plain structs, every
// value checked in one place (the load functions), `--set` overrides applied first.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "arch/components/ap_class.hpp"
#include "arch/components/storage.hpp"
#include "arch/components/tile.hpp"
#include "arch/cost/technology.hpp"
#include "arch/noc/topology.hpp"
#include "workloads/io/toml_reader.hpp"

namespace tessera {
namespace device {
class Device;
}

struct OffchipParams {
  double bandwidth_gbytes_s = 25.6;  // GB/s
  double energy_pj_per_byte = 0;
  double area_mm2 = 0;
  double leakage_mw = 0;
  bool count_in_chip = false;        // include in the chip totals (ISAAC reports them separately)

  void load(const io::Section& s);
};

struct MappingParams {
  std::string signed_weights = "differential";  // differential pair columns, or offset + reference column
  std::string rule = "first_fit";               // how layers pick a tile class
  std::map<std::string, std::string> layer_class;  // [mapping.layers] layer = "class"
  std::string replicate = "none";               // none | balance
  int max_replication = 16;
  bool weight_reload = false;                   // allow networks larger than the chip
  std::string schedule = "pipelined";           // pipelined (ISAAC) | layer (layer by layer)
  int accumulator_bits = 32;                    // partial sums moved between tiles
  std::string unit = "auto";                    // which unit runs weight layers without a hint
  uint64_t seed = 1;                            // random weights where a model needs values and none are given

  void load(const io::Section& s);
};

struct ArchConfig {
  std::string file;
  std::string name;
  double clock_ghz = 1.0;
  Technology tech;
  NocParams noc;
  StorageParams global_buffer;
  OffchipParams offchip;
  std::vector<TileClassParams> tile_classes;
  std::vector<ApClassParams> ap_classes;
  MappingParams mapping;
  // Cell technologies by name: [device.NAME] sections, plus a default-configured
  // model for every crossbar.device that names a registered model directly.
  std::map<std::string, std::shared_ptr<const device::Device>> devices;
  std::vector<std::string> overrides;  // the --set assignments applied

  const device::Device& device_of(int tile_class) const;
  // Units on the chip: crossbar tiles first, then AP units; every one has a
  // network port. Unit classes share one index space: tile classes, then AP classes.
  int total_tiles() const;
  int crossbar_tiles() const;
  int class_index(const std::string& name) const;  // -1 if absent
  int unit_classes() const { return int(tile_classes.size() + ap_classes.size()); }
  bool is_ap_class(int cls) const { return cls >= int(tile_classes.size()); }
  const ApClassParams& ap_class(int cls) const { return ap_classes.at(cls - tile_classes.size()); }
  int first_unit_of_class(int cls) const;
  int class_count(int cls) const;
  const std::string& class_name(int cls) const;
  const StorageParams& unit_buffer(int cls) const {
    return is_ap_class(cls) ? ap_class(cls).buffer : tile_classes.at(cls).buffer;
  }
  double cycle_ns() const { return 1.0 / clock_ghz; }
  int cycles(double ns) const;  // ns rounded up to whole cycles (at least 1)
};

// Loads a preset and applies `--set` overrides; InputError on any bad value.
ArchConfig load_arch(const std::string& path, const std::vector<std::string>& overrides = {});
ArchConfig read_arch(const io::Section& root);
// Every parameter of the arch config with type, default, range and description.
std::vector<io::ParamInfo> describe_arch();

}  // namespace tessera

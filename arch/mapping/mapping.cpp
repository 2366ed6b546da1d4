#include "arch/mapping/mapping.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace tessera {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Input channel of matrix row `row` (rows are ordered channel-major: all
// kernel positions of channel 0 first), within its group.
int64_t channel_of_row(const Layer& l, int64_t row) {
  int64_t per_channel = l.type == LayerType::Linear ? l.in.h * l.in.w : int64_t(l.kernel_h) * l.kernel_w;
  return row / per_channel;
}

}  // namespace

CrossbarTiling tile_layer(const Layer& l, const TileClassParams& tc, const MappingParams& mp) {
  CrossbarTiling t;
  const auto& xb = tc.crossbar;
  t.xbar_rows = xb.rows;
  t.xbar_cols = xb.cols;
  t.rows = l.matrix_rows();
  t.cols = l.matrix_cols();
  t.groups = l.type == LayerType::Conv2d ? l.groups : 1;
  t.slices = int(ceil_div(l.weight_bits, xb.bits_per_cell));
  bool differential = mp.signed_weights == "differential";
  t.cols_per_weight = t.slices * (differential ? 2 : 1);
  t.ref_cols = differential ? 0 : 1;
  int usable = xb.cols - t.ref_cols;
  if (usable < t.cols_per_weight) {
    throw InputError({"tile class '" + tc.name + "'", 0, 0}, "crossbar.cols",
                     "layer '" + l.name + "' needs " + std::to_string(t.cols_per_weight + t.ref_cols) +
                         " columns for one weight (" + std::to_string(l.weight_bits) + " bits in " +
                         std::to_string(t.slices) + " slices of " + std::to_string(xb.bits_per_cell) + " bits" +
                         (differential ? ", differential pairs" : ", plus a reference column") + ") but arrays have " +
                         std::to_string(xb.cols));
  }
  t.weights_per_xbar = usable / t.cols_per_weight;
  t.input_cycles = int(ceil_div(l.activation_bits, tc.dac.bits));

  // Small groups (depthwise) are packed block-diagonally into one array.
  if (t.groups > 1 && t.rows <= xb.rows && t.cols <= t.weights_per_xbar) {
    t.groups_per_xbar = int(std::min<int64_t>({xb.rows / t.rows, t.weights_per_xbar / t.cols, int64_t(t.groups)}));
  }
  t.group_sets = ceil_div(t.groups, t.groups_per_xbar);
  if (t.groups_per_xbar > 1) {
    t.row_blocks = t.col_blocks = 1;
  } else {
    t.row_blocks = ceil_div(t.rows, xb.rows);
    t.col_blocks = ceil_div(t.cols, t.weights_per_xbar);
  }
  t.crossbars = t.group_sets * t.row_blocks * t.col_blocks;
  // Weight slices, plus one reference cell per used row in every array (offset encoding).
  t.used_cells = int64_t(t.groups) * t.rows * (t.cols * t.cols_per_weight + t.ref_cols * t.col_blocks);
  return t;
}

namespace {

struct Allocator {
  const ArchConfig& arch;
  std::vector<int> first_tile;  // per unit class: global index of its first unit
  std::vector<int> used;        // per unit class, in the current round
  int round = 0;
  explicit Allocator(const ArchConfig& a) : arch(a) {
    for (int c = 0; c < a.unit_classes(); ++c) {
      first_tile.push_back(a.first_unit_of_class(c));
      used.push_back(0);
    }
  }
  int free(int cls) const { return arch.class_count(cls) - used[cls]; }
};

// Places one replica's crossbars into IMAs and tiles, column block outermost
// so that row blocks of one output group sit together (reduced locally).
void place(LayerMapping& lm, const Layer& l, const TileClassParams& tc, int first_tile) {
  const auto& t = lm.tiling;
  const int per_ima = tc.ima.crossbars, per_tile = tc.crossbars();
  lm.xbars.clear();
  int64_t n = 0;
  for (int64_t gs = 0; gs < t.group_sets; ++gs) {
    for (int64_t cb = 0; cb < t.col_blocks; ++cb) {
      for (int64_t rb = 0; rb < t.row_blocks; ++rb, ++n) {
        CrossbarSlot s;
        s.tile = first_tile + int(n / per_tile);
        s.ima = int((n % per_tile) / per_ima);
        s.slot = int(n % per_ima);
        s.group_set = gs;
        s.row_block = rb;
        s.col_block = cb;
        s.first_group = int(gs * t.groups_per_xbar);
        s.groups = int(std::min<int64_t>(t.groups_per_xbar, t.groups - s.first_group));
        if (t.groups_per_xbar > 1) {
          s.first_row = 0;
          s.first_weight = 0;
          s.weights = t.cols;
          s.used_rows = int(t.rows * s.groups);
          s.used_cols = int(t.cols * s.groups * t.cols_per_weight + t.ref_cols);
        } else {
          s.first_row = rb * t.xbar_rows;
          s.first_weight = cb * t.weights_per_xbar;
          s.weights = std::min<int64_t>(t.weights_per_xbar, t.cols - s.first_weight);
          s.used_rows = int(std::min<int64_t>(t.xbar_rows, t.rows - s.first_row));
          s.used_cols = int(s.weights * t.cols_per_weight + t.ref_cols);
        }
        lm.xbars.push_back(s);
      }
    }
  }
}

// Per-tile figures the timing models need, for one replica starting at `base`.
void summarise_tiles(LayerMapping& lm, const Layer& l, const TileClassParams& tc, int replica, int tile_offset) {
  const auto& t = lm.tiling;
  std::map<int, TileShare> shares;
  // Which tile is home (reduces and activates) for each (group set, column block): the tile of row block 0.
  std::map<std::pair<int64_t, int64_t>, int> home;
  for (const auto& s : lm.xbars)
    if (s.row_block == 0) home[{s.group_set, s.col_block}] = s.tile + tile_offset;
  // Row blocks of one output group that sit on each tile.
  std::map<std::tuple<int, int64_t, int64_t>, int> blocks_on_tile;
  for (size_t i = 0; i < lm.xbars.size(); ++i) {
    const auto& s = lm.xbars[i];
    int tile = s.tile + tile_offset;
    auto& sh = shares[tile];
    sh.tile = tile;
    sh.replica = replica;
    sh.xbars.push_back(int(i));
    blocks_on_tile[{tile, s.group_set, s.col_block}]++;
  }
  for (auto& [tile, sh] : shares) {
    // Distinct matrix rows (per group set and row block) fed to this tile, and per IMA.
    std::set<std::pair<int64_t, int64_t>> tile_rows;
    std::map<int, std::set<std::pair<int64_t, int64_t>>> ima_rows;
    std::map<std::pair<int, int>, int> adc_cols;  // (ima, adc) -> used columns
    int64_t ch_lo = INT64_MAX, ch_hi = -1;
    const int cols_per_adc = tc.columns_per_adc();
    for (int xi : sh.xbars) {
      const auto& s = lm.xbars[xi];
      tile_rows.insert({s.group_set, s.row_block});
      ima_rows[s.ima].insert({s.group_set, s.row_block});
      sh.conversions_per_step += s.used_cols;
      // Columns of the IMA are numbered slot-major; ADC k serves columns [k*cpa, (k+1)*cpa).
      int64_t base = int64_t(s.slot) * tc.crossbar.cols;
      for (int64_t c = 0; c < s.used_cols;) {
        int64_t col = base + c;
        int adc = int(col / cols_per_adc);
        int64_t end = std::min<int64_t>(base + s.used_cols, int64_t(adc + 1) * cols_per_adc);
        adc_cols[{s.ima, adc}] += int(end - col);
        c += end - col;
      }
      int64_t g0 = s.first_group, g1 = s.first_group + s.groups - 1;
      int64_t cin_g = l.in.c / t.groups;
      int64_t lo = g0 * cin_g + channel_of_row(l, s.first_row);
      int64_t hi = g1 * cin_g + channel_of_row(l, s.first_row + (t.groups_per_xbar > 1 ? t.rows : s.used_rows) - 1);
      ch_lo = std::min(ch_lo, lo);
      ch_hi = std::max(ch_hi, hi);
    }
    // A named reference: C++17 lambdas cannot capture structured bindings (clang refuses).
    const std::vector<int>& xbars = sh.xbars;
    auto rows_of = [&](const std::set<std::pair<int64_t, int64_t>>& set) {
      int64_t r = 0;
      for (const auto& [gs, rb] : set) {
        for (int xi : xbars) {
          const auto& s = lm.xbars[xi];
          if (s.group_set == gs && s.row_block == rb) {
            r += s.used_rows;
            break;
          }
        }
      }
      return r;
    };
    sh.distinct_rows = rows_of(tile_rows);
    for (const auto& [ima, set] : ima_rows) sh.ima_rows += rows_of(set);
    for (const auto& [k, c] : adc_cols) sh.max_adc_columns = std::max(sh.max_adc_columns, c);
    sh.first_input_channel = int(ch_lo);
    sh.input_channels = ch_hi - ch_lo + 1;
  }
  // Outputs reduced here, partial sums sent away, additions across row blocks.
  for (const auto& [key, h] : home) {
    const auto [gs, cb] = key;
    int64_t outs = 0;
    for (const auto& s : lm.xbars)
      if (s.group_set == gs && s.col_block == cb && s.row_block == 0) outs = s.weights * s.groups;
    shares[h].home_outputs += outs;
    for (auto& [tile, sh] : shares) {
      int blocks = blocks_on_tile.count({tile, gs, cb}) ? blocks_on_tile[{tile, gs, cb}] : 0;
      if (blocks == 0) continue;
      // Blocks on one tile are summed there (blocks - 1 adds per output); a
      // non-home tile then sends one partial sum per output, which the home adds.
      sh.psum_adds += (blocks - 1) * outs;
      if (tile != h) {
        sh.psum_outputs_sent += outs;
        shares[h].psum_adds += outs;
      }
    }
  }
  for (auto& [tile, sh] : shares) lm.tiles.push_back(sh);
}

double cell_utilisation(const CrossbarTiling& t) {
  double alloc = double(t.crossbars) * t.xbar_rows * t.xbar_cols;
  return alloc > 0 ? double(t.used_cells) / alloc : 0;
}

}  // namespace

Mapping map_network(const Network& net, const ArchConfig& arch) {
  Mapping m;
  m.layers.resize(net.layers.size());
  m.tiles_used_per_class.assign(arch.unit_classes(), 0);
  Allocator alloc(arch);
  const auto& mp = arch.mapping;
  const std::vector<int> weight_layers = net.weight_layers();

  // 1. Unit and class of every weight layer: the layer's hint, then
  // [mapping.layers], then mapping.unit (auto: crossbar tiles if the chip has
  // them, else APs). Crossbar layers fixed to a class are tiled on it now.
  const bool has_crossbars = !arch.tile_classes.empty(), has_aps = !arch.ap_classes.empty();
  for (int li : weight_layers) {
    const Layer& l = net.layers[li];
    LayerMapping& lm = m.layers[li];
    lm.layer = li;
    std::string cls = l.hint.tile_class;
    auto it = mp.layer_class.find(l.name);
    if (it != mp.layer_class.end()) cls = it->second;
    if (!cls.empty()) {
      lm.tile_class = arch.class_index(cls);
      if (lm.tile_class < 0) {
        throw InputError(l.loc, "layer '" + l.name + "'.tile_class", "the arch config has no class named '" + cls + "'");
      }
    }
    std::string unit = l.hint.unit;
    if (unit.empty() && lm.tile_class >= 0) unit = arch.is_ap_class(lm.tile_class) ? "ap" : "crossbar";
    if (unit.empty()) unit = mp.unit == "auto" ? (has_crossbars ? "crossbar" : "ap") : mp.unit;
    if (unit == "digital") {
      throw InputError(l.loc, "layer '" + l.name + "'.unit", "a weight layer cannot run on a digital unit");
    }
    if ((unit == "ap" && !has_aps) || (unit == "crossbar" && !has_crossbars)) {
      throw InputError(l.loc, "layer '" + l.name + "'.unit",
                       "runs on '" + unit + "' units but the chip has no " + (unit == "ap" ? "[[ap_class]]" : "[[tile_class]]"));
    }
    if (lm.tile_class >= 0 && arch.is_ap_class(lm.tile_class) != (unit == "ap")) {
      throw InputError(l.loc, "layer '" + l.name + "'.tile_class",
                       "class '" + cls + "' is not a" + (unit == "ap" ? "n AP class" : " crossbar tile class"));
    }
    lm.unit = unit;
    if (unit == "crossbar" && lm.tile_class >= 0) lm.tiling = tile_layer(l, arch.tile_classes[lm.tile_class], mp);
  }

  // 2. Allocate units in layer order; pick classes by rule where not fixed.
  auto tiles_needed = [&](const LayerMapping& lm, int cls) -> int64_t {
    if (arch.is_ap_class(cls)) return 1;  // an AP runs any layer: its weights are folded into the program
    return ceil_div(lm.tiling.crossbars, arch.tile_classes[cls].crossbars());
  };
  for (int li : weight_layers) {
    const Layer& l = net.layers[li];
    LayerMapping& lm = m.layers[li];
    int chosen = lm.tile_class;
    if (chosen < 0 && lm.unit == "ap") {
      // First AP class with a free unit, else the first AP class (reload decides).
      for (int c = int(arch.tile_classes.size()); c < arch.unit_classes() && chosen < 0; ++c)
        if (alloc.free(c) > 0) chosen = c;
      if (chosen < 0) chosen = int(arch.tile_classes.size());
      lm.tile_class = chosen;
    }
    if (chosen < 0) {
      double best = -1;
      for (int c = 0; c < int(arch.tile_classes.size()); ++c) {
        LayerMapping trial;
        try {
          trial.tiling = tile_layer(l, arch.tile_classes[c], mp);
        } catch (const InputError&) {
          continue;  // arrays too narrow for this layer's weights
        }
        bool room = tiles_needed(trial, c) <= alloc.free(c);
        double score = 0;
        if (mp.rule == "first_fit") score = room ? 1.0 / (1 + c) : 0;
        if (mp.rule == "best_utilisation") score = room ? cell_utilisation(trial.tiling) : 0;
        if (mp.rule == "smallest") {
          const auto& x = arch.tile_classes[c].crossbar;
          score = room ? 1.0 / (double(x.rows) * x.cols) : 0;
        }
        if (!room) score = -1.0 / (1 + c);  // remembered only if nothing has room
        if (score > best || chosen < 0) {
          best = score;
          chosen = c;
        }
      }
      if (chosen < 0) {
        lm.tiling = tile_layer(l, arch.tile_classes[0], mp);  // throws the width error
      }
      lm.tile_class = chosen;
      lm.tiling = tile_layer(l, arch.tile_classes[chosen], mp);
    }
    int64_t need = tiles_needed(lm, chosen);
    const std::string& cname = arch.class_name(chosen);
    if (need > arch.class_count(chosen)) {
      const auto& tc = arch.tile_classes[chosen];
      throw InputError({arch.file, 0, 0}, "tile_class '" + cname + "'",
                       "layer '" + l.name + "' alone needs " + std::to_string(need) + " tiles (" +
                           std::to_string(lm.tiling.crossbars) + " crossbars of " + std::to_string(tc.crossbar.rows) + "x" +
                           std::to_string(tc.crossbar.cols) + "), the class has " + std::to_string(tc.count));
    }
    if (need > alloc.free(chosen)) {
      if (!mp.weight_reload) {
        // Report the whole network's need against what the chip has.
        int64_t total = 0;
        for (int lj : weight_layers) {
          const auto& o = m.layers[lj];
          int c = o.tile_class >= 0 ? o.tile_class : chosen;
          LayerMapping trial = o;
          if (!arch.is_ap_class(c) && o.tiling.crossbars == 0) trial.tiling = tile_layer(net.layers[lj], arch.tile_classes[c], mp);
          total += tiles_needed(trial, c);
        }
        throw InputError({arch.file, 0, 0}, "mapping",
                         "network '" + net.name + "' needs about " + std::to_string(total) + " units but the chip has " +
                             std::to_string(arch.total_tiles()) + " (class '" + cname + "' ran out at layer '" + l.name +
                             "'); enlarge the chip or set mapping.weight_reload = true");
      }
      ++alloc.round;  // reprogram the chip: everything is free again
      std::fill(alloc.used.begin(), alloc.used.end(), 0);
    }
    lm.round = alloc.round;
    lm.first_tile = alloc.first_tile[chosen] + alloc.used[chosen];
    lm.tiles_used = need;
    alloc.used[chosen] += int(need);
  }
  m.rounds = alloc.round + 1;

  // 3. Replication to balance a pipelined chip: give spare tiles to the layer
  // with the most work per replica, while it fits in its class.
  if (mp.replicate == "balance" && m.rounds == 1) {
    for (;;) {
      int best = -1;
      double work = 0;
      for (int li : weight_layers) {
        auto& lm = m.layers[li];
        const Layer& l = net.layers[li];
        if (!lm.on_crossbars()) continue;
        int64_t per = lm.tiles_used / lm.replication;
        // Replicas split a row's positions: no more replicas than positions per row.
        if (lm.replication >= mp.max_replication || lm.replication >= l.out.w || per > alloc.free(lm.tile_class))
          continue;
        double w = double(l.positions()) * lm.tiling.input_cycles / lm.replication;
        if (w > work) {
          work = w;
          best = li;
        }
      }
      if (best < 0) break;
      auto& lm = m.layers[best];
      alloc.used[lm.tile_class] += int(lm.tiles_used / lm.replication);
      lm.tiles_used += lm.tiles_used / lm.replication;
      lm.replication++;
    }
    // AP layers split their output channels over spare units of their class:
    // the layer with the most work per unit (row tiles x weights) gets the next.
    for (;;) {
      int best = -1;
      double work = 0;
      for (int li : weight_layers) {
        auto& lm = m.layers[li];
        const Layer& l = net.layers[li];
        if (lm.on_crossbars() || alloc.free(lm.tile_class) < 1 || lm.tiles_used >= l.out.c ||
            lm.tiles_used >= mp.max_replication)
          continue;
        const int64_t rows = arch.ap_class(lm.tile_class).ap.rows;
        double w = double((l.positions() + rows - 1) / rows) * double(l.weights()) / double(lm.tiles_used);
        if (w > work) {
          work = w;
          best = li;
        }
      }
      if (best < 0) break;
      alloc.used[m.layers[best].tile_class] += 1;
      m.layers[best].tiles_used += 1;
    }
    // Replicas need contiguous tiles: lay the class's layers out again in order.
    std::vector<int> next(alloc.first_tile);
    for (int li : weight_layers) {
      auto& lm = m.layers[li];
      lm.first_tile = next[lm.tile_class];
      next[lm.tile_class] += int(lm.tiles_used);
    }
  }

  // 4. Placement and per-tile summaries.
  for (int li : weight_layers) {
    const Layer& l = net.layers[li];
    auto& lm = m.layers[li];
    if (!lm.on_crossbars()) {
      // AP units: each reads the whole input window and produces an even
      // share of the output channels.
      const int64_t units = lm.tiles_used;
      for (int64_t u = 0; u < units; ++u) {
        TileShare sh;
        sh.tile = lm.first_tile + int(u);
        sh.input_channels = l.in.c;
        sh.distinct_rows = l.matrix_rows() * (l.type == LayerType::Conv2d ? l.groups : 1);
        sh.first_output = l.out.c * u / units;
        sh.home_outputs = l.out.c * (u + 1) / units - sh.first_output;
        lm.tiles.push_back(sh);
      }
      m.tiles_used_per_class[lm.tile_class] = std::max<int>(
          m.tiles_used_per_class[lm.tile_class], lm.first_tile + int(units) - alloc.first_tile[lm.tile_class]);
      continue;
    }
    const auto& tc = arch.tile_classes[lm.tile_class];
    place(lm, l, tc, lm.first_tile);
    int64_t per_replica = lm.tiles_used / lm.replication;
    for (int r = 0; r < lm.replication; ++r) summarise_tiles(lm, l, tc, r, int(r * per_replica));
    const auto& t = lm.tiling;
    double xb = double(t.crossbars);
    int64_t rows_used = 0, cols_used = 0;
    for (const auto& s : lm.xbars) {
      rows_used += s.used_rows;
      cols_used += s.used_cols;
    }
    lm.row_utilisation = rows_used / (xb * t.xbar_rows);
    lm.col_utilisation = cols_used / (xb * t.xbar_cols);
    lm.cell_utilisation = cell_utilisation(t);
    lm.array_utilisation = xb / (double(per_replica) * tc.crossbars());
    m.tiles_used_per_class[lm.tile_class] =
        std::max<int>(m.tiles_used_per_class[lm.tile_class], lm.first_tile + int(lm.tiles_used) - alloc.first_tile[lm.tile_class]);
  }

  // 5. Digital layers run on the tiles of the weight layer that feeds them
  // (their first input's host). Those before any weight layer work on the
  // input stream (host -1); their operations are charged to the first weight
  // layer's tile class.
  int first_weight = weight_layers.empty() ? -1 : weight_layers.front();
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    auto& lm = m.layers[i];
    lm.layer = int(i);
    if (l.has_weights()) continue;
    if (l.type == LayerType::Input) {
      lm.unit = "none";
      continue;
    }
    lm.unit = "digital";
    int p = l.inputs[0];
    lm.host = net.layers[p].has_weights() ? p : m.layers[p].host;
    int charged = lm.host >= 0 ? lm.host : first_weight;
    if (charged >= 0) lm.tile_class = m.layers[charged].tile_class;
  }
  if (first_weight >= 0) m.input_tile = m.layers[first_weight].first_tile;
  return m;
}

}  // namespace tessera

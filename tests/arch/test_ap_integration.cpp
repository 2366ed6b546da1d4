// Associative processors in the chip: mapping, compiled stage times, costs, hybrid chips.
#include <gtest/gtest.h>

#include "../support/presets.hpp"

#include <cmath>

#include "arch/analytical/model.hpp"
#include "arch/cost/cost_table.hpp"
#include "workloads/load.hpp"
#include "workloads/zoo/zoo.hpp"

using namespace tessera;
using tessera::testing::isaac;
using tessera::testing::preset;


TEST(ApIntegration, AllLayersOnApUnits) {
  Network n = zoo::build("resnet20:abits=4");
  ArchConfig a = preset("rtm-ap", {"mapping.replicate=none"});
  Mapping m = map_network(n, a);
  int units = 0;
  for (int li : n.weight_layers()) {
    const auto& lm = m.layers[li];
    EXPECT_EQ(lm.unit, "ap");
    EXPECT_TRUE(a.is_ap_class(lm.tile_class));
    EXPECT_EQ(lm.tiles_used, 1);
    ++units;
  }
  EXPECT_EQ(m.tiles_used_per_class[0], units);
}

TEST(ApIntegration, RowGroupsFillTheCamRows) {
  Network n = zoo::build("resnet20:abits=4");
  ArchConfig a = preset("rtm-ap", {"mapping.replicate=none"});
  Mapping m = map_network(n, a);
  Program p = compile(n, a, m);
  for (const auto& h : p.hosts) {
    const Layer& l = n.layers[h.layer];
    ASSERT_TRUE(h.on_ap);
    // 1024 rows: 32 rows of a 32-wide layer, 64 of a 16-wide one, all of an 8x8 one.
    EXPECT_EQ(h.row_group, 1024 / l.out.w) << l.name;
    EXPECT_LE(h.row_group * l.out.w, 1024);
    EXPECT_EQ(h.out_rows, (l.out.h + h.row_group - 1) / h.row_group);
    const TileProgram& t = h.tiles[0];
    // The compute stage is the compiled program's row tile.
    EXPECT_EQ(t.at(Stage::Mvm).occupancy, int64_t(std::ceil(h.ap.cycles_per_tile - 1e-9)));
    EXPECT_DOUBLE_EQ(t.events_per_position[Event::ApCompare], h.ap.passes_per_tile);
    EXPECT_DOUBLE_EQ(t.events_per_position[Event::RtmShift], h.ap.shifts_per_tile);
    EXPECT_GT(h.ap.addsub, 0);
  }
  // The layer's rows after each group.
  const HostProgram& h0 = p.hosts[0];
  EXPECT_EQ(h0.rows_done(h0.layer, 0), std::min<int64_t>(h0.layer_rows, h0.row_group));
}

TEST(ApIntegration, SpareUnitsSplitOutputChannels) {
  Network n = zoo::build("resnet20:abits=4");
  ArchConfig a = preset("rtm-ap");  // replicate = "balance"
  Mapping m = map_network(n, a);
  int used = 0, split = 0;
  for (int li : n.weight_layers()) {
    const auto& lm = m.layers[li];
    used += int(lm.tiles_used);
    split += lm.tiles_used > 1;
    // The units' shares cover every output channel once, in order.
    int64_t next = 0;
    for (const auto& sh : lm.tiles) {
      EXPECT_EQ(sh.first_output, next);
      next += sh.home_outputs;
    }
    EXPECT_EQ(next, n.layers[li].out.c);
  }
  EXPECT_EQ(used, 128);  // every spare unit given out
  EXPECT_GT(split, 0);
  // A unit with half the channels runs a cheaper program than the whole layer.
  Program p = compile(n, a, m);
  for (const auto& h : p.hosts) {
    if (h.tiles.size() < 2) continue;
    EXPECT_LT(h.tiles[0].at(Stage::Mvm).occupancy, int64_t(std::ceil(h.ap.cycles_per_tile)));
    break;
  }
}

TEST(ApIntegration, EnergyIsRacetrackAndCam) {
  Network n = zoo::build("resnet20:abits=4");
  ArchConfig a = preset("rtm-ap");
  Mapping m = map_network(n, a);
  Program p = compile(n, a, m);
  RunResult r = analytical_run(n, a, p);
  CostTable cost(a);
  double rtm = 0, total = 0;
  for (size_t i = 0; i < p.hosts.size(); ++i) {
    auto e = cost.energy_by_component(p.hosts[i].tile_class, r.hosts[i].events);
    rtm += e[int(Component::RtmShift)] + e[int(Component::RtmAccess)];
    total += CostTable::sum(e);
    EXPECT_EQ(r.hosts[i].events[Event::CrossbarRead], 0.0);
    // Shifts priced at RTSim's 19.5 pJ per one-position shift of a DBC.
    EXPECT_NEAR(e[int(Component::RtmShift)], 19.5 * r.hosts[i].events[Event::RtmShift], 1e-6);
  }
  EXPECT_GT(rtm / total, 0.9);
  // A unit's CAM and racetracks from their parts at 32 nm: 1024 rows x 3 key
  // bits of 292 F^2 CAM cells, 256 KiB of 2 F^2 domains at 0.7 array efficiency.
  const double f2 = 0.032 * 0.032 * 1e-6;
  const double unit = 1024 * 3 * 292 * f2 + 256 * 8192 * 2 * f2 / 0.7;
  EXPECT_NEAR(a.ap_classes[0].area_mm2, unit, 1e-12);
  EXPECT_NEAR(CostTable::sum(cost.chip_area_mm2()), 128 * (unit + 0.083 + 2 * 0.0003 + 0.00024 + 0.151 / 4), 1e-9);
}

TEST(ApIntegration, HybridChipHonoursUnitHints) {
  Network n = load_network(std::string(TESSERA_TEST_DATA) + "/networks/hybrid_small.toml");
  ArchConfig a = preset("hybrid");
  Mapping m = map_network(n, a);
  EXPECT_EQ(m.layers[n.find("c1")].unit, "crossbar");
  EXPECT_EQ(m.layers[n.find("c2")].unit, "ap");
  EXPECT_EQ(m.layers[n.find("c3")].unit, "crossbar");
  // The AP unit sits after the chip's 168 crossbar tiles on the network.
  EXPECT_EQ(m.layers[n.find("c2")].first_tile, 168);
  ArchConfig b = preset("hybrid", {"mapping.layers.c3=\"ap\""});
  Mapping mb = map_network(n, b);
  EXPECT_EQ(mb.layers[n.find("c3")].unit, "ap");
  // A chip without APs rejects the hint.
  EXPECT_THROW(map_network(n, preset("isaac")), InputError);
}

// Arch configs: overrides, heterogeneous classes, and malformed files giving
// file:line:column: key: message.
#include <gtest/gtest.h>

#include "arch/config/arch_config.hpp"

using namespace tessera;

namespace {
std::string data(const std::string& f) { return std::string(TESSERA_TEST_DATA) + "/arch/" + f; }
std::string isaac() { return std::string(TESSERA_SOURCE_DIR) + "/configs/arch/isaac.toml"; }
std::string error_of(const std::string& file, const std::vector<std::string>& sets = {}) {
  try {
    load_arch(file, sets);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST(Config, PresetsLoad) {
  for (const char* p : {"isaac", "rram-1b", "pcm-8b"}) {
    ArchConfig a = load_arch(std::string(TESSERA_SOURCE_DIR) + "/configs/arch/" + p + ".toml");
    EXPECT_GT(a.total_tiles(), 0) << p;
  }
}

TEST(Config, OverridesAreCheckedLikeFileValues) {
  ArchConfig a = load_arch(isaac(), {"tile_class.isaac.crossbar.rows=64", "chip.clock_ghz=2", "mapping.schedule=layer"});
  EXPECT_EQ(a.tile_classes[0].crossbar.rows, 64);
  EXPECT_DOUBLE_EQ(a.clock_ghz, 2.0);
  EXPECT_EQ(a.mapping.schedule, "layer");
  ArchConfig b = load_arch(isaac(), {"tile_class.0.adc.bits=4"});
  EXPECT_EQ(b.tile_classes[0].adc.bits, 4);
  EXPECT_EQ(error_of(isaac(), {"tile_class.isaac.adc.bits=40"}),
            "--set tile_class.isaac.adc.bits=40: tile_class[0].adc.bits: value 40 is out of range; allowed: [1, 16]");
  EXPECT_NE(error_of(isaac(), {"chip.colck_ghz=1"}).find("--set chip.colck_ghz=1: chip.colck_ghz: unknown key (did you mean 'clock_ghz'?)"),
            std::string::npos);
  EXPECT_NE(error_of(isaac(), {"tile_class.huge.adc.bits=4"}).find("no element 'huge'"), std::string::npos);
  EXPECT_NE(error_of(isaac(), {"chip.clock_ghz"}).find("expected KEY.PATH=VALUE"), std::string::npos);
}

TEST(Config, HeterogeneousClasses) {
  ArchConfig a = load_arch(data("hetero.toml"));
  ASSERT_EQ(a.tile_classes.size(), 2u);
  EXPECT_EQ(a.tile_classes[1].crossbar.rows, 128);
  EXPECT_EQ(a.total_tiles(), 16);
  EXPECT_EQ(a.mapping.layer_class.at("conv1"), "big");
}

TEST(Config, DescribeListsEveryParameter) {
  auto params = describe_arch();
  auto has = [&](const std::string& p) {
    for (const auto& x : params)
      if (x.path == p) return true;
    return false;
  };
  EXPECT_TRUE(has("chip.clock_ghz"));
  EXPECT_TRUE(has("tile_class[].crossbar.rows"));
  EXPECT_TRUE(has("tile_class[].adc{impl=scaled}.ref_energy_pj"));
  EXPECT_TRUE(has("chip.noc{impl=mesh}.concentration"));
  EXPECT_TRUE(has("mapping.signed_weights"));
  EXPECT_GT(params.size(), 80u);
}

struct BadCase {
  const char* file;
  const char* fragment;
};
class MalformedArch : public ::testing::TestWithParam<BadCase> {};

TEST_P(MalformedArch, GivesLocatedMessage) {
  std::string msg = error_of(data(GetParam().file));
  EXPECT_NE(msg.find(GetParam().fragment), std::string::npos) << msg;
}

INSTANTIATE_TEST_SUITE_P(
    Files, MalformedArch,
    ::testing::Values(
        BadCase{"bad_adc_bits.toml", "bad_adc_bits.toml:8:8: tile_class[0].adc.bits: value 17 is out of range; allowed: [1, 16]"},
        BadCase{"bad_zero_rows.toml", "bad_zero_rows.toml:6:8: tile_class[0].crossbar.rows: value 0 is out of range; allowed: [1, 4096]"},
        BadCase{"bad_adc_count.toml", "bad_adc_count.toml:9:9: tile_class[0].adc.count: more ADCs per IMA (600) than columns (512"},
        BadCase{"bad_adc_share.toml", "tile_class[0].adc.count: the IMA's 128 columns cannot be shared evenly by 3 ADCs"},
        BadCase{"bad_unknown_key.toml", "bad_unknown_key.toml:7:1: tile_class[0].crossbar.colums: unknown key (did you mean 'cols'?)"},
        BadCase{"bad_type.toml", "bad_type.toml:2:13: chip.clock_ghz: expected a number, found a string"},
        BadCase{"bad_noc_impl.toml", "bad_noc_impl.toml:3:8: chip.noc.impl: unknown value 'torus'; allowed: bus, mesh"},
        BadCase{"bad_missing_chip.toml", "chip: missing required table"},
        BadCase{"bad_duplicate_class.toml", "bad_duplicate_class.toml:6:8: tile_class[1].name: duplicate class name 't'"},
        BadCase{"bad_layer_class.toml", "bad_layer_class.toml:6:9: mapping.layers.conv1: no tile class named 'big'; classes: t"},
        BadCase{"bad_syntax.toml", "bad_syntax.toml:1:6: TOML syntax error"},
        BadCase{"bad_base.toml", "bad_base.toml:1:8: base: file"},
        BadCase{"bad_adc_cost.toml", "bad_adc_cost.toml:6:8: tile_class[0].adc.cost: unknown value 'magic'; allowed: driver, fixed, flash, sar, scaled, sense_amp, walden"},
        BadCase{"bad_node.toml", "bad_node.toml:3:11: chip.technology.node_nm: no technology data for 3 nm; nodes with data: 130, 90, 65, 45, 32, 22, 20, 16, 14, 10, 7"},
        BadCase{"bad_parallel_rows.toml", "bad_parallel_rows.toml:6:17: tile_class[0].crossbar.parallel_rows: 256 rows read in parallel exceed the array's 128 rows; allowed: 1..128"},
        BadCase{"bad_signed.toml", "mapping.signed_weights: unknown value 'twos_complement'; allowed: differential, offset"},
        BadCase{"bad_no_class.toml", "tile_class: at least one [[tile_class]] or [[ap_class]] is required"},
        BadCase{"no_such_file.toml", "no_such_file.toml: cannot open file"}),
    [](const ::testing::TestParamInfo<BadCase>& info) {
      std::string n = info.param.file;
      for (char& ch : n)
        if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

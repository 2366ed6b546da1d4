// The tessera binary: exit codes, messages, no partial output, reports, docs in sync.
#include <gtest/gtest.h>

#include "../support/run_tessera.hpp"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/wait.h>

namespace fs = std::filesystem;

using tessera::testing::Result;
using tessera::testing::slurp;
namespace {
Result run(const std::string& args) { return tessera::testing::run_tessera(args); }
std::string tmp(const std::string& name) { return tessera::testing::temp_path(name); }
}  // namespace

TEST(Cli, EstimateWritesReportAndCsv) {
  std::string json = tmp("r.json"), csv = tmp("l.csv");
  Result r = run("estimate --net resnet20 -o " + json + " --csv " + csv);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("latency"), std::string::npos);
  auto j = nlohmann::json::parse(slurp(json));
  EXPECT_EQ(j["schema"], "tessera.report/1");
  EXPECT_EQ(j["network"], "resnet20");
  EXPECT_EQ(j["layers"].size(), 20u);
  EXPECT_GT(j["totals"]["energy_pj"].get<double>(), 0);
  EXPECT_NEAR(j["totals"]["area_mm2"].get<double>(), 62.5, 1.3);
  // The per-component energies add up to the total.
  double sum = 0;
  for (auto& [k, v] : j["totals"]["energy_by_component_pj"].items()) sum += v.get<double>();
  EXPECT_NEAR(sum, j["totals"]["energy_pj"].get<double>(), 1e-6 * sum);
  std::string c = slurp(csv);
  EXPECT_EQ(std::count(c.begin(), c.end(), '\n'), 21);
  EXPECT_EQ(c.rfind("layer,type,tile_class", 0), 0u);
}

TEST(Cli, BadConfigExitsTwoAndWritesNothing) {
  std::string json = tmp("never.json");
  fs::remove(json);
  Result r = run("estimate --net vgg8 --set tile_class.isaac.adc.bits=17 -o " + json);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--set tile_class.isaac.adc.bits=17: tile_class[0].adc.bits: value 17 is out of range; allowed: [1, 16]"),
            std::string::npos)
      << r.out;
  EXPECT_FALSE(fs::exists(json));
  Result f = run("estimate --net vgg8 --arch " + std::string(TESSERA_TEST_DATA) + "/arch/bad_adc_count.toml -o " + json);
  EXPECT_EQ(f.code, 2);
  EXPECT_NE(f.out.find("bad_adc_count.toml:9:9: tile_class[0].adc.count"), std::string::npos) << f.out;
  EXPECT_FALSE(fs::exists(json));
}

TEST(Cli, BadNetworkAndOptions) {
  Result r = run("estimate --net " + std::string(TESSERA_TEST_DATA) + "/networks/bad_unknown_type.toml");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("unknown layer type 'convolution'"), std::string::npos) << r.out;
  EXPECT_EQ(run("estimate").code, 2);                         // --net missing
  EXPECT_EQ(run("estimate --net vgg8 --bogus").code, 2);      // unknown option
  EXPECT_EQ(run("frobnicate").code, 2);                       // unknown command
  EXPECT_EQ(run("estimate --net vgg8 --arch nosuchpreset").code, 2);
  Result big = run("estimate --net resnet18 --set tile_class.isaac.count=4");
  EXPECT_EQ(big.code, 2);
  EXPECT_NE(big.out.find("weight_reload"), std::string::npos) << big.out;
  // An output directory that does not exist is reported before anything is written,
  // and then no other output is written either.
  std::string ok = tmp("kept_out.json");
  std::filesystem::remove(ok);
  Result bad = run("estimate --net vgg8 -o " + ok + " --csv /no/such/dir/l.csv");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("/no/such/dir"), std::string::npos) << bad.out;
  EXPECT_FALSE(std::filesystem::exists(ok));
  Result sim = run("simulate -q --net mlp -o " + ok + " --trace /no/such/dir/t.json");
  EXPECT_EQ(sim.code, 2);
  EXPECT_FALSE(std::filesystem::exists(ok));
}

TEST(Cli, ExportedNetworkRoundTrips) {
  std::string f = tmp("vgg8.toml");
  ASSERT_EQ(run("export-net --net vgg8 -o " + f).code, 0);
  Result a = run("estimate -q --net vgg8 -o " + tmp("a.json"));
  Result b = run("estimate -q --net " + f + " -o " + tmp("b.json"));
  ASSERT_EQ(a.code, 0);
  ASSERT_EQ(b.code, 0);
  auto ja = nlohmann::json::parse(slurp(tmp("a.json"))), jb = nlohmann::json::parse(slurp(tmp("b.json")));
  EXPECT_EQ(ja["totals"]["cycles"], jb["totals"]["cycles"]);
  EXPECT_EQ(ja["totals"]["energy_pj"], jb["totals"]["energy_pj"]);
}

TEST(Cli, DeterministicReports) {
  ASSERT_EQ(run("estimate -q --net resnet18 -o " + tmp("d1.json")).code, 0);
  ASSERT_EQ(run("estimate -q --net resnet18 -o " + tmp("d2.json")).code, 0);
  auto a = nlohmann::json::parse(slurp(tmp("d1.json"))), b = nlohmann::json::parse(slurp(tmp("d2.json")));
  a["run"].erase("wall_s");
  b["run"].erase("wall_s");
  EXPECT_EQ(a.dump(), b.dump());
}

TEST(Cli, ConfigReferenceIsCurrent) {
  Result r = run("describe-config --markdown");
  ASSERT_EQ(r.code, 0);
  std::string doc = slurp(std::string(TESSERA_SOURCE_DIR) + "/docs/config-reference.md");
  EXPECT_NE(doc.find(r.out), std::string::npos)
      << "docs/config-reference.md is out of date: run tools/gen-config-reference.sh";
}

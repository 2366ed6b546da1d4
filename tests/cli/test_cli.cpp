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

// Issue 12 (input checks, overflow): each command of the issue exits 2 with an
// input error naming what is wrong, and writes nothing.
namespace {
void expect_input_error(const std::string& args, const std::string& fragment) {
  const std::string json = tmp("never12.json");
  fs::remove(json);
  Result r = run(args + " -o " + json);
  EXPECT_EQ(r.code, 2) << args << "\n" << r.out;
  EXPECT_NE(r.out.find(fragment), std::string::npos) << args << "\n" << r.out;
  EXPECT_EQ(r.out.find("internal error"), std::string::npos) << args << "\n" << r.out;
  EXPECT_FALSE(fs::exists(json)) << args;
}
std::string write_file(const std::string& name, const std::string& text) {
  const std::string p = tmp(name);
  std::ofstream(p, std::ios::binary) << text;
  return p;
}
}  // namespace

TEST(Cli, NetworkFileTakesPrecisionParameters) {
  const std::string net = write_file("p.toml", "name = \"p\"\n[input]\nchannels = 1\nheight = 8\nwidth = 8\n"
                                               "[[layer]]\ntype = \"conv2d\"\nout_channels = 4\nkernel = 3\n"
                                               "[[layer]]\ntype = \"flatten\"\n[[layer]]\ntype = \"linear\"\nout_features = 2\n");
  const std::string a = tmp("p8.json"), b = tmp("p4.json");
  ASSERT_EQ(run("estimate --net " + net + " -o " + a).code, 0);
  Result r = run("estimate --net " + net + ":abits=4,wbits=2 -o " + b);
  ASSERT_EQ(r.code, 0) << r.out;
  auto ja = nlohmann::json::parse(slurp(a)), jb = nlohmann::json::parse(slurp(b));
  EXPECT_NE(ja["totals"], jb["totals"]);  // fewer bits: fewer cells and input cycles
  expect_input_error("estimate --net " + net + ":depth=3", "unknown parameter of a network file; allowed: wbits, abits");
  expect_input_error("estimate --net " + net + ":abits=0", "abits: '0' is not allowed");
}

TEST(Cli, DirectoriesWhereFilesAreExpected) {
  const std::string dir = tmp("a_dir.toml");
  fs::create_directories(dir);
  fs::create_directories(tmp("a_dir"));
  expect_input_error("estimate --net vgg8 --arch " + dir, "is a directory; expected a file");
  expect_input_error("estimate --net " + dir, "is a directory; expected a file");
  expect_input_error("simulate -q --net mlp --functional --input " + tmp("a_dir"), "is a directory; expected a .npy file");
  // A weight export whose manifest is a directory.
  const std::string w = tmp("wdir");
  fs::create_directories(w + "/manifest.json");
  expect_input_error("simulate -q --net mlp --functional --weights " + w, "is a directory; expected a weight manifest");
}

TEST(Cli, ConfigValuesAreCheckedAndSelectorsNamed) {
  expect_input_error("estimate --net mlp --arch pcm-8b --set 'device.pcm.prog_coeff=[nan,0,0]'",
                     "value nan is out of range; allowed: finite");
  expect_input_error("estimate --net mlp --set tile_class.99999999999999999999.adc.bits=6",
                     "no element '99999999999999999999' in array 'tile_class'; allowed: an index in [0, 0] or a name: isaac");
  expect_input_error("estimate --net mlp --set tile_class.nosuch.adc.bits=6", "or a name: isaac");
  // The other NoC's keys do not fail when --set switches the implementation: each is a
  // warning naming the preset's line and the implementation it belongs to.
  Result r = run("estimate --net mlp --set chip.noc.impl=bus");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("warning: " + std::string(TESSERA_SOURCE_DIR) +
                       "/configs/arch/isaac.toml:24:1: chip.noc.concentration: ignored: a parameter of impl = \"mesh\", "
                       "not of impl = \"bus\""),
            std::string::npos) << r.out;
  EXPECT_EQ(run("estimate --net mlp").out.find("warning"), std::string::npos);
  expect_input_error("estimate --net mlp --set chip.noc.routers_per_rwo=3", "did you mean 'routers_per_row'");
}

TEST(Cli, OversizedNetworksAreInputErrors) {
  // 2^60 elements flattened and concatenated eight times (overflowed before).
  std::string t = "name = \"huge\"\n[input]\nchannels = 1048576\nheight = 1048576\nwidth = 1048576\n"
                  "[[layer]]\nname = \"f\"\ntype = \"flatten\"\n";
  expect_input_error("estimate --net " + write_file("huge.toml", t), "input: input shape 1048576x1048576x1048576 has more than 268435456");
  // A 2^40 flatten feeding a linear layer.
  std::string l = "name = \"wide\"\n[input]\nchannels = 1\nheight = 16384\nwidth = 16384\n"
                  "[[layer]]\nname = \"f\"\ntype = \"flatten\"\n[[layer]]\nname = \"fc\"\ntype = \"linear\"\nout_features = 4096\n";
  expect_input_error("estimate --net " + write_file("wide.toml", l), "layer 'fc': more than 268435456 (2^28) weights");
  // NeuroSim rows: numbers beyond 64 bits, products beyond 64 bits, multi-GB tensors.
  expect_input_error("estimate --net " + write_file("a.csv", "99999999999999999999,32,3,3,3,8,0\n"),
                     "a.csv:1:1: ifm_height: 99999999999999999999 is out of range");
  expect_input_error("estimate --net " + write_file("b.csv", "3037000500,3037000500,1,1,1,1,0\n"),
                     "b.csv:1:1: ifm_height: 3037000500 is out of range; allowed: [1, 1048576]");
  expect_input_error("estimate --net " + write_file("c.csv", "1000000000,1000000000,1,3,3,8,0\n"), "c.csv:1:1: ifm_height");
  expect_input_error("estimate --net " + write_file("d.csv", "1048576,1048576,1,3,3,8,0\n"), "d.csv:1:1");
  expect_input_error("estimate --net " + write_file("e.csv", std::string("32,32,3,3,3,8,0\n32,32,8,3,3,8\0,0\n", 33)),
                     "e.csv:2:14: NUL byte");
  // TOML++ 3.3 reached __builtin_unreachable on these two bytes (U+0363 outside a string); invalid UTF-8.
  expect_input_error("estimate --net mlp --arch " + write_file("u.toml", "\xcd\xa3"),
                     "u.toml:1:1: non-ASCII character outside a string or comment");
  expect_input_error("estimate --net mlp --arch " + write_file("v.toml", "# \xff\n"), "v.toml:1:3: invalid UTF-8");
}

TEST(Cli, NeuroSimKernelWidthIsRead) {
  const std::string j = tmp("kw.json");
  Result r = run("estimate --net " + write_file("kw.csv", "32,32,3,3,5,8,0\n32,32,8,1,1,10,0\n") + " -o " + j);
  ASSERT_EQ(r.code, 0) << r.out;
  auto rep = nlohmann::json::parse(slurp(j));
  // A 3x5 kernel on 3 channels to 8 outputs (360 weights) at 32x32 positions ("same" padding per side).
  EXPECT_EQ(rep["layers"][0]["macs"], 360 * 32 * 32) << rep["layers"][0].dump();
}

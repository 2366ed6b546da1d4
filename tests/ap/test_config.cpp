// configs/ap/ap_rtm.toml must parse with every key known and equal the
// built-in defaults, so the documented sources and the code cannot drift apart.
#include <gtest/gtest.h>

#include "arch/ap/ap_params.hpp"
#include "arch/ap/compiler/compile.hpp"
#include "arch/ap/rtm_params.hpp"
#include "workloads/quant/ternary.hpp"

using namespace tessera;

TEST(ApConfig, ShippedFileEqualsDefaults) {
  auto doc = io::Document::from_file(std::string(TESSERA_SOURCE_DIR) + "/configs/ap/ap_rtm.toml");
  auto root = doc.root();
  ap::RtmParams r = ap::RtmParams::read(root.table("rtm", "racetrack memory"));
  ap::RtmParams rd = ap::RtmParams::defaults();
  EXPECT_EQ(r.tracks, rd.tracks);
  EXPECT_EQ(r.domains, rd.domains);
  EXPECT_EQ(r.ports, rd.ports);
  EXPECT_EQ(r.shift_ns, rd.shift_ns);
  EXPECT_EQ(r.read_ns, rd.read_ns);
  EXPECT_EQ(r.write_ns, rd.write_ns);
  EXPECT_EQ(r.shift_pj, rd.shift_pj);
  EXPECT_EQ(r.read_pj, rd.read_pj);
  EXPECT_EQ(r.write_pj, rd.write_pj);
  EXPECT_EQ(r.update, rd.update);
  EXPECT_EQ(r.choice, rd.choice);
  ap::ApParams a = ap::ApParams::read(root.table("ap", "associative processor"));
  ap::ApParams ad = ap::ApParams::defaults();
  EXPECT_EQ(a.rows, ad.rows);
  EXPECT_EQ(a.compare_ns, ad.compare_ns);
  EXPECT_EQ(a.write_ns, ad.write_ns);
  EXPECT_EQ(a.compare_pj, ad.compare_pj);
  EXPECT_EQ(a.write_pj, ad.write_pj);
  quant::TernaryParams t = quant::TernaryParams::read(root.table("ternary", "ternary weights"));
  EXPECT_EQ(t.threshold_factor, quant::TernaryParams::defaults().threshold_factor);
  EXPECT_EQ(t.per_channel, quant::TernaryParams::defaults().per_channel);
  quant::ActivationQuantParams q = quant::ActivationQuantParams::read(root.table("activation", "activations"));
  EXPECT_EQ(q.bits, quant::ActivationQuantParams::defaults().bits);
  EXPECT_EQ(q.clip_max, quant::ActivationQuantParams::defaults().clip_max);
  ap::compiler::CompilerParams c = ap::compiler::CompilerParams::read(root.table("compiler", "AP compiler"));
  ap::compiler::CompilerParams cd = ap::compiler::CompilerParams::defaults();
  EXPECT_EQ(c.accumulator_bits, cd.accumulator_bits);
  EXPECT_EQ(c.chunk_inputs, cd.chunk_inputs);
  EXPECT_EQ(c.cse, cd.cse);
  EXPECT_EQ(c.cse_min_uses, cd.cse_min_uses);
  EXPECT_EQ(c.serpentine, cd.serpentine);
  EXPECT_EQ(c.layout, cd.layout);
  root.finish();
}

TEST(ApConfig, BadValuesAreInputErrors) {
  auto bad_ports = io::Document::from_string("ports = 3\n", "r.toml");
  EXPECT_THROW(ap::RtmParams::read(bad_ports.root()), InputError);
  auto bad_policy = io::Document::from_string("port_update = \"sometimes\"\n", "r.toml");
  EXPECT_THROW(ap::RtmParams::read(bad_policy.root()), InputError);
  auto unknown = io::Document::from_string("shift_ps = 2\n", "r.toml");
  EXPECT_THROW(ap::RtmParams::read(unknown.root()), InputError);
  auto rows = io::Document::from_string("rows = 0\n", "a.toml");
  EXPECT_THROW(ap::ApParams::read(rows.root()), InputError);
}

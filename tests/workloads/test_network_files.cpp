// Network files (TOML, NeuroSim CSV): parsing, round trip and error messages.
#include <gtest/gtest.h>

#include <fstream>

#include "workloads/importers/network_toml.hpp"
#include "workloads/importers/neurosim_csv.hpp"
#include "workloads/io/toml_reader.hpp"
#include "workloads/load.hpp"
#include "workloads/zoo/zoo.hpp"

using namespace tessera;

namespace {
std::string data(const std::string& f) { return std::string(TESSERA_TEST_DATA) + "/networks/" + f; }

std::string error_of(const std::string& file) {
  try {
    load_network(data(file));
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST(NetworkFiles, ReadsTomlWithDefaultsAndOverrides) {
  Network n = load_network(data("good_small.toml"));
  EXPECT_EQ(n.name, "small");
  const Layer& c1 = n.layers[n.find("c1")];
  EXPECT_EQ(c1.weight_bits, 4);
  EXPECT_EQ(c1.activation_bits, 6);
  EXPECT_EQ(c1.out, (Shape{8, 16, 16}));
  const Layer& dw = n.layers[n.find("dw")];
  EXPECT_EQ(dw.groups, 8);
  EXPECT_EQ(dw.out, (Shape{8, 8, 8}));
  EXPECT_EQ(dw.hint.tile_class, "small");
  EXPECT_EQ(n.layers[n.find("c2")].weight_bits, 2);
  EXPECT_EQ(n.layers[n.find("fc")].hint.unit, "crossbar");
  EXPECT_EQ(n.layers[n.find("fc")].out.c, 10);
  EXPECT_EQ(n.layers[n.find("sum")].inputs.size(), 2u);
}

TEST(NetworkFiles, TomlRoundTripOfZooNetworks) {
  for (const char* name : {"resnet20", "vgg8", "mobilenet-tiny", "analognas:seed=4"}) {
    Network a = zoo::build(name);
    std::string path = ::testing::TempDir() + "/roundtrip.toml";
    std::ofstream(path) << network_to_toml(a);
    Network b = load_network(path);
    ASSERT_EQ(a.layers.size(), b.layers.size()) << name;
    EXPECT_EQ(a.macs(), b.macs()) << name;
    for (size_t i = 0; i < a.layers.size(); ++i) {
      EXPECT_EQ(a.layers[i].out, b.layers[i].out) << name << " layer " << i;
      EXPECT_EQ(a.layers[i].inputs, b.layers[i].inputs) << name << " layer " << i;
    }
  }
}

TEST(NetworkFiles, NeuroSimCsvImportsVgg8) {
  Network n = load_network(data("vgg8_neurosim.csv"));
  Network ref = zoo::build("vgg8");
  EXPECT_EQ(n.macs(), ref.macs());
  EXPECT_EQ(n.weight_layers().size(), 8u);
  EXPECT_EQ(n.layers.back().out, (Shape{10, 1, 1}));
}

struct BadCase {
  const char* file;
  const char* fragment;  // expected in the message (location and key)
};

class MalformedNetwork : public ::testing::TestWithParam<BadCase> {};

TEST_P(MalformedNetwork, GivesLocatedMessage) {
  std::string msg = error_of(GetParam().file);
  EXPECT_NE(msg.find(GetParam().fragment), std::string::npos) << msg;
  EXPECT_NE(msg.find(GetParam().file), std::string::npos) << msg;
}

INSTANTIATE_TEST_SUITE_P(
    Files, MalformedNetwork,
    ::testing::Values(
        BadCase{"bad_unknown_type.toml", ":7:8: layer[0].type: unknown layer type 'convolution'"},
        BadCase{"bad_missing_input.toml", "input: missing required table"},
        BadCase{"bad_unknown_key.toml", ":9:1: layer[0].kernal: unknown key (did you mean 'kernel'?); allowed here:"},
        BadCase{"bad_kernel_too_big.toml", "layer 'conv2d1'.kernel: window 7x7 does not fit the 4x4 input"},
        BadCase{"bad_dangling_input.toml", ":9:10: layer[0].inputs: no earlier layer named 'b'"},
        BadCase{"bad_groups.toml", "input channels (6) are not divisible by groups (4)"},
        BadCase{"bad_type_mismatch.toml", ":3:12: input.channels: expected an integer, found a string"},
        BadCase{"bad_syntax.toml", ":2:7: TOML syntax error"},
        BadCase{"bad_add_shapes.toml", "add needs equal height and width"},
        BadCase{"bad_columns.csv", ":2:1: row: expected 7 or 8 comma-separated columns"},
        BadCase{"bad_chain.csv", ":2:1: ifm: input 128x32x32 (CxHxW) does not match the previous layer's output 128x16x16"},
        BadCase{"bad_value.csv", ":1:13: ofm_channels: 'abc' is not an integer"}),
    [](const ::testing::TestParamInfo<BadCase>& info) {
      std::string n = info.param.file;
      for (char& c : n)
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      return n;
    });

TEST(NetworkFiles, MissingFileAndUnknownZooName) {
  EXPECT_THROW(load_network("no/such/file.toml"), InputError);
  EXPECT_THROW(load_network("alexnet"), InputError);
}

// Text given as bytes (the fuzz targets' path) is checked like a file: invalid
// UTF-8 never reaches TOML++ 3.3, which hit __builtin_unreachable on CD A3.
TEST(NetworkFiles, TomlFromBytesRejectsInvalidUtf8) {
  auto error_of_text = [](const std::string& text) {
    try {
      io::Document::from_string(text, "t.toml");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(error_of_text("\xcd\xa3"), "t.toml:1:1: non-ASCII character outside a string or comment");
  EXPECT_EQ(error_of_text("# \xff\n"), "t.toml:1:3: invalid UTF-8 (byte 2)");
  EXPECT_EQ(error_of_text("a = 1\nb = \"\xed\xa0\x80\"\n"), "t.toml:2:6: invalid UTF-8 (byte 11)");  // a surrogate
  EXPECT_EQ(error_of_text("a = \"\xc0\xaf\""), "t.toml:1:6: invalid UTF-8 (byte 5)");                // overlong '/'
  EXPECT_EQ(error_of_text(std::string("a = 1\0", 6)), "t.toml:1:6: NUL byte in a text file");
  EXPECT_EQ(error_of_text("a = \"\xe2\x82\xac\"\n"), "(no error)");  // the euro sign, valid
}

// The quantised network and the integer reference: codes, calibration,
// symmetric quantisation, signedness, the digital layers by hand, weight
// exports, and integer MACs against a direct convolution.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "arch/functional/digital.hpp"
#include "functional_helpers.hpp"
#include "workloads/io/npy.hpp"
#include "workloads/ir/builder.hpp"

using namespace tessera;
using namespace tessera::functional;
namespace fs = std::filesystem;

TEST(Codes, UnsignedAndSigned) {
  ActivationCoding u{4, false, 0.5};
  EXPECT_EQ(u.code(0.0), 0);
  EXPECT_EQ(u.code(1.26), 3);   // 2.52 -> 3
  EXPECT_EQ(u.code(1.25), 3);   // 2.5 rounds away from zero
  EXPECT_EQ(u.code(100.0), 15); // clamped
  EXPECT_EQ(u.code(-1.0), 0);
  EXPECT_EQ(u.zero_code(), 0);
  EXPECT_DOUBLE_EQ(u.calibrated_scale(30.0), 2.0);  // 30 / 15
  ActivationCoding s{4, true, 0.5};
  EXPECT_EQ(s.offset(), 8);
  EXPECT_EQ(s.code(0.0), 8);
  EXPECT_EQ(s.code(-1.0), 6);
  EXPECT_EQ(s.code(-10.0), 0);
  EXPECT_EQ(s.code(10.0), 15);
  EXPECT_DOUBLE_EQ(s.calibrated_scale(14.0), 2.0);  // 14 / 7
  EXPECT_DOUBLE_EQ(s.calibrated_scale(0.0), 1.0);
}

TEST(Quantisation, SymmetricPerLayer) {
  std::vector<int32_t> q;
  double scale = 0;
  quantize_symmetric({0.6f, -1.0f, 0.25f, 0.0f}, 4, q, scale);
  EXPECT_DOUBLE_EQ(scale, 1.0 / 7);
  EXPECT_EQ(q, (std::vector<int32_t>{4, -7, 2, 0}));  // 4.2 -> 4, 1.75 -> 2
  quantize_symmetric({0.0f, 0.0f}, 8, q, scale);
  EXPECT_EQ(scale, 1.0);
  EXPECT_EQ(q, (std::vector<int32_t>{0, 0}));
}

TEST(Quantisation, RandomWeightsAreSeededAndBounded) {
  Network n = zoo::build("fmnist-cnn");
  QuantizedNet a = random_weights(n, 7), b = random_weights(n, 7), c = random_weights(n, 8);
  for (int i : n.weight_layers()) {
    const QuantLayer& l = a.at(i);
    EXPECT_EQ(l.q, b.at(i).q);
    EXPECT_NE(l.q, c.at(i).q);
    ASSERT_EQ(l.q.size(), size_t(n.layers[size_t(i)].weights()));
    int32_t top = 0;
    for (int32_t x : l.q) top = std::max(top, std::abs(x));
    EXPECT_EQ(top, 127);  // symmetric per layer: the largest weight takes the top code
    // He-uniform bound sqrt(6 / fan_in) is about the largest weight.
    EXPECT_NEAR(l.weight_scale[0] * 127, std::sqrt(6.0 / double(n.layers[size_t(i)].matrix_rows())), 0.05);
    EXPECT_TRUE(l.bias.empty());
    EXPECT_EQ(l.input.scale, 0);  // left to calibration
  }
}

TEST(Quantisation, SignednessFollowsRelu) {
  NetBuilder b("s", {1, 6, 6});
  int c1 = b.conv(2, 3);
  int r = b.relu();
  int p = b.maxpool(2, 2);
  int c2 = b.conv(2, 1);
  int add = b.add({c2, p});
  int c3 = b.conv(2, 1);
  Network n = b.build();
  std::vector<bool> s = signed_outputs(n, false);
  EXPECT_TRUE(s[size_t(c1)]);
  EXPECT_FALSE(s[size_t(r)]);
  EXPECT_FALSE(s[size_t(p)]);
  EXPECT_TRUE(s[size_t(add)]);  // one input is a convolution
  QuantizedNet q = random_weights(n, 1);
  set_input_signedness(n, q, false);
  EXPECT_FALSE(q.at(c1).input.is_signed);
  EXPECT_FALSE(q.at(c2).input.is_signed);
  EXPECT_TRUE(q.at(c3).input.is_signed);
  set_input_signedness(n, q, true);
  EXPECT_TRUE(q.at(c1).input.is_signed);
}

TEST(Digital, LayersByHand) {
  Tensor x({2, 2, 3});
  x.v = {1, -2, 3, -4, 5, -6,   // channel 0
         7, 8, -9, 10, 11, 12}; // channel 1
  NetBuilder b("d", {2, 2, 3});
  int relu = b.relu(0);
  int mp = b.maxpool(2, 1, 0, 0);
  int ap = b.avgpool(2, 2, 1, 0);
  int gap = b.global_avgpool(0);
  int fl = b.flatten(0);
  Network n = b.build();
  auto run = [&](int li) {
    Tensor out(n.layers[size_t(li)].out);
    digital_rows(n.layers[size_t(li)], {&x}, out, 0, out.shape.h);
    return out.v;
  };
  EXPECT_EQ(run(relu), (std::vector<double>{1, 0, 3, 0, 5, 0, 7, 8, 0, 10, 11, 12}));
  EXPECT_EQ(run(mp), (std::vector<double>{5, 5, 11, 12}));  // 2x2 windows, stride 1: 1x2 outputs
  // Average pooling counts padding (PyTorch's default): corners see one value of four.
  EXPECT_EQ(run(ap), (std::vector<double>{0.25, (-2 + 3) / 4.0, -1, (5 - 6) / 4.0,  //
                                          1.75, (8 - 9) / 4.0, 2.5, (11 + 12) / 4.0}));
  EXPECT_EQ(run(gap), (std::vector<double>{-0.5, 39.0 / 6}));
  EXPECT_EQ(run(fl), x.v);

  // Residual add with zero-extension, and concat.
  Tensor a({3, 1, 2}), s({1, 1, 2});
  a.v = {1, 2, 3, 4, 5, 6};
  s.v = {10, 20};
  NetBuilder b2("r", {3, 1, 2});
  int sc = b2.conv(1, 1, 1, 0, 1, 0);
  int add = b2.add({0, sc});
  int cat = b2.concat({sc, 0});
  Network n2 = b2.build();
  Tensor o(n2.layers[size_t(add)].out);
  digital_rows(n2.layers[size_t(add)], {&a, &s}, o, 0, 1);
  EXPECT_EQ(o.v, (std::vector<double>{11, 22, 3, 4, 5, 6}));
  Tensor c(n2.layers[size_t(cat)].out);
  digital_rows(n2.layers[size_t(cat)], {&s, &a}, c, 0, 1);
  EXPECT_EQ(c.v, (std::vector<double>{10, 20, 1, 2, 3, 4, 5, 6}));
}

TEST(Reference, IntegerMacsMatchADirectConvolution) {
  // Strided, padded, dilated, grouped: the window formula against a plain loop.
  NetBuilder b("c", {4, 7, 6}, 6, 5);
  b.conv(6, 3, 2, 2, 2);
  Network n = b.build();
  Layer& l = n.layers[1];
  l.dilation_h = 2;
  n.finalize();
  QuantizedNet q = random_weights(n, 3);
  QuantLayer& ql = q.at(1);
  ql.input = {5, true, 1.0};
  std::vector<int64_t> codes(size_t(l.in.size()));
  for (size_t i = 0; i < codes.size(); ++i) codes[i] = int64_t(i * 7 % 32);
  std::vector<int64_t> acc = integer_macs(l, ql, codes);
  const int64_t cin_g = 2;
  for (int64_t oc = 0; oc < 6; ++oc)
    for (int64_t y = 0; y < l.out.h; ++y)
      for (int64_t x = 0; x < l.out.w; ++x) {
        int64_t want = 0;
        for (int64_t ci = 0; ci < cin_g; ++ci)
          for (int kh = 0; kh < 3; ++kh)
            for (int kw = 0; kw < 3; ++kw) {
              int64_t iy = y * 2 - 2 + kh * 2, ix = x * 2 - 2 + kw;
              if (iy < 0 || iy >= 7 || ix < 0 || ix >= 6) continue;
              int64_t c = oc / 3 * cin_g + ci;
              want += ql.q[size_t(((oc * cin_g + ci) * 3 + kh) * 3 + kw)] * (codes[size_t((c * 7 + iy) * 6 + ix)] - 16);
            }
        EXPECT_EQ(acc[size_t(oc * l.out.h * l.out.w + y * l.out.w + x)], want);
      }
}

TEST(Reference, CalibrationAndPixelScale) {
  Network n = zoo::build("mlp:hidden=4");
  QuantizedNet q = random_weights(n, 1);
  InputImage im = random_input(n.input, 2);
  set_input_signedness(n, q, false);
  EXPECT_FALSE(q.calibrated(n));
  EXPECT_THROW(run_reference(n, q, im), std::logic_error);
  // fc1 reads the uint8 image (flattened): 1/255, its codes are the pixels.
  calibrate(n, q, im);
  EXPECT_TRUE(q.calibrated(n));
  EXPECT_EQ(q.at(n.find("fc1")).input.scale, kPixelScale);
  // fc2 reads fc1's ReLU: max / (2^8 - 1).
  std::vector<Tensor> outs = run_reference(n, q, im);
  double top = 0;
  for (double v : outs[size_t(n.find("fc2") - 1)].v) top = std::max(top, v);
  EXPECT_GT(top, 0);
  EXPECT_DOUBLE_EQ(q.at(n.find("fc2")).input.scale, top / 255);
  // Fewer than 8 bits: the pixels do not fit, the maximum is calibrated.
  NetBuilder b("p", {1, 4, 4}, 8, 4);
  b.conv(2, 3);
  Network p = b.build();
  QuantizedNet qp = random_weights(p, 1);
  set_input_signedness(p, qp, false);
  InputImage pim = random_input(p.input, 3);
  calibrate(p, qp, pim);
  EXPECT_DOUBLE_EQ(qp.at(1).input.scale, pim.max_abs() / 15);
  // Given scales are kept.
  QuantizedNet qg = random_weights(n, 1);
  set_input_signedness(n, qg, false);
  qg.at(n.find("fc2")).input.scale = 0.125;
  calibrate(n, qg, im);
  EXPECT_EQ(qg.at(n.find("fc2")).input.scale, 0.125);
}

TEST(Reference, LoadsCodesScalesBiasAndInputScaleFromAnExport) {
  Network n = zoo::build("mlp:hidden=2,wbits=4");
  std::string dir = ::testing::TempDir() + "/func_export";
  fs::remove_all(dir);
  fs::create_directories(dir);
  io::WeightsManifest m;
  m.dir = dir;
  m.network = "mlp:hidden=2,wbits=4";
  std::vector<int8_t> q1(2 * 784, 1);
  q1[784] = -7;
  io::write_npy(dir + "/fc1.npy", io::NpyArray::of_int8(q1, {2, 784}));
  io::write_npy(dir + "/fc1b.npy", io::NpyArray::of_floats({0.5f, -0.25f}, {2}));
  std::vector<float> w2(20);
  for (int i = 0; i < 20; ++i) w2[i] = float(i - 10) / 10.0f;
  io::write_npy(dir + "/fc2.npy", io::NpyArray::of_floats(w2, {10, 2}));
  io::LayerWeights fc1{"fc1", "fc1.npy", "fc1b.npy", {2, 784}, 4, io::Quantization::Uniform, {0.5, 0.25}};
  io::LayerWeights fc2{"fc2", "fc2.npy", "", {10, 2}, 32, io::Quantization::None, {}};
  fc2.input_scale = 0.03;
  m.layers = {fc1, fc2};
  io::write_weights_manifest(m);
  QuantizedNet q = load_weights(n, io::read_weights_manifest(dir, n));
  const QuantLayer& l1 = q.at(n.find("fc1"));
  EXPECT_EQ(l1.q[0], 1);
  EXPECT_EQ(l1.q[784], -7);
  EXPECT_EQ(l1.weight_scale, (std::vector<double>{0.5, 0.25}));
  EXPECT_EQ(l1.bias, (std::vector<double>{0.5, -0.25}));
  EXPECT_EQ(l1.input.scale, 0);
  const QuantLayer& l2 = q.at(n.find("fc2"));
  // Float weights, quantised per layer to the network's 4 bits: scale 1.0 / 7.
  EXPECT_DOUBLE_EQ(l2.weight_scale[0], 1.0 / 7);
  EXPECT_EQ(l2.q[0], -7);
  EXPECT_EQ(l2.q[10], 0);
  EXPECT_EQ(l2.q[16], 4);  // 0.6 * 7 = 4.2
  EXPECT_EQ(l2.input.scale, 0.03);
}

TEST(Input, NpyImagesAreChecked) {
  std::string dir = ::testing::TempDir() + "/func_input";
  fs::create_directories(dir);
  Shape s{1, 2, 2};
  io::write_npy(dir + "/u8.npy", io::NpyArray::of_uint8({0, 51, 255, 3}, {1, 2, 2}));
  InputImage u = read_input(dir + "/u8.npy", s);
  EXPECT_TRUE(u.from_uint8);
  EXPECT_DOUBLE_EQ(u.real.v[1], 0.2);
  io::write_npy(dir + "/f.npy", io::NpyArray::of_floats({-1.5f, 0, 2, 3}, {1, 2, 2}));
  InputImage f = read_input(dir + "/f.npy", s);
  EXPECT_FALSE(f.from_uint8);
  EXPECT_TRUE(f.has_negative());
  EXPECT_EQ(f.max_abs(), 3);
  auto err = [&](const std::string& file) {
    try {
      read_input(dir + "/" + file, s);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  io::write_npy(dir + "/shape.npy", io::NpyArray::of_floats({0, 0, 0, 0}, {2, 2}));
  EXPECT_NE(err("shape.npy").find("--input: array shape (2, 2) does not match the network's input; allowed: (1, 2, 2)"),
            std::string::npos)
      << err("shape.npy");
  io::write_npy(dir + "/i32.npy", io::NpyArray::of_int32({0, 0, 0, 0}, {1, 2, 2}));
  EXPECT_NE(err("i32.npy").find("dtype <i4 is not allowed; allowed: |u1 (pixels), <f4, <f8"), std::string::npos);
  io::write_npy(dir + "/nan.npy", io::NpyArray::of_floats({0, NAN, 0, 0}, {1, 2, 2}));
  EXPECT_NE(err("nan.npy").find("element 1 is not finite"), std::string::npos);
}

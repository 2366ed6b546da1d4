#include "workloads/importers/neurosim_csv.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "workloads/ir/builder.hpp"

namespace tessera {

namespace {
std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}
const char* kColumns[] = {"ifm_height", "ifm_width", "ifm_channels", "kernel_height",
                          "kernel_width", "ofm_channels", "pooling", "stride"};
}  // namespace

Network load_neurosim_csv(const std::string& path, int weight_bits, int activation_bits) {
  std::ifstream in(path);
  if (!in) throw InputError({path, 0, 0}, "", "cannot open file");
  struct Row {
    int64_t v[8];
    int line;
  };
  std::vector<Row> rows;
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    text = trim(text);
    if (text.empty() || text[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream ss(text);
    std::string c;
    while (std::getline(ss, c, ',')) cells.push_back(trim(c));
    if (cells.size() != 7 && cells.size() != 8) {
      throw InputError({path, line, 1}, "row", "expected 7 or 8 comma-separated columns (" +
                                                   std::string("IFM H, IFM W, IFM C, K H, K W, OFM C, pool, stride") +
                                                   "), found " + std::to_string(cells.size()));
    }
    Row r{{0, 0, 0, 0, 0, 0, 0, 1}, line};
    int col = 1;
    for (size_t i = 0; i < cells.size(); ++i) {
      char* end = nullptr;
      long long x = std::strtoll(cells[i].c_str(), &end, 10);
      if (cells[i].empty() || *end) {
        throw InputError({path, line, col}, kColumns[i], "'" + cells[i] + "' is not an integer");
      }
      bool ok = i == 6 ? (x == 0 || x == 1) : x >= 1;
      if (!ok) {
        throw InputError({path, line, col}, kColumns[i],
                         std::to_string(x) + (i == 6 ? " is not a pooling flag; allowed: 0, 1" : " must be at least 1"));
      }
      r.v[i] = x;
      col += int(cells[i].size()) + 1;
    }
    rows.push_back(r);
  }
  if (rows.empty()) throw InputError({path, 0, 0}, "", "no layer rows");

  std::string name = std::filesystem::path(path).stem().string();
  NetBuilder b(name, {rows[0].v[2], rows[0].v[0], rows[0].v[1]}, weight_bits, activation_bits);
  bool flat = false;
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const Shape cur = b.shape(NetBuilder::kLast);
    auto v = r.v;
    std::string lname = "layer" + std::to_string(i + 1);
    bool fc = v[0] == 1 && v[1] == 1 && v[3] == 1 && v[4] == 1 && v[2] == cur.size() && (cur.h > 1 || cur.w > 1 || flat);
    if (fc) {
      if (!flat) b.flatten();
      flat = true;
      b.linear(v[5], NetBuilder::kLast, lname);
    } else {
      if (v[0] != cur.h || v[1] != cur.w || v[2] != cur.c) {
        throw InputError({path, r.line, 1}, "ifm",
                         "input " + std::to_string(v[2]) + "x" + std::to_string(v[0]) + "x" + std::to_string(v[1]) +
                             " (CxHxW) does not match the previous layer's output " + cur.str());
      }
      if (v[3] != v[4] && flat) throw InputError({path, r.line, 1}, "kernel", "convolution after a fully connected layer");
      b.conv(v[5], int(v[3]), int(v[7]), int((v[3] - 1) / 2), 1, NetBuilder::kLast, lname);
    }
    if (i + 1 < rows.size()) b.relu();
    if (v[6]) {
      const Shape s = b.shape(NetBuilder::kLast);
      if (s.h < 2 || s.w < 2) throw InputError({path, r.line, 1}, "pooling", "cannot pool a " + s.str() + " output");
      b.maxpool(2, 2);
    }
  }
  Network n = b.build();
  n.loc = {path, 0, 0};
  return n;
}

}  // namespace tessera

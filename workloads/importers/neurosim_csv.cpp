#include "workloads/importers/neurosim_csv.hpp"

#include <charconv>
#include <filesystem>
#include <sstream>

#include "workloads/io/text_file.hpp"
#include "workloads/ir/builder.hpp"

namespace tessera {

namespace {
std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}
// Columns and their ranges: sizes as a TOML network file allows them
// (docs/network-format.md), the pooling flag 0 or 1.
struct Column {
  const char* name;
  int64_t min, max;
};
constexpr Column kColumns[] = {{"ifm_height", 1, 1 << 20},  {"ifm_width", 1, 1 << 20},   {"ifm_channels", 1, 1 << 24},
                               {"kernel_height", 1, 64},    {"kernel_width", 1, 64},     {"ofm_channels", 1, 1 << 24},
                               {"pooling", 0, 1},           {"stride", 1, 64}};
}  // namespace

Network load_neurosim_csv(const std::string& path, int weight_bits, int activation_bits) {
  const std::string file = io::read_file(path, "network file");
  io::check_text(file, path);
  std::istringstream in(file);
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
      const Column& k = kColumns[i];
      const std::string& cell = cells[i];
      int64_t x = 0;
      const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), x);
      if (cell.empty() || end != cell.data() + cell.size() || (ec != std::errc() && ec != std::errc::result_out_of_range))
        throw InputError({path, line, col}, k.name, "'" + cell + "' is not an integer");
      if (ec == std::errc::result_out_of_range || x < k.min || x > k.max)
        throw InputError({path, line, col}, k.name,
                         cell + " is out of range; allowed: [" + std::to_string(k.min) + ", " + std::to_string(k.max) + "]");
      r.v[i] = x;
      col += int(cell.size()) + 1;
    }
    rows.push_back(r);
  }
  if (rows.empty()) throw InputError({path, 0, 0}, "", "no layer rows");

  const std::string name = std::filesystem::path(path).stem().string();
  // The builder checks shapes and sizes; its errors get the row's line.
  auto at_line = [&](int row_line, auto&& build) {
    try {
      return build();
    } catch (const InputError& e) {
      throw InputError({path, row_line, 1}, e.key(), e.message());
    }
  };
  NetBuilder b = at_line(rows[0].line, [&] {
    return NetBuilder(name, {rows[0].v[2], rows[0].v[0], rows[0].v[1]}, weight_bits, activation_bits);
  });
  bool flat = false;
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const Shape cur = b.shape(NetBuilder::kLast);
    auto v = r.v;
    std::string lname = "layer" + std::to_string(i + 1);
    bool fc = v[0] == 1 && v[1] == 1 && v[3] == 1 && v[4] == 1 && v[2] == cur.size() && (cur.h > 1 || cur.w > 1 || flat);
    at_line(r.line, [&] {
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
        b.conv_hw(v[5], int(v[3]), int(v[4]), int(v[7]), NetBuilder::kLast, lname);
      }
      if (i + 1 < rows.size()) b.relu();
      if (v[6]) {
        const Shape s = b.shape(NetBuilder::kLast);
        if (s.h < 2 || s.w < 2) throw InputError({path, r.line, 1}, "pooling", "cannot pool a " + s.str() + " output");
        b.maxpool(2, 2);
      }
      return 0;
    });
  }
  Network n = b.build();
  n.loc = {path, 0, 0};
  return n;
}

}  // namespace tessera

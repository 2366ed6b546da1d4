#include "arch/device/device.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "arch/device/ir_drop.hpp"
#include "workloads/io/toml_reader.hpp"

namespace tessera::device {

void DeviceOptions::load(const io::Section& s) {
  g_max_us = s.number("g_max_us", "maximum conductance in microsiemens (AIHWKit default 25)", g_max_us, 1e-6, 1e6);
  g_min_us = s.number("g_min_us", "minimum conductance in microsiemens (lowest level, stuck-at-min value)", g_min_us, 0, 1e6);
  s.check(g_min_us < g_max_us, "g_min_us", "must be below g_max_us (" + io::format_number(g_max_us) + ")");
  levels = int(s.integer("levels", "programmable conductance levels, equally spaced in [g_min, g_max]; 0: continuous",
                         levels, 0, 1 << 20));
  s.check(levels != 1, "levels", "one level cannot hold a weight; allowed: 0 (continuous) or >= 2");
  stuck_at_min = s.number("stuck_at_min", "fraction of devices stuck at g_min, drawn per device at programming",
                          stuck_at_min, 0, 1);
  stuck_at_max = s.number("stuck_at_max", "fraction of devices stuck at g_max, drawn per device at programming",
                          stuck_at_max, 0, 1);
  s.check(stuck_at_min + stuck_at_max <= 1, "stuck_at_max", "stuck_at_min + stuck_at_max must not exceed 1");
  wire_resistance_ohm = s.number("wire_resistance_ohm",
                                 "wire resistance per cell segment for the first-order IR-drop model; 0: no IR drop",
                                 wire_resistance_ohm, 0, 1e6);
}

std::unique_ptr<Device> Device::create(const io::Section& s) {
  DeviceOptions opt;
  opt.load(s);  // shared by every implementation: declared once, outside the variants
  auto d = Registry<Device>::create(s);
  d->opt_ = opt;
  s.finish();
  return d;
}

float Device::quantize(float g) const {
  if (opt_.levels < 2) return g;
  const double step = (opt_.g_max_us - opt_.g_min_us) / double(opt_.levels - 1);
  double k = std::round((double(g) - opt_.g_min_us) / step);
  k = std::min(std::max(k, 0.0), double(opt_.levels - 1));
  return float(opt_.g_min_us + k * step);
}

ProgrammedCells Device::program(const float* g_target, int rows, int cols, Rng& rng) const {
  if (rows < 0 || cols < 0) throw std::invalid_argument("Device::program: negative array size");
  ProgrammedCells p;
  p.rows = rows;
  p.cols = cols;
  p.g_target.assign(g_target, g_target + p.size());
  for (float& g : p.g_target) g = quantize(g);
  p.g_prog = p.g_target;
  program_cells(p, rng);
  if (opt_.stuck_at_min > 0 || opt_.stuck_at_max > 0) {
    p.stuck.assign(p.size(), Stuck::None);
    for (size_t i = 0; i < p.size(); ++i) {
      double u = rng.uniform();
      if (u < opt_.stuck_at_min) p.stuck[i] = Stuck::AtMin;
      else if (u < opt_.stuck_at_min + opt_.stuck_at_max) p.stuck[i] = Stuck::AtMax;
      if (p.stuck[i] != Stuck::None) p.g_prog[i] = float(p.stuck[i] == Stuck::AtMin ? opt_.g_min_us : opt_.g_max_us);
    }
  }
  return p;
}

void Device::read(const ProgrammedCells& p, double t_inference, Rng& rng, float* g) const {
  read_cells(p, t_inference, rng, g);
  // A stuck device neither drifts nor fluctuates: it reads its stuck value.
  for (size_t i = 0; i < p.stuck.size(); ++i)
    if (p.stuck[i] != Stuck::None) g[i] = float(p.stuck[i] == Stuck::AtMin ? opt_.g_min_us : opt_.g_max_us);
  apply_ir_drop(g, p.rows, p.cols, opt_.wire_resistance_ohm);
}

std::vector<float> Device::read(const ProgrammedCells& p, double t_inference, Rng& rng) const {
  std::vector<float> g(p.size());
  read(p, t_inference, rng, g.data());
  return g;
}

}  // namespace tessera::device

// 2D mesh with dimension-order (XY) routing and optional concentration
// (several tiles per router, as ISAAC's concentrated mesh: 4 tiles per router).
#include <cmath>
#include <cstdlib>

#include "arch/noc/topology.hpp"
#include "workloads/base/registry.hpp"
#include "workloads/io/toml_reader.hpp"

namespace tessera {
namespace {

class Mesh : public Topology {
 public:
  explicit Mesh(const io::Section& s) {
    concentration_ = int(s.integer("concentration", "tiles attached to one router", 1, 1, 64));
    width_ = int(s.integer("routers_per_row", "mesh width in routers (0: square-ish)", 0, 0, 1 << 12));
  }
  void attach(int tiles) override {
    tiles_ = tiles;
    routers_ = (tiles + concentration_ - 1) / concentration_;
    if (width_ == 0) width_ = int(std::ceil(std::sqrt(double(routers_))));
    height_ = (routers_ + width_ - 1) / width_;
  }
  int routers() const override { return routers_; }
  int tiles_per_router() const override { return concentration_; }
  // Per router 4 outgoing directions (E, W, N, S), then per tile injection and ejection.
  int links() const override { return 4 * routers_ + 2 * tiles_; }
  int router_hops(int src, int dst) const override {
    if (src == dst) return 0;
    int a = src / concentration_, b = dst / concentration_;
    return std::abs(a % width_ - b % width_) + std::abs(a / width_ - b / width_) + 1;
  }
  void route(int src, int dst, std::vector<int>& out) const override {
    out.clear();
    if (src == dst) return;
    out.push_back(4 * routers_ + src);  // injection
    int r = src / concentration_, d = dst / concentration_;
    int x = r % width_, y = r / width_, dx = d % width_, dy = d / width_;
    while (x != dx) {
      int dir = dx > x ? 0 : 1;
      out.push_back(4 * (y * width_ + x) + dir);
      x += dx > x ? 1 : -1;
    }
    while (y != dy) {
      int dir = dy > y ? 3 : 2;
      out.push_back(4 * (y * width_ + x) + dir);
      y += dy > y ? 1 : -1;
    }
    out.push_back(4 * routers_ + tiles_ + dst);  // ejection
  }
  std::string link_name(int l) const override {
    static const char* dirs[] = {"E", "W", "N", "S"};
    if (l < 4 * routers_) return "r" + std::to_string(l / 4) + "." + dirs[l % 4];
    l -= 4 * routers_;
    if (l < tiles_) return "inject.t" + std::to_string(l);
    return "eject.t" + std::to_string(l - tiles_);
  }

 private:
  int concentration_ = 1, width_ = 0, height_ = 0, routers_ = 0, tiles_ = 0;
};

// One shared bus: every transfer occupies the single bus link.
class Bus : public Topology {
 public:
  explicit Bus(const io::Section&) {}
  void attach(int tiles) override { tiles_ = tiles; }
  int routers() const override { return 1; }
  int tiles_per_router() const override { return tiles_; }
  int links() const override { return 1; }
  int router_hops(int src, int dst) const override { return src == dst ? 0 : 1; }
  void route(int src, int dst, std::vector<int>& out) const override {
    out.clear();
    if (src != dst) out.push_back(0);
  }
  std::string link_name(int) const override { return "bus"; }

 private:
  int tiles_ = 0;
};

}  // namespace

TESSERA_REGISTER(Topology, Mesh, "mesh", "2D mesh, XY routing, optional concentration")
TESSERA_REGISTER(Topology, Bus, "bus", "one shared bus")

void NocParams::load(const io::Section& s) {
  topology = Registry<Topology>::create(s, "mesh");
  flit_bits = int(s.integer("flit_bits", "link width: bits per flit", flit_bits, 1, 1 << 12));
  hop_cycles = int(s.integer("hop_cycles", "head-flit latency per router hop (cycles)", hop_cycles, 1, 1 << 12));
  router_ports = int(s.integer("router_ports", "router ports (flits moved per cycle at peak)", router_ports, 1, 64));
  router_pinned = s.has("router_energy_pj_per_flit");
  link_pinned = s.has("link_energy_pj_per_flit");
  router_area_pinned = s.has("router_area_mm2");
  router_leakage_pinned = s.has("router_leakage_mw");
  router_energy_pj_per_flit = s.number("router_energy_pj_per_flit", "energy per flit per router traversal (pJ); absent: input buffers and switch at the node",
                                       router_energy_pj_per_flit, 0, 1e6);
  link_energy_pj_per_flit = s.number("link_energy_pj_per_flit", "energy per flit per link traversal (pJ); absent: flit_bits wires one tile pitch long at the node",
                                     link_energy_pj_per_flit, 0, 1e6);
  router_area_mm2 = s.number("router_area_mm2", "area per router (mm^2); absent: input buffers and switch at the node", router_area_mm2, 0, 1e4);
  router_leakage_mw = s.number("router_leakage_mw", "static power per router (mW); absent: from its area at the node", router_leakage_mw, 0, 1e6);
  s.finish();
}

}  // namespace tessera

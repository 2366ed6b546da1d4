// On-chip network topologies (impl = "mesh" or "bus"). A topology places
// tiles on routers and lists the links a packet crosses; the simulator
// arbitrates those links cycle by cycle and the analytical model counts them.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace tessera {
namespace io { class Section; }

class Topology {
 public:
  virtual ~Topology() = default;
  // Called once with the chip's tile count.
  virtual void attach(int tiles) = 0;
  virtual int routers() const = 0;
  // Tiles sharing one router (its area and power are split among them).
  virtual int tiles_per_router() const = 0;
  virtual int links() const = 0;  // directed links, including tile injection/ejection
  // Links from tile src to tile dst in order (injection first, ejection last).
  virtual void route(int src, int dst, std::vector<int>& links) const = 0;
  // Routers a packet passes through (0 when src == dst).
  virtual int router_hops(int src, int dst) const = 0;
  virtual std::string link_name(int link) const = 0;
};

struct NocParams {
  std::shared_ptr<Topology> topology;
  int flit_bits = 32;
  int hop_cycles = 1;             // router + link traversal per hop for the head flit
  int router_ports = 8;           // for peak power: flits per cycle a router can move
  double router_energy_pj_per_flit = 0;  // per router traversal
  double link_energy_pj_per_flit = 0;    // per link traversal
  double router_area_mm2 = 0;
  double router_leakage_mw = 0;
  bool router_pinned = false, link_pinned = false, router_area_pinned = false, router_leakage_pinned = false;

  void load(const io::Section& s);
};

}  // namespace tessera

#include "arch/ap/rtm_params.hpp"

namespace tessera::ap {

RtmParams RtmParams::read(const io::Section& s) {
  RtmParams p;
  // Defaults: RTSim (Khan et al. 2019), whose constants derive from Destiny.
  p.tracks = int(s.integer("tracks", "racetracks per domain-block cluster (DBC)", 32, 1, 4096));
  p.domains = int(s.integer("domains", "domains per track", 64, 1, 1 << 20));
  p.ports = int(s.integer("ports", "access ports per track", 2, 1, 1 << 20));
  s.check(p.ports <= p.domains && p.domains % p.ports == 0, "ports",
          "domains (" + std::to_string(p.domains) + ") must be a multiple of ports");
  p.shift_ns = s.number("shift_ns", "latency of a one-position shift", 2.14, 0, 1e6);
  p.read_ns = s.number("read_ns", "latency of a word read at a port", 1.61, 0, 1e6);
  p.write_ns = s.number("write_ns", "latency of a word write at a port", 4.85, 0, 1e6);
  p.shift_pj = s.number("shift_pj", "energy of a one-position shift of a whole DBC", 19.5, 0, 1e9);
  p.read_pj = s.number("read_pj", "energy of a word read", 80.1, 0, 1e9);
  p.write_pj = s.number("write_pj", "energy of a word write", 109.0, 0, 1e9);
  p.update = s.string("port_update", "lazy: the track stays after an access; eager: it returns home",
                      "lazy", {"lazy", "eager"}) == "lazy"
                 ? PortUpdate::Lazy
                 : PortUpdate::Eager;
  p.choice = s.string("port_choice", "static: port = domain / (domains / ports); nearest: closest port",
                      "static", {"static", "nearest"}) == "static"
                 ? PortChoice::Static
                 : PortChoice::Nearest;
  s.finish();
  return p;
}

RtmParams RtmParams::defaults() { return read(io::Document::from_string("", "<rtm defaults>").root()); }

}  // namespace tessera::ap

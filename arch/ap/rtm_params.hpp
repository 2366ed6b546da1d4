// Racetrack memory (RTM) parameters and access counts.
//
// A domain-block cluster (DBC) is `tracks` racetracks of `domains` domains
// each, shifted together, with `ports` access ports per track. One word is the
// bit at one domain position across all tracks of the DBC.
#pragma once

#include <cstdint>

#include "workloads/io/toml_reader.hpp"

namespace tessera::ap {

// Lazy: the track stays where the access left it. Eager: it shifts back to its
// home position after every access (twice the shifts).
enum class PortUpdate { Lazy, Eager };
// Static: domain d always uses port d / (domains / ports). Nearest: the port
// currently closest to d.
enum class PortChoice { Static, Nearest };

struct RtmParams {
  int tracks = 0;
  int domains = 0;
  int ports = 0;
  double shift_ns = 0, read_ns = 0, write_ns = 0;  // per one-position shift / per access
  double shift_pj = 0;                             // one-position shift of a whole DBC
  double read_pj = 0, write_pj = 0;                // per word
  PortUpdate update = PortUpdate::Lazy;
  PortChoice choice = PortChoice::Static;

  int segment() const { return domains / ports; }  // domains served by one port (static choice)
  int home(int port) const { return port * segment(); }

  // Keys: tracks, domains, ports, shift_ns, read_ns, write_ns, shift_pj,
  // read_pj, write_pj, port_update, port_choice.
  static RtmParams read(const io::Section& s);
  static RtmParams defaults();
};

struct RtmCounts {
  int64_t shifts = 0;  // one-position shifts
  int64_t reads = 0;   // word (column) reads
  int64_t writes = 0;  // word (column) writes

  RtmCounts& operator+=(const RtmCounts& o) {
    shifts += o.shifts, reads += o.reads, writes += o.writes;
    return *this;
  }
  bool operator==(const RtmCounts& o) const {
    return shifts == o.shifts && reads == o.reads && writes == o.writes;
  }
  // Sequential: every access waits for its shifts.
  double latency_ns(const RtmParams& p) const {
    return shifts * p.shift_ns + reads * p.read_ns + writes * p.write_ns;
  }
  // dbcs: DBCs that shift and access in lockstep (one per 32 CAM rows).
  double energy_pj(const RtmParams& p, int64_t dbcs = 1) const {
    return double(dbcs) * (shifts * p.shift_pj + reads * p.read_pj + writes * p.write_pj);
  }
};

}  // namespace tessera::ap

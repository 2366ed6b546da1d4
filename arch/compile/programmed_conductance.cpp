#include "arch/compile/programmed_conductance.hpp"

#include <stdexcept>

namespace tessera {

void price_programmed_conductance(Program& prog, const ArchConfig& arch, const std::vector<double>& mean_g_us) {
  if (mean_g_us.size() != prog.hosts.size())
    throw std::logic_error("price_programmed_conductance: one conductance per host expected");
  for (size_t hi = 0; hi < prog.hosts.size(); ++hi) {
    HostProgram& h = prog.hosts[hi];
    if (h.cell_conductance_us >= 0) throw std::logic_error("price_programmed_conductance: applied twice");
    if (h.on_ap || mean_g_us[hi] < 0) continue;
    const double priced = arch.tile_classes.at(size_t(h.tile_class)).crossbar.priced_cell_g_us;
    if (priced <= 0) continue;
    const double ratio = mean_g_us[hi] / priced;
    for (TileProgram& t : h.tiles) t.events_per_position[Event::CellRead] *= ratio;
    h.cell_conductance_us = mean_g_us[hi];
  }
}

}  // namespace tessera

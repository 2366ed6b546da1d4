// Cell reads priced at the conductance the weights are programmed to.
//
// The cost table prices a resistive cell read at the device's mean
// conductance, V^2 G t (docs/cost-model.md), because it is built before any
// weights are known. When they are (the functional mode programs every
// array), each layer's cell-read count is rescaled by the mean conductance
// its arrays read over the device mean the table assumes, so that the same
// cost table then charges V^2 G_programmed t. Layers whose cell figure is
// pinned or whose cells are not resistive (SRAM) are left alone.
#pragma once

#include <vector>

#include "arch/compile/program.hpp"

namespace tessera {

// `mean_g_us[h]`: host h's mean read conductance over its used cells (uS),
// negative when unknown (AP layers). Applies once per program.
void price_programmed_conductance(Program& prog, const ArchConfig& arch, const std::vector<double>& mean_g_us);

}  // namespace tessera

// An associative-processor class: `count` AP units, each a content-addressable
// array of `ap.rows` rows (output positions processed in parallel) whose bit
// columns live in racetrack memory, with the ternary-layer compiler's
// settings, an input buffer and an activation unit. Layers mapped here run as
// compiled AP programs (arch/ap/compiler): one program per row tile.
#pragma once

#include <string>

#include "arch/ap/ap_params.hpp"
#include "arch/ap/compiler/compile.hpp"
#include "arch/ap/rtm_params.hpp"
#include "arch/components/digital_unit.hpp"
#include "arch/components/storage.hpp"
#include "workloads/quant/ternary.hpp"

namespace tessera {

struct ApClassParams {
  std::string name;
  int count = 1;
  ap::ApParams ap;
  ap::RtmParams rtm;
  ap::compiler::CompilerParams compiler;
  quant::TernaryParams ternary;
  StorageParams buffer;           // input/output staging buffer of one unit
  DigitalUnitParams activation;   // ReLU, residual add, requantisation
  DigitalUnitParams pooling;
  double area_mm2 = 0;            // CAM, racetrack and control of one unit
  double leakage_mw = 0;          // per unit
  int racetrack_kib = 0;          // racetrack capacity per unit (reported)
  // A racetrack domain 1 F wide and 2 F long: the density usually stated for
  // racetrack memory (Parkin, Hayashi and Thomas, Science 2008).
  double domain_f2 = 2;
  bool area_pinned = false, leakage_pinned = false;

  void load(const io::Section& s);
};

}  // namespace tessera

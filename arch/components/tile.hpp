// A tile class: `count` identical tiles, each with `imas` in-situ
// multiply-accumulate units (ISAAC's IMA; NeuroSim's PE) of `crossbars` arrays
// with their DACs, sample-and-holds, shared ADCs, shift-and-add units and
// registers, plus the tile's buffer, bus, reduction adders, activation and
// pooling units and output register.
#pragma once

#include <string>

#include "arch/components/converter.hpp"
#include "arch/components/crossbar.hpp"
#include "arch/components/digital_unit.hpp"
#include "arch/components/storage.hpp"

namespace tessera {

struct ImaParams {
  int crossbars = 8;
  StorageParams input_register;   // feeds the DACs: energy per bit applied
  StorageParams output_register;  // holds shift-and-add results: energy per converted bit
  DigitalUnitParams shift_add;    // merges bit slices and input cycles

  void load(const io::Section& s);
};

struct TileClassParams {
  std::string name;
  int count = 1;
  int imas = 1;
  CrossbarParams crossbar;
  ConverterParams dac;  // one per crossbar row
  ConverterParams adc;  // `count` per IMA, columns shared evenly
  SampleHoldParams sample_hold;
  ImaParams ima;
  StorageParams buffer;           // tile input/output buffer (ISAAC: eDRAM)
  BusParams bus;                  // buffer -> IMA input registers
  DigitalUnitParams reduce;       // partial-sum adders across row blocks
  DigitalUnitParams activation;   // ReLU / sigmoid / residual add
  DigitalUnitParams pooling;      // max / average pooling
  StorageParams output_register;  // tile output register before the router

  void load(const io::Section& s);

  int crossbars() const { return imas * ima.crossbars; }
  int columns_per_adc() const { return ima.crossbars * crossbar.cols / adc.count; }
};

}  // namespace tessera

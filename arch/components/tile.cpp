#include "arch/components/tile.hpp"

#include "workloads/io/toml_reader.hpp"

namespace tessera {

void ImaParams::load(const io::Section& s) {
  crossbars = int(s.integer("crossbars", "crossbar arrays per IMA", crossbars, 1, 4096));
  input_register.load(s.table("input_register", "register feeding the DACs"));
  output_register.load(s.table("output_register", "register holding shift-and-add results"));
  shift_add.load(s.table("shift_add", "shift-and-add units merging slices and input cycles"));
  s.finish();
}

void TileClassParams::load(const io::Section& s) {
  name = s.required_string("name", "tile class name (layers and overrides refer to it)");
  count = int(s.integer("count", "tiles of this class on the chip", count, 1, 1 << 20));
  imas = int(s.integer("imas", "IMAs (processing elements) per tile", imas, 1, 4096));
  crossbar.load(s.table("crossbar", "crossbar arrays", true));
  dac.bits = 1;
  dac.load(s.table("dac", "row DACs (one per crossbar row)"), "dac");
  const io::Section adc_s = s.table("adc", "ADCs shared by the IMA's columns");
  adc.load(adc_s, "adc");
  sample_hold.load(s.table("sample_hold", "sample-and-hold per column"));
  ima.load(s.table("ima", "IMA organisation and its registers"));
  buffer.load(s.table("buffer", "tile buffer (inputs and outputs of the layers on the tile)"));
  bus.load(s.table("bus", "bus from the tile buffer to the IMAs"));
  reduce.load(s.table("reduce", "adders reducing partial sums across row blocks"));
  activation.load(s.table("activation", "activation units (also residual adds)"));
  pooling.load(s.table("pooling", "pooling units"));
  output_register.load(s.table("output_register", "tile output register"));
  s.finish();

  const int ima_cols = ima.crossbars * crossbar.cols;
  adc_s.check(adc.count <= ima_cols, "count",
          "more ADCs per IMA (" + std::to_string(adc.count) + ") than columns (" + std::to_string(ima_cols) +
              " = " + std::to_string(ima.crossbars) + " crossbars x " + std::to_string(crossbar.cols) +
              " columns); allowed: 1.." + std::to_string(ima_cols));
  adc_s.check(ima_cols % adc.count == 0, "count",
          "the IMA's " + std::to_string(ima_cols) + " columns cannot be shared evenly by " +
              std::to_string(adc.count) + " ADCs; use a divisor of " + std::to_string(ima_cols));
}

}  // namespace tessera

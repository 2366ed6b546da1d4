// SRAM: an ideal digital cell. The programmed value is the target (after the
// shared level quantisation) and reads return it unchanged; stuck-at faults
// and IR drop still apply when configured.
#include <algorithm>

#include "arch/device/device.hpp"

namespace tessera::device {

namespace {
class SramDevice : public Device {
 protected:
  void load(const io::Section&) override {}
  void program_cells(ProgrammedCells&, Rng&) const override {}
  void read_cells(const ProgrammedCells& p, double, Rng&, float* g) const override {
    std::copy(p.g_prog.begin(), p.g_prog.end(), g);
  }
};
}  // namespace

TESSERA_DEVICE(SramDevice, "sram", "ideal digital cell: no noise, no drift")

}  // namespace tessera::device

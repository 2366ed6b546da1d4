// Fuzz target: NeuroSim NetWork.csv importer (it reads a path: the input goes
// through a scratch file).
#include "fuzz_support.hpp"
#include "workloads/importers/neurosim_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = tessera::fuzz::write_scratch(data, size, "net.csv");
  tessera::fuzz::parse_or_input_error([&] { tessera::load_neurosim_csv(path); });
  return 0;
}

// The network zoo: reference networks built in code, addressed by a spec
// string "name" or "name:key=value,key=value". Every network accepts
// wbits=N and abits=N (weight and activation precision, default 8).
#pragma once

#include <string>
#include <vector>

#include "workloads/ir/network.hpp"

namespace tessera::zoo {

struct Entry {
  std::string name;
  std::string description;
  std::string parameters;  // keys accepted after ':' besides wbits/abits
};

const std::vector<Entry>& entries();
bool has(const std::string& spec);
// Builds a finalized network; an unknown name or bad parameter is an InputError.
Network build(const std::string& spec);

// The AnalogNAS ResNet-like macro space (imc-facts section 4).
struct AnalogNasSpec {
  int stem = 16;                    // stem width: one of 8, 12, 16, 32, 48, 64
  std::vector<int> blocks{2, 2};    // blocks per group (1-15); size = number of groups (1-4)
  std::vector<int> branches{1, 1};  // parallel branches per block, per group (1-4)
  std::vector<double> widen{0.5, 0.5};  // widening factor per group (0.5-0.8)
  int classes = 10;
  Shape input{3, 32, 32};
};
// A random member of the space, deterministic in the seed.
AnalogNasSpec sample_analognas(uint64_t seed, int classes, Shape input);
Network build_analognas(const AnalogNasSpec& spec, const std::string& name, int wbits, int abits);

}  // namespace tessera::zoo

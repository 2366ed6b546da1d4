// Device implementations chosen by name (Ramulator 2.0 style): each one
// registers itself at static-initialisation time with TESSERA_DEVICE, and a
// config section's `impl` key selects it. arch/device is an OBJECT library so
// the registering objects are always linked.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "arch/device/device.hpp"

namespace tessera::device {

class DeviceRegistry {
 public:
  using Factory = std::function<std::unique_ptr<Device>()>;
  struct Entry {
    std::string name;
    std::string description;
    Factory make;
  };

  static bool add(std::string name, std::string description, Factory make);
  // Registered implementations, sorted by name.
  static std::vector<Entry> entries();
  static std::string names();  // "fefet, pcm, rram, sram"

  // Builds and configures the implementation named by `s.impl`; rejects unknown
  // names (listing the registered ones) and unknown keys. In describe mode
  // every implementation declares its parameters and the first is returned.
  static std::unique_ptr<Device> create(const io::Section& s);
};

}  // namespace tessera::device

#define TESSERA_DEVICE_CAT2(a, b) a##b
#define TESSERA_DEVICE_CAT(a, b) TESSERA_DEVICE_CAT2(a, b)
#define TESSERA_DEVICE(Impl, name, description)                                      \
  namespace {                                                                        \
  const bool TESSERA_DEVICE_CAT(device_registered_, __LINE__) =                      \
      ::tessera::device::DeviceRegistry::add(name, description, [] {                 \
        return std::unique_ptr<::tessera::device::Device>(std::make_unique<Impl>()); \
      });                                                                            \
  }

// Shared helpers for the device tests: a device from a TOML snippet, sample statistics.
#pragma once

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "arch/device/device.hpp"
#include "workloads/io/toml_reader.hpp"

namespace tessera::device::test {

inline std::unique_ptr<Device> make_device(const std::string& toml) {
  auto doc = io::Document::from_string(toml, "device.toml");
  return Device::create(doc.root());
}

template <class T>
std::unique_ptr<T> make_as(const std::string& toml) {
  auto d = make_device(toml);
  auto* p = dynamic_cast<T*>(d.get());
  if (!p) return nullptr;
  d.release();
  return std::unique_ptr<T>(p);
}

struct Stats {
  double mean = 0, std = 0;
};

inline Stats stats(const std::vector<double>& v) {
  Stats s;
  for (double x : v) s.mean += x;
  s.mean /= double(v.size());
  for (double x : v) s.std += (x - s.mean) * (x - s.mean);
  s.std = std::sqrt(s.std / double(v.size() - 1));
  return s;
}

template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace tessera::device::test

#include "arch/device/registry.hpp"

#include <algorithm>

#include "workloads/io/toml_reader.hpp"

namespace tessera::device {

namespace {
std::vector<DeviceRegistry::Entry>& table() {
  static std::vector<DeviceRegistry::Entry> t;  // built on first use: safe during static initialisation
  return t;
}
}  // namespace

bool DeviceRegistry::add(std::string name, std::string description, Factory make) {
  table().push_back({std::move(name), std::move(description), std::move(make)});
  return true;
}

std::vector<DeviceRegistry::Entry> DeviceRegistry::entries() {
  auto v = table();
  std::sort(v.begin(), v.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
  return v;
}

std::string DeviceRegistry::names() {
  std::string s;
  for (const auto& e : entries()) s += (s.empty() ? "" : ", ") + e.name;
  return s;
}

std::unique_ptr<Device> DeviceRegistry::create(const io::Section& s) {
  const auto all = entries();
  std::vector<std::string> choices;
  for (const auto& e : all) choices.push_back(e.name);
  // The choices check reports an unknown name together with the registered ones.
  const std::string name = s.required_string("impl", "device model: " + names(), choices);
  std::unique_ptr<Device> chosen;
  if (!s.describing()) {
    // The other models' keys are no error (`--set device.d.impl=other` leaves them behind).
    s.tolerate(io::keys_read_by([&](const io::Section& d) {
      for (const auto& e : all)
        if (e.name != name) e.make()->configure(d);
    }));
  }
  for (const auto& e : all) {
    if (!s.describing() && e.name != name) continue;
    auto d = e.make();
    d->impl_ = e.name;
    d->configure(s);
    if (!chosen) chosen = std::move(d);
  }
  s.finish();
  return chosen;
}

}  // namespace tessera::device

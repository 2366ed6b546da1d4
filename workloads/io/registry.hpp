// Pluggable implementations chosen by name (Ramulator 2.0 style): an interface
// plus implementations that register themselves at static-initialisation time,
// selected by an `impl` key in their config section.
//
//   TESSERA_REGISTER(AdcModel, ScaledAdc, "scaled", "energy and area scale as 2^bits");
//
// The implementing class has a constructor taking `const io::Section&`, reads
// and checks its own parameters there, and calls `s.finish()`. Folders holding
// implementations are built as OBJECT libraries so the registration objects
// are always linked.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "workloads/io/toml_reader.hpp"

namespace tessera::io {

template <class Interface>
class Registry {
 public:
  using Factory = std::function<std::unique_ptr<Interface>(const Section&)>;
  struct Entry {
    std::string name;
    std::string description;
    Factory make;
  };

  static Registry& instance() {
    static Registry r;
    return r;
  }

  bool add(std::string name, std::string description, Factory make) {
    entries_.push_back({std::move(name), std::move(description), std::move(make)});
    return true;
  }

  const std::vector<Entry>& entries() const { return entries_; }

  std::string names() const {
    std::string s;
    for (const auto& e : entries_) s += (s.empty() ? "" : ", ") + e.name;
    return s;
  }

  // Creates the implementation named by `s[key]` (default `def`). In describe
  // mode every implementation describes its parameters and the default one is returned.
  std::unique_ptr<Interface> create(const Section& s, const std::string& def, const std::string& key = "impl") const {
    std::vector<std::string> choices;
    for (const auto& e : entries_) choices.push_back(e.name);
    std::string name = s.string(key, "implementation: " + names(), def, choices);
    if (s.describing()) {
      std::unique_ptr<Interface> first;
      for (const auto& e : entries_) {
        auto obj = e.make(s.variant(e.name));
        if (e.name == def) first = std::move(obj);
      }
      return first;
    }
    for (const auto& e : entries_) {
      if (e.name != name) continue;
      // The other implementations' keys are no error: `--set x.impl=other`
      // on a file written for one implementation leaves its keys behind.
      s.tolerate(keys_read_by([&](const Section& d) {
        for (const auto& other : entries_)
          if (other.name != name) other.make(d);
      }));
      return e.make(s);
    }
    s.fail(key, "no implementation named '" + name + "'; registered: " + names());
  }

 private:
  std::vector<Entry> entries_;
};

}  // namespace tessera::io

#define TESSERA_REGISTER_CAT2(a, b) a##b
#define TESSERA_REGISTER_CAT(a, b) TESSERA_REGISTER_CAT2(a, b)
#define TESSERA_REGISTER(Interface, Impl, name, description)                                   \
  namespace {                                                                                 \
  const bool TESSERA_REGISTER_CAT(registered_, __LINE__) =                                    \
      ::tessera::io::Registry<Interface>::instance().add(                                     \
          name, description, [](const ::tessera::io::Section& s) -> std::unique_ptr<Interface> { \
            return std::make_unique<Impl>(s);                                                 \
          });                                                                                 \
  }

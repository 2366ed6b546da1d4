// Pluggable implementations chosen by name (Ramulator 2.0 style): an interface
// plus implementations that register themselves at static-initialisation time,
// selected by a key (usually `impl`) in their config section. One registry
// type serves every pluggable part (devices, converter costs, topologies...).
//
//   TESSERA_REGISTER(ConverterCostModel, ScaledCost, "scaled", "energy and area scale as 2^bits");
//
// The implementing class has a constructor taking the config section, reads
// and checks its own parameters there, and calls `s.finish()` (or registers a
// factory of its own with TESSERA_REGISTER_FACTORY). Folders holding
// implementations are built as OBJECT libraries so the registering objects are
// always linked.
//
// `Config` is the section type implementations read (io::Section); it is a
// template parameter so that this lowest layer does not depend on the reader.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tessera {

namespace io {
class Section;
}

template <class Interface, class Config = io::Section>
class Registry {
 public:
  using Factory = std::function<std::unique_ptr<Interface>(const Config&)>;
  struct Entry {
    std::string name;
    std::string description;
    Factory make;
  };

  static bool add(std::string name, std::string description, Factory make) {
    table().push_back({std::move(name), std::move(description), std::move(make)});
    return true;
  }

  // Registered implementations sorted by name: independent of link order.
  static std::vector<Entry> entries() {
    auto v = table();
    std::sort(v.begin(), v.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
    return v;
  }

  static bool has(const std::string& name) {
    for (const auto& e : table())
      if (e.name == name) return true;
    return false;
  }

  static std::string names() {  // "fixed, scaled, walden"
    std::string s;
    for (const auto& e : entries()) s += (s.empty() ? "" : ", ") + e.name;
    return s;
  }

  // Creates the implementation named by `s[key]`; with `def` empty the key is
  // required. In describe mode every implementation declares its parameters
  // under `s.variant(name)` and the default (or the first) one is returned.
  static std::unique_ptr<Interface> create(const Config& s, const std::string& def = "",
                                           const std::string& key = "impl") {
    const auto all = entries();
    std::vector<std::string> choices;
    for (const auto& e : all) choices.push_back(e.name);
    const std::string desc = "implementation: " + names();
    // The choices check reports an unknown name together with the registered ones.
    const std::string name = def.empty() ? s.required_string(key, desc, choices) : s.string(key, desc, def, choices);
    if (s.describing()) {
      std::unique_ptr<Interface> chosen;
      for (const auto& e : all) {
        auto obj = e.make(s.variant(e.name));
        if (!chosen || e.name == def) chosen = std::move(obj);
      }
      return chosen;
    }
    for (const auto& e : all) {
      if (e.name != name) continue;
      // The other implementations' keys are a warning, not an error: `--set
      // x.impl=other` on a file written for one implementation leaves its keys
      // behind. A key no implementation reads stays an error. (The reader's
      // keys_read_by is found through Config's namespace.)
      std::map<std::string, std::string> owners;  // key -> the implementations reading it
      for (const auto& other : all) {
        if (other.name == name) continue;
        for (const auto& k : keys_read_by(std::function<void(const Config&)>([&](const Config& d) { other.make(d); })))
          owners[k] += (owners[k].empty() ? "\"" : " or \"") + other.name + "\"";
      }
      for (const auto& [k, impls] : owners)
        s.tolerate({k}, "a parameter of " + key + " = " + impls + ", not of " + key + " = \"" + name + "\"");
      return e.make(s);
    }
    s.fail(key, "no implementation named '" + name + "'; registered: " + names());
  }

 private:
  static std::vector<Entry>& table() {
    static std::vector<Entry> t;  // built on first use: safe during static initialisation
    return t;
  }
};

}  // namespace tessera

#define TESSERA_REGISTER_CAT2(a, b) a##b
#define TESSERA_REGISTER_CAT(a, b) TESSERA_REGISTER_CAT2(a, b)
// Registers `factory`, an expression of the section `s` giving a std::unique_ptr<Interface>.
#define TESSERA_REGISTER_FACTORY(Interface, name, description, factory)                       \
  namespace {                                                                                 \
  const bool TESSERA_REGISTER_CAT(registered_, __LINE__) = ::tessera::Registry<Interface>::add( \
      name, description,                                                                      \
      [](const ::tessera::io::Section& s) -> std::unique_ptr<Interface> { return factory; });  \
  }
#define TESSERA_REGISTER(Interface, Impl, name, description) \
  TESSERA_REGISTER_FACTORY(Interface, name, description, std::make_unique<Impl>(s))

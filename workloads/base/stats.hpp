// Named statistics in groups that mirror the object tree (gem5/DRAMSys style):
// each simulated unit owns a Group, registers scalars and vectors in it, and
// one formatter dumps the whole tree to JSON.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tessera::stats {

struct Scalar {
  std::string desc;
  double value = 0;
  Scalar& operator+=(double v) {
    value += v;
    return *this;
  }
};

struct Vector {
  std::string desc;
  std::vector<std::string> names;  // one per element
  std::vector<double> values;
};

class Group {
 public:
  explicit Group(std::string name = "") : name_(std::move(name)) {}
  Scalar& scalar(const std::string& name, const std::string& desc);
  Vector& vector(const std::string& name, const std::string& desc, const std::vector<std::string>& names);
  Group& child(const std::string& name);
  const std::string& name() const { return name_; }
  const Group* find(const std::string& dotted) const;  // "tile3.mvm"
  double value(const std::string& dotted_scalar) const;  // "tile3.mvm.busy_cycles"; NaN if absent

  void write_json(std::string& out, int indent = 0) const;

 private:
  std::string name_;
  std::vector<std::pair<std::string, Scalar>> scalars_;   // insertion order
  std::vector<std::pair<std::string, Vector>> vectors_;
  std::vector<std::unique_ptr<Group>> children_;
};

}  // namespace tessera::stats

#include "workloads/base/stats.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

namespace tessera::stats {

Scalar& Group::scalar(const std::string& name, const std::string& desc) {
  for (auto& [n, s] : scalars_)
    if (n == name) return s;
  scalars_.push_back({name, Scalar{desc, 0}});
  return scalars_.back().second;
}

Vector& Group::vector(const std::string& name, const std::string& desc, const std::vector<std::string>& names) {
  for (auto& [n, v] : vectors_)
    if (n == name) return v;
  vectors_.push_back({name, Vector{desc, names, std::vector<double>(names.size(), 0.0)}});
  return vectors_.back().second;
}

Group& Group::child(const std::string& name) {
  for (auto& c : children_)
    if (c->name() == name) return *c;
  children_.push_back(std::make_unique<Group>(name));
  return *children_.back();
}

const Group* Group::find(const std::string& dotted) const {
  if (dotted.empty()) return this;
  auto dot = dotted.find('.');
  std::string head = dotted.substr(0, dot);
  for (const auto& c : children_)
    if (c->name() == head) return dot == std::string::npos ? c.get() : c->find(dotted.substr(dot + 1));
  return nullptr;
}

double Group::value(const std::string& dotted) const {
  auto dot = dotted.rfind('.');
  const Group* g = dot == std::string::npos ? this : find(dotted.substr(0, dot));
  std::string leaf = dot == std::string::npos ? dotted : dotted.substr(dot + 1);
  if (g)
    for (const auto& [n, s] : g->scalars_)
      if (n == leaf) return s.value;
  return std::numeric_limits<double>::quiet_NaN();
}

namespace {
void number(std::string& out, double v) {
  char buf[64];
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9e15) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.17g", v);
  out += buf;
}
void quoted(std::string& out, const std::string& s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}
}  // namespace

// {"scalar": value, "vector": {"elem": value, ...}, "child": {...}}; descriptions
// are documented in docs/report-reference.md rather than repeated per value.
void Group::write_json(std::string& out, int indent) const {
  std::string pad(indent + 2, ' ');
  out += "{";
  bool first = true;
  auto sep = [&] {
    out += first ? "\n" : ",\n";
    first = false;
    out += pad;
  };
  for (const auto& [n, s] : scalars_) {
    sep();
    quoted(out, n);
    out += ": ";
    number(out, s.value);
  }
  for (const auto& [n, v] : vectors_) {
    sep();
    quoted(out, n);
    out += ": {";
    for (size_t i = 0; i < v.values.size(); ++i) {
      if (i) out += ", ";
      quoted(out, v.names[i]);
      out += ": ";
      number(out, v.values[i]);
    }
    out += "}";
  }
  for (const auto& c : children_) {
    sep();
    quoted(out, c->name());
    out += ": ";
    c->write_json(out, indent + 2);
  }
  if (!first) out += "\n" + std::string(indent, ' ');
  out += "}";
}

}  // namespace tessera::stats

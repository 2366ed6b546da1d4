// Checked access to TOML documents: every value read through a Section is
// type-checked and range-checked, and every key that no reader asked for is
// reported as unknown, with the file, line and column of the offending node.
//
// A reader also documents itself: run in "describe" mode, the same code that
// parses a section records each parameter's type, default, range and
// description (gem5/Ramulator style: parameters declared once, in one place).
// `tessera describe-config` prints that list; docs/config-reference.md is
// generated from it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workloads/base/error.hpp"

namespace toml {
inline namespace v3 {
class table;
class node;
}  // namespace v3
}  // namespace toml

namespace tessera::io {

struct ParamInfo {
  std::string path;         // e.g. "tile_class[].adc.bits"
  std::string type;         // integer, number, boolean, string, table, array
  std::string default_value;  // "" when required
  std::string allowed;      // range or choices
  std::string description;
};

// One element of a list of mixed scalars (sweep axis values): its TOML
// literal (strings quoted, usable as a `--set` value), its plain text (a
// string's contents) and its number when it is one.
struct Scalar {
  std::string literal;
  std::string plain;
  std::optional<double> number;
  bool integer = false;
  SourceLoc loc;
};

struct ReaderContext;  // shared state of one document (file, overrides, describe sink)

class Section {
 public:
  // Typed getters. A missing key returns the default; a present key must have
  // the right type and lie in [min, max].
  int64_t integer(std::string_view key, std::string_view desc, int64_t def,
                  int64_t min = INT64_MIN, int64_t max = INT64_MAX) const;
  int64_t required_integer(std::string_view key, std::string_view desc,
                           int64_t min = INT64_MIN, int64_t max = INT64_MAX) const;
  double number(std::string_view key, std::string_view desc, double def,
                double min = -1e300, double max = 1e300) const;
  double required_number(std::string_view key, std::string_view desc,
                         double min = -1e300, double max = 1e300) const;
  bool boolean(std::string_view key, std::string_view desc, bool def) const;
  std::string string(std::string_view key, std::string_view desc, std::string_view def,
                     const std::vector<std::string>& choices = {}) const;
  std::string required_string(std::string_view key, std::string_view desc,
                              const std::vector<std::string>& choices = {}) const;
  std::vector<int64_t> integer_list(std::string_view key, std::string_view desc,
                                    const std::vector<int64_t>& def, int64_t min = INT64_MIN,
                                    int64_t max = INT64_MAX) const;
  std::vector<double> number_list(std::string_view key, std::string_view desc,
                                  const std::vector<double>& def, double min = -1e300,
                                  double max = 1e300) const;
  std::vector<std::string> string_list(std::string_view key, std::string_view desc,
                                       const std::vector<std::string>& def) const;

  // A list of scalars of any type (integers, numbers, strings, booleans).
  std::vector<Scalar> scalar_list(std::string_view key, std::string_view desc) const;

  bool has(std::string_view key) const;
  bool is_list(std::string_view key) const;  // present and an array
  // A sub-table. Missing: an empty section (all defaults) unless required.
  Section table(std::string_view key, std::string_view desc, bool required = false) const;
  // An array of tables ([[key]]). In describe mode: one empty element.
  std::vector<Section> table_array(std::string_view key, std::string_view desc) const;
  // Keys of a free-form table (e.g. per-layer overrides); marks them all as known.
  std::vector<std::string> free_keys() const;

  // In describe mode: this section, with parameters listed under "path{impl=name}"
  // (one implementation's parameters). Otherwise: this section unchanged.
  Section variant(const std::string& impl_name) const;

  // Reports the first key present in the table that no getter asked for.
  void finish() const;
  // Keys finish() reports as a warning on stderr, not an error, although no
  // getter asks for them: another implementation's parameters (Registry in
  // workloads/base/registry.hpp), `why` saying whose. Paths with a dot are ignored.
  void tolerate(const std::vector<std::string>& keys, const std::string& why) const;

  // Error at a key's location (or at the section when the key is absent).
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;
  // Consistency check across fields: no-op while describing.
  void check(bool ok, std::string_view key, const std::string& message) const {
    if (!ok && !describing()) fail(key, message);
  }
  SourceLoc loc_of(std::string_view key) const;
  std::string path() const { return path_; }
  std::string key_path(std::string_view key) const;
  bool describing() const;
  const std::string& file() const;

 private:
  friend class Document;
  Section(std::shared_ptr<ReaderContext> ctx, const toml::table* tbl, std::string path,
          std::string describe_path);
  const toml::node* get_node(std::string_view key) const;
  void mark(std::string_view key) const;
  void declare(std::string_view key, std::string type, std::string def, std::string allowed,
               std::string_view desc) const;

  std::shared_ptr<ReaderContext> ctx_;
  const toml::table* tbl_;   // null in describe mode or for an absent optional table
  std::string path_;         // dotted path of this section in the document
  std::string describe_path_;  // path with [] for array elements, for ParamInfo
  std::shared_ptr<std::vector<std::string>> used_;  // keys asked for in this section
  std::shared_ptr<std::map<std::string, std::string>> tolerated_;  // key -> why finish() lets it pass (tolerate())
};

class Document {
 public:
  // Parses a file; a syntax error becomes an InputError at its position.
  // A top-level `base = "other.toml"` key (resolved relative to the file) loads
  // that file first and overlays this one on it, recursively.
  static Document from_file(const std::string& path);
  static Document from_string(std::string_view text, const std::string& name);
  // A document in describe mode: readers record parameters instead of reading.
  static Document describer();

  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  ~Document();

  // Applies "a.b.c=value" (value in TOML syntax; a bare word is taken as a
  // string). Array-of-table elements are addressed by index or by their
  // `name` key: tile_class.big.adc.bits=6.
  // `origin` names the override in messages (default: "--set <assignment>"),
  // e.g. "--epochs -3" for a command-line option mapped onto a config key.
  void apply_override(const std::string& assignment, const std::string& origin = "");

  Section root() const;
  // The document as parsed, with its base files merged and the overrides
  // applied, formatted as TOML with sorted keys: the same configuration gives
  // the same text (the key of sweep results).
  std::string canonical_text() const;
  const std::vector<ParamInfo>& described() const;
  const std::string& file() const;

 private:
  Document();
  std::shared_ptr<ReaderContext> ctx_;
};

// The keys `read` asks for in the section it is given (run in describe mode).
std::vector<std::string> keys_read_by(const std::function<void(const Section&)>& read);

// A TOML basic string holding `s` (quotes and backslashes escaped).
std::string toml_string(const std::string& s);

// Formats a number without trailing zeros (for messages and docs).
std::string format_number(double v);

}  // namespace tessera::io

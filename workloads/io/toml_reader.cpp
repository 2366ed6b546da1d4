#include "workloads/io/toml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "workloads/io/text_file.hpp"

namespace tessera::io {

struct ReaderContext {
  std::string file;
  toml::table doc;
  bool describe = false;
  std::vector<ParamInfo> described;
  std::set<std::string> described_paths;  // keeps describe output free of repeats
  std::map<std::string, std::string> overrides;  // full key path -> "--set ..." text
};

std::string format_number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
    std::ostringstream os;
    os << static_cast<long long>(v);
    return os.str();
  }
  std::ostringstream os;
  os.precision(6);
  os << v;
  return os.str();
}

namespace {

SourceLoc loc_of_node(const toml::node& n, const std::string& fallback_file) {
  const auto& src = n.source();
  SourceLoc loc;
  loc.file = src.path ? *src.path : fallback_file;
  loc.line = static_cast<int>(src.begin.line);
  loc.column = static_cast<int>(src.begin.column);
  return loc;
}

std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time: return "a date/time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::string range_text(double min, double max) {
  bool lo = min > -1e299, hi = max < 1e299;
  if (lo && hi) return "[" + format_number(min) + ", " + format_number(max) + "]";
  if (lo) return ">= " + format_number(min);
  if (hi) return "<= " + format_number(max);
  return "";
}

std::string irange_text(int64_t min, int64_t max) {
  return range_text(min == INT64_MIN ? -1e300 : double(min), max == INT64_MAX ? 1e300 : double(max));
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// Overlays `top` on `base`: tables merge key by key, everything else replaces.
void overlay(toml::table& base, const toml::table& top) {
  for (const auto& [k, v] : top) {
    auto* existing = base.get(k);
    if (existing && existing->is_table() && v.is_table()) {
      overlay(*existing->as_table(), *v.as_table());
    } else {
      base.insert_or_assign(k, v);
    }
  }
}

// TOML 1.0 allows non-ASCII characters only in strings and comments. TOML++
// 3.3 reaches __builtin_unreachable on some elsewhere (the two bytes CD A3,
// U+0363, as a document), so they are refused before it parses.
void check_toml_ascii(std::string_view t, const std::string& name) {
  enum class State { Plain, Comment, Basic, Literal, MultiBasic, MultiLiteral };
  State st = State::Plain;
  int line = 1, column = 1;
  auto at = [&](size_t i, std::string_view s) { return t.substr(i, s.size()) == s; };
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    size_t skip = 0;  // bytes consumed with this one (quotes of a delimiter, an escaped character)
    switch (st) {
      case State::Plain:
        if (c == '#') st = State::Comment;
        else if (at(i, "\"\"\"")) st = State::MultiBasic, skip = 2;
        else if (at(i, "'''")) st = State::MultiLiteral, skip = 2;
        else if (c == '"') st = State::Basic;
        else if (c == '\'') st = State::Literal;
        else if (uint8_t(c) >= 0x80)
          throw InputError({name, line, column}, "", "non-ASCII character outside a string or comment");
        break;
      case State::Comment:
        if (c == '\n') st = State::Plain;
        break;
      case State::Basic:
        if (c == '\\') skip = 1;
        else if (c == '"' || c == '\n') st = State::Plain;
        break;
      case State::Literal:
        if (c == '\'' || c == '\n') st = State::Plain;
        break;
      case State::MultiBasic:
        if (c == '\\') skip = 1;
        else if (at(i, "\"\"\"")) st = State::Plain, skip = 2;
        break;
      case State::MultiLiteral:
        if (at(i, "'''")) st = State::Plain, skip = 2;
        break;
    }
    for (size_t k = 0; k <= skip && i + k < t.size(); ++k) {
      if (t[i + k] == '\n') line += 1, column = 1;
      else if ((uint8_t(t[i + k]) & 0xC0) != 0x80) ++column;
    }
    i += skip;
  }
}

toml::table parse_with_base(const std::string& path, int depth) {
  if (depth > 8) throw InputError({path, 0, 0}, "base", "base files nest deeper than 8 levels");
  const std::string text = read_file(path);
  check_text(text, path);
  check_toml_ascii(text, path);
  toml::table tbl;
  try {
    tbl = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    throw InputError({path, int(src.begin.line), int(src.begin.column)}, "",
                     "TOML syntax error: " + std::string(e.description()));
  }
  if (auto* b = tbl.get("base")) {
    auto s = b->value<std::string>();
    if (!s) throw InputError(loc_of_node(*b, path), "base", "must be a string (a file path)");
    std::filesystem::path bp = std::filesystem::path(path).parent_path() / *s;
    if (!std::filesystem::exists(bp)) {
      throw InputError(loc_of_node(*b, path), "base", "file '" + bp.string() + "' does not exist");
    }
    toml::table merged = parse_with_base(bp.string(), depth + 1);
    tbl.erase("base");
    overlay(merged, tbl);
    return merged;
  }
  return tbl;
}

}  // namespace

// ---------------------------------------------------------------- Section

Section::Section(std::shared_ptr<ReaderContext> ctx, const toml::table* tbl, std::string path,
                 std::string describe_path)
    : ctx_(std::move(ctx)),
      tbl_(tbl),
      path_(std::move(path)),
      describe_path_(std::move(describe_path)),
      used_(std::make_shared<std::vector<std::string>>()),
      tolerated_(std::make_shared<std::map<std::string, std::string>>()) {}

bool Section::describing() const { return ctx_->describe; }
const std::string& Section::file() const { return ctx_->file; }

std::string Section::key_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const toml::node* Section::get_node(std::string_view key) const {
  mark(key);
  if (!tbl_) return nullptr;
  return tbl_->get(key);
}

void Section::mark(std::string_view key) const { used_->emplace_back(key); }

void Section::declare(std::string_view key, std::string type, std::string def, std::string allowed,
                      std::string_view desc) const {
  if (!ctx_->describe) return;
  std::string p = describe_path_.empty() ? std::string(key) : describe_path_ + "." + std::string(key);
  if (!ctx_->described_paths.insert(p).second) return;
  ctx_->described.push_back({p, std::move(type), std::move(def), std::move(allowed), std::string(desc)});
}

SourceLoc Section::loc_of(std::string_view key) const {
  auto it = ctx_->overrides.find(key_path(key));
  if (it != ctx_->overrides.end()) return {it->second, 0, 0};
  if (tbl_) {
    if (const auto* n = tbl_->get(key)) return loc_of_node(*n, ctx_->file);
    return loc_of_node(*tbl_, ctx_->file);
  }
  return {ctx_->file, 0, 0};
}

void Section::fail(std::string_view key, const std::string& message) const {
  throw InputError(loc_of(key), key_path(key), message);
}

bool Section::has(std::string_view key) const { return tbl_ && tbl_->contains(key); }
bool Section::is_list(std::string_view key) const {
  const auto* n = tbl_ ? tbl_->get(key) : nullptr;
  return n && n->is_array();
}

int64_t Section::integer(std::string_view key, std::string_view desc, int64_t def, int64_t min,
                         int64_t max) const {
  declare(key, "integer", std::to_string(def), irange_text(min, max), desc);
  const auto* n = get_node(key);
  if (!n) return def;
  auto v = n->value_exact<int64_t>();
  if (!v) fail(key, "expected an integer, found " + type_name(*n));
  if (*v < min || *v > max) {
    fail(key, "value " + std::to_string(*v) + " is out of range; allowed: " + irange_text(min, max));
  }
  return *v;
}

int64_t Section::required_integer(std::string_view key, std::string_view desc, int64_t min,
                                  int64_t max) const {
  declare(key, "integer", "", irange_text(min, max), desc);
  if (describing()) return min == INT64_MIN ? 0 : min;
  if (!has(key)) fail(key, "missing required integer (" + std::string(desc) + ")");
  return integer(key, desc, 0, min, max);
}

double Section::number(std::string_view key, std::string_view desc, double def, double min,
                       double max) const {
  declare(key, "number", format_number(def), range_text(min, max), desc);
  const auto* n = get_node(key);
  if (!n) return def;
  std::optional<double> v;
  if (n->is_floating_point()) v = n->as_floating_point()->get();
  if (n->is_integer()) v = double(n->as_integer()->get());
  if (!v) fail(key, "expected a number, found " + type_name(*n));
  if (!std::isfinite(*v) || *v < min || *v > max) {
    fail(key, "value " + format_number(*v) + " is out of range; allowed: " + range_text(min, max));
  }
  return *v;
}

double Section::required_number(std::string_view key, std::string_view desc, double min,
                                double max) const {
  declare(key, "number", "", range_text(min, max), desc);
  if (describing()) return min > -1e299 ? min : 0.0;
  if (!has(key)) fail(key, "missing required number (" + std::string(desc) + ")");
  return number(key, desc, 0, min, max);
}

bool Section::boolean(std::string_view key, std::string_view desc, bool def) const {
  declare(key, "boolean", def ? "true" : "false", "true, false", desc);
  const auto* n = get_node(key);
  if (!n) return def;
  auto v = n->value_exact<bool>();
  if (!v) fail(key, "expected true or false, found " + type_name(*n));
  return *v;
}

std::string Section::string(std::string_view key, std::string_view desc, std::string_view def,
                            const std::vector<std::string>& choices) const {
  declare(key, "string", "\"" + std::string(def) + "\"", join(choices, ", "), desc);
  const auto* n = get_node(key);
  if (!n) return std::string(def);
  auto v = n->value_exact<std::string>();
  if (!v) fail(key, "expected a string, found " + type_name(*n));
  if (!choices.empty() && std::find(choices.begin(), choices.end(), *v) == choices.end()) {
    fail(key, "unknown value '" + *v + "'; allowed: " + join(choices, ", "));
  }
  return *v;
}

std::string Section::required_string(std::string_view key, std::string_view desc,
                                      const std::vector<std::string>& choices) const {
  declare(key, "string", "", join(choices, ", "), desc);
  if (describing()) return choices.empty() ? std::string() : choices.front();
  if (!has(key)) fail(key, "missing required string (" + std::string(desc) + ")");
  return string(key, desc, "", choices);
}

std::vector<int64_t> Section::integer_list(std::string_view key, std::string_view desc,
                                           const std::vector<int64_t>& def, int64_t min,
                                           int64_t max) const {
  std::string d = "[";
  for (size_t i = 0; i < def.size(); ++i) d += (i ? ", " : "") + std::to_string(def[i]);
  declare(key, "integer list", d + "]", irange_text(min, max), desc);
  const auto* n = get_node(key);
  if (!n) return def;
  const auto* arr = n->as_array();
  if (!arr) fail(key, "expected an array of integers, found " + type_name(*n));
  std::vector<int64_t> out;
  for (const auto& e : *arr) {
    auto v = e.value_exact<int64_t>();
    if (!v) throw InputError(loc_of_node(e, ctx_->file), key_path(key), "expected an integer, found " + type_name(e));
    if (*v < min || *v > max)
      throw InputError(loc_of_node(e, ctx_->file), key_path(key),
                       "value " + std::to_string(*v) + " is out of range; allowed: " + irange_text(min, max));
    out.push_back(*v);
  }
  return out;
}

std::vector<Scalar> Section::scalar_list(std::string_view key, std::string_view desc) const {
  declare(key, "list", "", "integers, numbers, strings or booleans", desc);
  std::vector<Scalar> out;
  const auto* n = get_node(key);
  if (!n) return out;
  const auto* arr = n->as_array();
  if (!arr) fail(key, "expected an array, found " + type_name(*n));
  for (const auto& e : *arr) {
    Scalar v;
    v.loc = loc_of_node(e, ctx_->file);
    if (auto i = e.value_exact<int64_t>()) {
      v.literal = v.plain = std::to_string(*i);
      v.number = double(*i);
      v.integer = true;
    } else if (e.is_floating_point()) {
      double d = e.as_floating_point()->get();
      if (!std::isfinite(d)) throw InputError(v.loc, key_path(key), "values must be finite");
      v.literal = v.plain = format_number(d);
      if (v.literal.find_first_of(".eE") == std::string::npos) v.literal += ".0";
      v.number = d;
    } else if (auto b = e.value_exact<bool>()) {
      v.literal = v.plain = *b ? "true" : "false";
    } else if (auto str = e.value_exact<std::string>()) {
      v.plain = *str;
      std::ostringstream os;
      os << toml::value<std::string>(*str);
      v.literal = os.str();
    } else {
      throw InputError(v.loc, key_path(key), "expected an integer, number, string or boolean, found " + type_name(e));
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<double> Section::number_list(std::string_view key, std::string_view desc,
                                         const std::vector<double>& def, double min,
                                         double max) const {
  std::string d = "[";
  for (size_t i = 0; i < def.size(); ++i) d += (i ? ", " : "") + format_number(def[i]);
  declare(key, "number list", d + "]", range_text(min, max), desc);
  const auto* n = get_node(key);
  if (!n) return def;
  const auto* arr = n->as_array();
  if (!arr) fail(key, "expected an array of numbers, found " + type_name(*n));
  std::vector<double> out;
  for (const auto& e : *arr) {
    std::optional<double> v;
    if (e.is_floating_point()) v = e.as_floating_point()->get();
    if (e.is_integer()) v = double(e.as_integer()->get());
    if (!v) throw InputError(loc_of_node(e, ctx_->file), key_path(key), "expected a number, found " + type_name(e));
    if (!std::isfinite(*v) || *v < min || *v > max)
      throw InputError(loc_of_node(e, ctx_->file), key_path(key),
                       "value " + format_number(*v) + " is out of range; allowed: finite" +
                           (range_text(min, max).empty() ? "" : ", " + range_text(min, max)));
    out.push_back(*v);
  }
  return out;
}

std::vector<std::string> Section::string_list(std::string_view key, std::string_view desc,
                                              const std::vector<std::string>& def) const {
  declare(key, "string list", "[" + join(def, ", ") + "]", "", desc);
  const auto* n = get_node(key);
  if (!n) return def;
  const auto* arr = n->as_array();
  if (!arr) fail(key, "expected an array of strings, found " + type_name(*n));
  std::vector<std::string> out;
  for (const auto& e : *arr) {
    auto v = e.value_exact<std::string>();
    if (!v) throw InputError(loc_of_node(e, ctx_->file), key_path(key), "expected a string, found " + type_name(e));
    out.push_back(*v);
  }
  return out;
}

Section Section::table(std::string_view key, std::string_view desc, bool required) const {
  declare(key, "table", required ? "" : "{}", "", desc);
  std::string dpath = describe_path_.empty() ? std::string(key) : describe_path_ + "." + std::string(key);
  const auto* n = get_node(key);
  if (!n) {
    if (required && !describing()) fail(key, "missing required table (" + std::string(desc) + ")");
    return Section(ctx_, nullptr, key_path(key), dpath);
  }
  if (!n->is_table()) fail(key, "expected a table, found " + type_name(*n));
  return Section(ctx_, n->as_table(), key_path(key), dpath);
}

std::vector<Section> Section::table_array(std::string_view key, std::string_view desc) const {
  declare(key, "array of tables", "[]", "", desc);
  std::string dpath = (describe_path_.empty() ? std::string(key) : describe_path_ + "." + std::string(key)) + "[]";
  std::vector<Section> out;
  if (describing()) {
    out.push_back(Section(ctx_, nullptr, key_path(key) + "[0]", dpath));
    return out;
  }
  const auto* n = get_node(key);
  if (!n) return out;
  const auto* arr = n->as_array();
  if (!arr) fail(key, "expected an array of tables ([[" + std::string(key) + "]]), found " + type_name(*n));
  size_t i = 0;
  for (const auto& e : *arr) {
    if (!e.is_table())
      throw InputError(loc_of_node(e, ctx_->file), key_path(key), "expected a table, found " + type_name(e));
    out.push_back(Section(ctx_, e.as_table(), key_path(key) + "[" + std::to_string(i++) + "]", dpath));
  }
  return out;
}

std::vector<std::string> Section::free_keys() const {
  std::vector<std::string> keys;
  if (!tbl_) return keys;
  for (const auto& [k, v] : *tbl_) {
    keys.emplace_back(k.str());
    mark(k.str());
  }
  return keys;
}

std::vector<std::string> keys_read_by(const std::function<void(const Section&)>& read) {
  Document d = Document::describer();
  read(d.root());
  std::vector<std::string> keys;
  for (const auto& p : d.described()) keys.push_back(p.path);
  return keys;
}

Section Section::variant(const std::string& impl_name) const {
  Section v = *this;
  if (describing()) v.describe_path_ += "{impl=" + impl_name + "}";
  return v;
}

void Section::tolerate(const std::vector<std::string>& keys, const std::string& why) const {
  for (const auto& k : keys)
    if (k.find('.') == std::string::npos && k.find('{') == std::string::npos) (*tolerated_)[k] = why;
}

namespace {
// Once per process and message: a file loaded for every point of a sweep or
// every value of a search space warns once.
void warn_once(const std::string& message) {
  static std::mutex m;
  static std::set<std::string> said;
  std::lock_guard<std::mutex> lock(m);
  if (said.insert(message).second) std::cerr << "warning: " << message << "\n";
}
}  // namespace

void Section::finish() const {
  if (!tbl_ || describing()) return;
  for (const auto& [k, v] : *tbl_) {
    std::string key(k.str());
    if (std::find(used_->begin(), used_->end(), key) != used_->end()) continue;
    SourceLoc loc = loc_of_node(v, ctx_->file);
    const auto& ksrc = k.source();
    if (ksrc.begin.line > 0) {
      loc.line = int(ksrc.begin.line);
      loc.column = int(ksrc.begin.column);
    }
    auto ov = ctx_->overrides.find(key_path(key));
    if (ov != ctx_->overrides.end()) loc = {ov->second, 0, 0};
    auto tolerated = tolerated_->find(key);
    if (tolerated != tolerated_->end()) {
      warn_once(InputError(loc, key_path(key), "ignored: " + tolerated->second).what());
      continue;
    }
    std::vector<std::string> allowed(used_->begin(), used_->end());
    std::sort(allowed.begin(), allowed.end());
    allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
    std::string hint;
    size_t best = 3;
    for (const auto& a : allowed) {
      size_t d = edit_distance(a, key);
      if (d < best) best = d, hint = " (did you mean '" + a + "'?)";
    }
    throw InputError(loc, key_path(key),
                     "unknown key" + hint + "; allowed here: " + (allowed.empty() ? std::string("(none)") : join(allowed, ", ")));
  }
}

// ---------------------------------------------------------------- Document

Document::Document() : ctx_(std::make_shared<ReaderContext>()) {}
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

Document Document::from_file(const std::string& path) {
  Document d;
  d.ctx_->file = path;
  d.ctx_->doc = parse_with_base(path, 0);
  return d;
}

Document Document::from_string(std::string_view text, const std::string& name) {
  Document d;
  d.ctx_->file = name;
  check_text(text, name);
  check_toml_ascii(text, name);
  try {
    d.ctx_->doc = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    throw InputError({name, int(src.begin.line), int(src.begin.column)}, "",
                     "TOML syntax error: " + std::string(e.description()));
  }
  return d;
}

Document Document::describer() {
  Document d;
  d.ctx_->describe = true;
  d.ctx_->file = "<describe>";
  return d;
}

const std::string& Document::file() const { return ctx_->file; }
const std::vector<ParamInfo>& Document::described() const { return ctx_->described; }

Section Document::root() const {
  return Section(ctx_, ctx_->describe ? nullptr : &ctx_->doc, "", "");
}

std::string Document::canonical_text() const {
  std::ostringstream os;
  os << ctx_->doc;
  return os.str();
}

std::string toml_string(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

void Document::apply_override(const std::string& assignment, const std::string& origin_text) {
  const std::string origin = origin_text.empty() ? "--set " + assignment : origin_text;
  check_text(assignment, origin);
  auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError({origin, 0, 0}, "", "expected KEY.PATH=VALUE");
  }
  std::string path = assignment.substr(0, eq);
  std::string value_text = assignment.substr(eq + 1);
  // Components are separated by dots; a quoted component may contain dots
  // (layer names such as "layer3.0.conv1").
  std::vector<std::string> parts;
  {
    std::string cur;
    bool quoted = false, was_quoted = false;
    for (char c : path) {
      if (c == '"') {
        quoted = !quoted;
        was_quoted = true;
      } else if (c == '.' && !quoted) {
        if (cur.empty() && !was_quoted) throw InputError({origin, 0, 0}, path, "empty component in key path");
        parts.push_back(cur);
        cur.clear();
        was_quoted = false;
      } else {
        cur += c;
      }
    }
    if (quoted) throw InputError({origin, 0, 0}, path, "unbalanced quote in key path");
    if (cur.empty() && !was_quoted) throw InputError({origin, 0, 0}, path, "empty component in key path");
    parts.push_back(cur);
  }
  // Parse the value as TOML; a bare word that is not valid TOML is a string.
  toml::table vt;
  try {
    check_toml_ascii("v = " + value_text, origin);  // non-ASCII outside a string: a bare word
    vt = toml::parse("v = " + value_text, origin);
  } catch (const std::exception&) {  // toml::parse_error or InputError
    vt = toml::table{};
    vt.insert("v", value_text);
  }
  // Walk the document; create missing tables (the readers then report the key as unknown).
  toml::table* cur = &ctx_->doc;
  std::string canonical;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const std::string& p = parts[i];
    toml::node* n = cur->get(p);
    if (n && n->is_array()) {
      auto* arr = n->as_array();
      const std::string& sel = parts[i + 1];
      toml::table* found = nullptr;
      size_t idx = 0;
      // An index (compared as text, so that no number is too large) or a name.
      const bool numeric = !sel.empty() && std::all_of(sel.begin(), sel.end(), ::isdigit);
      const std::string index = numeric ? sel.substr(std::min(sel.find_first_not_of('0'), sel.size() - 1)) : "";
      std::vector<std::string> names;
      for (auto& e : *arr) {
        if (!e.is_table()) continue;
        auto* t = e.as_table();
        auto nm = t->get("name") ? t->get("name")->value<std::string>() : std::nullopt;
        if (nm) names.push_back(*nm);
        if ((numeric && std::to_string(idx) == index) || (!numeric && nm && *nm == sel)) {
          found = t;
          break;
        }
        ++idx;
      }
      if (!found)
        throw InputError({origin, 0, 0}, path,
                         "no element '" + sel + "' in array '" + p + "'" +
                             (idx == 0 ? std::string("; the array has no elements")
                                       : "; allowed: an index in [0, " + std::to_string(idx - 1) + "]" +
                                             (names.empty() ? std::string() : " or a name: " + join(names, ", "))));
      canonical += (canonical.empty() ? "" : ".") + p + "[" + std::to_string(idx) + "]";
      cur = found;
      ++i;  // consumed the selector
      if (i + 1 >= parts.size()) throw InputError({origin, 0, 0}, path, "key path ends at an array element; name a key inside it");
      continue;
    }
    if (!n) {
      cur->insert(p, toml::table{});
      n = cur->get(p);
    }
    if (!n->is_table()) throw InputError({origin, 0, 0}, path, "'" + p + "' is not a table");
    canonical += (canonical.empty() ? "" : ".") + p;
    cur = n->as_table();
  }
  const std::string& leaf = parts.back();
  cur->insert_or_assign(leaf, *vt.get("v"));
  ctx_->overrides[canonical.empty() ? leaf : canonical + "." + leaf] = origin;
}

}  // namespace tessera::io

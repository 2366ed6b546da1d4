// The results store shared by sweeps and searches: one SQLite database (WAL)
// in the run's directory, one row per evaluated point keyed by a hash of its
// fully resolved inputs. A row is written in one transaction when its point
// ends, so a killed run loses only points still running and a rerun skips
// every recorded one. Columns grow with the run: a point's parameters and
// metrics each get a column (typed by SQLite's dynamic typing) for pandas.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

namespace SQLite {
class Database;
}

namespace tessera::base {

using Value = std::variant<std::monostate, int64_t, double, std::string>;

struct Record {
  std::string hash;  // the point's key
  // Column name -> value. The fixed columns (see results_store.cpp) and any
  // other name, which becomes a column on first use.
  std::vector<std::pair<std::string, Value>> fields;
};

class ResultsStore {
 public:
  // The database file of a run directory.
  static std::string path_in(const std::string& dir);
  // Opens (creating if asked) the store at `path`.
  explicit ResultsStore(const std::string& path, bool create = true);
  ~ResultsStore();
  ResultsStore(const ResultsStore&) = delete;
  ResultsStore& operator=(const ResultsStore&) = delete;

  // hash -> status of every recorded row.
  std::map<std::string, std::string> statuses() const;
  // Inserts or replaces one row, in one transaction.
  void put(const Record& r);
  // Rows whose status is one of `statuses` (all when empty), in insertion order,
  // as column -> value.
  std::vector<std::map<std::string, Value>> rows(const std::vector<std::string>& statuses = {}) const;
  std::vector<std::string> columns() const;
  std::map<std::string, int64_t> count_by_status() const;

  void export_csv(std::ostream& os) const;
  void export_jsonl(std::ostream& os) const;
  // Copies the rows of another store: a hash not here is added; a failed row
  // here is replaced by a done one there. Returns the rows added or replaced.
  int64_t merge_from(const std::string& other_path);

  void set_meta(const std::string& key, const std::string& value);
  std::string meta(const std::string& key) const;  // "" when absent

 private:
  void ensure_columns(const std::vector<std::string>& names);
  std::unique_ptr<SQLite::Database> db_;
  std::vector<std::string> columns_;  // cached table columns, in order
};

std::string value_text(const Value& v);  // "" for null

}  // namespace tessera::base

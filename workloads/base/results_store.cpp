#include "workloads/base/results_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace tessera::base {

namespace {
// Opening retries on a lock conflict: 100 attempts 50 ms apart, 5 s in all.
constexpr int kOpenAttempts = 100;
constexpr int kOpenRetryMs = 50;

// Every row has these; the rest are added as points bring them.
const char* kSchema =
    "CREATE TABLE IF NOT EXISTS results ("
    " hash TEXT PRIMARY KEY,"
    " kind TEXT,"       // sweep | search
    " point INTEGER,"   // index of the point in its run's resolved list
    " status TEXT,"     // done | failed | skipped
    " error TEXT,"      // why it failed or was skipped
    " exit_code INTEGER,"
    " seconds REAL,"    // wall-clock time of its process
    " version TEXT)";   // tessera version that produced it

std::string quote_ident(const std::string& name) {
  std::string q = "\"";
  for (char c : name) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

void bind(SQLite::Statement& st, int i, const Value& v) {
  if (std::holds_alternative<int64_t>(v)) st.bind(i, std::get<int64_t>(v));
  else if (std::holds_alternative<double>(v)) st.bind(i, std::get<double>(v));
  else if (std::holds_alternative<std::string>(v)) st.bind(i, std::get<std::string>(v));
  else st.bind(i);
}

Value column_value(const SQLite::Column& c) {
  if (c.isInteger()) return int64_t(c.getInt64());
  if (c.isFloat()) return c.getDouble();
  if (c.isText() || c.isBlob()) return c.getString();
  return std::monostate{};
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}
}  // namespace

std::string value_text(const Value& v) {
  if (std::holds_alternative<int64_t>(v)) return std::to_string(std::get<int64_t>(v));
  if (std::holds_alternative<double>(v)) {
    std::ostringstream os;
    os.precision(17);
    os << std::get<double>(v);
    return os.str();
  }
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  return "";
}

std::string ResultsStore::path_in(const std::string& dir) {
  return (std::filesystem::path(dir) / "results.sqlite").string();
}

ResultsStore::ResultsStore(const std::string& path, bool create) {
  int flags = SQLite::OPEN_READWRITE | (create ? SQLite::OPEN_CREATE : 0);
  // Two connections setting up the same new file at once (a sweep creating
  // its store while `sweep status` opens it) can each need the other's lock;
  // SQLite then answers BUSY at once, without waiting out the busy timeout.
  // Such a conflict resolves when one side retries.
  for (int attempt = 0;; ++attempt) {
    try {
      columns_.clear();
      db_ = std::make_unique<SQLite::Database>(path, flags);
      db_->setBusyTimeout(10000);
      // WAL: a committed row survives a kill -9 of the writer; NORMAL syncs at
      // checkpoints, which loses nothing on a process crash (only on power loss).
      db_->exec("PRAGMA journal_mode=WAL");
      db_->exec("PRAGMA synchronous=NORMAL");
      db_->exec(kSchema);
      db_->exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)");
      SQLite::Statement st(*db_, "PRAGMA table_info(results)");
      while (st.executeStep()) columns_.push_back(st.getColumn(1).getString());
      return;
    } catch (const SQLite::Exception& e) {
      const int code = e.getErrorCode() & 0xff;  // primary result code
      if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) || attempt >= kOpenAttempts) throw;
      db_.reset();
      std::this_thread::sleep_for(std::chrono::milliseconds(kOpenRetryMs));
    }
  }
}

ResultsStore::~ResultsStore() = default;

void ResultsStore::ensure_columns(const std::vector<std::string>& names) {
  for (const auto& n : names) {
    if (std::find(columns_.begin(), columns_.end(), n) != columns_.end()) continue;
    db_->exec("ALTER TABLE results ADD COLUMN " + quote_ident(n));
    columns_.push_back(n);
  }
}

std::map<std::string, std::string> ResultsStore::statuses() const {
  std::map<std::string, std::string> m;
  SQLite::Statement st(*db_, "SELECT hash, status FROM results");
  while (st.executeStep()) m[st.getColumn(0).getString()] = st.getColumn(1).getString();
  return m;
}

void ResultsStore::put(const Record& r) {
  SQLite::Transaction tx(*db_);
  std::vector<std::string> names{"hash"};
  for (const auto& [k, v] : r.fields) names.push_back(k);
  ensure_columns(names);
  std::string cols, marks;
  for (const auto& n : names) {
    cols += (cols.empty() ? "" : ",") + quote_ident(n);
    marks += marks.empty() ? "?" : ",?";
  }
  SQLite::Statement st(*db_, "INSERT OR REPLACE INTO results (" + cols + ") VALUES (" + marks + ")");
  st.bind(1, r.hash);
  int i = 2;
  for (const auto& [k, v] : r.fields) bind(st, i++, v);
  st.exec();
  tx.commit();
}

std::vector<std::string> ResultsStore::columns() const { return columns_; }

std::vector<std::map<std::string, Value>> ResultsStore::rows(const std::vector<std::string>& statuses) const {
  std::string where;
  for (size_t i = 0; i < statuses.size(); ++i) where += i == 0 ? " WHERE status IN (?" : ",?";
  if (!where.empty()) where += ")";
  SQLite::Statement st(*db_, "SELECT * FROM results" + where + " ORDER BY rowid");
  for (size_t i = 0; i < statuses.size(); ++i) st.bind(int(i + 1), statuses[i]);
  std::vector<std::map<std::string, Value>> out;
  while (st.executeStep()) {
    std::map<std::string, Value> row;
    for (int c = 0; c < st.getColumnCount(); ++c) row[st.getColumnName(c)] = column_value(st.getColumn(c));
    out.push_back(std::move(row));
  }
  return out;
}

std::map<std::string, int64_t> ResultsStore::count_by_status() const {
  std::map<std::string, int64_t> m;
  SQLite::Statement st(*db_, "SELECT status, COUNT(*) FROM results GROUP BY status");
  while (st.executeStep()) m[st.getColumn(0).getString()] = st.getColumn(1).getInt64();
  return m;
}

void ResultsStore::export_csv(std::ostream& os) const {
  // The JSON report stays out of the CSV: one cell of kilobytes per row helps
  // no spreadsheet; the JSON lines export carries it.
  std::vector<std::string> cols;
  for (const auto& c : columns_)
    if (c != "report") cols.push_back(c);
  for (size_t i = 0; i < cols.size(); ++i) os << (i ? "," : "") << csv_field(cols[i]);
  os << "\n";
  for (const auto& row : rows()) {
    for (size_t i = 0; i < cols.size(); ++i) {
      auto it = row.find(cols[i]);
      os << (i ? "," : "") << csv_field(it == row.end() ? "" : value_text(it->second));
    }
    os << "\n";
  }
}

void ResultsStore::export_jsonl(std::ostream& os) const {
  for (const auto& row : rows()) {
    nlohmann::ordered_json j;
    for (const auto& c : columns_) {
      auto it = row.find(c);
      if (it == row.end()) continue;
      const Value& v = it->second;
      if (std::holds_alternative<int64_t>(v)) j[c] = std::get<int64_t>(v);
      else if (std::holds_alternative<double>(v)) j[c] = std::get<double>(v);
      else if (std::holds_alternative<std::string>(v)) {
        const auto& s = std::get<std::string>(v);
        // The report is stored as JSON text: export it as an object.
        if (c == "report" && !s.empty()) j[c] = nlohmann::json::parse(s, nullptr, false);
        else j[c] = s;
      } else j[c] = nullptr;
    }
    os << j.dump() << "\n";
  }
}

int64_t ResultsStore::merge_from(const std::string& other_path) {
  ResultsStore other(other_path, false);
  auto mine = statuses();
  int64_t n = 0;
  for (const auto& row : other.rows()) {
    auto h = row.find("hash");
    if (h == row.end()) continue;
    std::string hash = value_text(h->second);
    std::string status = row.count("status") ? value_text(row.at("status")) : "";
    auto it = mine.find(hash);
    if (it != mine.end() && !(it->second == "failed" && status == "done")) continue;
    Record r{hash, {}};
    for (const auto& [k, v] : row)
      if (k != "hash") r.fields.emplace_back(k, v);
    put(r);
    mine[hash] = status;
    ++n;
  }
  return n;
}

void ResultsStore::set_meta(const std::string& key, const std::string& value) {
  SQLite::Statement st(*db_, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
  st.bind(1, key);
  st.bind(2, value);
  st.exec();
}

std::string ResultsStore::meta(const std::string& key) const {
  SQLite::Statement st(*db_, "SELECT value FROM meta WHERE key = ?");
  st.bind(1, key);
  return st.executeStep() ? st.getColumn(0).getString() : "";
}

}  // namespace tessera::base

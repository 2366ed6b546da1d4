// A durable store of evaluations: one JSON object per line, appended and
// flushed to disk (fsync) before record() returns. A line cut short by a
// crash is not a recorded evaluation: load() drops it, so the candidate is
// evaluated again, and nothing recorded is ever lost.
#pragma once

#include <string>

#include "nas/search/run.hpp"

namespace tessera::search {

class JsonlStore : public Store {
 public:
  explicit JsonlStore(std::string path) : path_(std::move(path)) {}
  std::vector<Evaluation> load() override;
  void record(const Evaluation& e) override;

 private:
  std::string path_;
};

std::string to_json_line(const Evaluation& e);
Evaluation from_json_line(const std::string& line);  // throws on a malformed line

}  // namespace tessera::search

#include "nas/search/search_store.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "workloads/base/results_store.hpp"

namespace tessera::search {

namespace {

const char* store_status(Status s) {
  switch (s) {
    case Status::ok: return "done";
    case Status::filtered: return "skipped";
    case Status::failed: return "failed";
  }
  return "failed";
}

std::string text(const std::map<std::string, base::Value>& row, const std::string& key) {
  auto it = row.find(key);
  return it == row.end() ? std::string() : base::value_text(it->second);
}

}  // namespace

std::string candidate_hash(const Candidate& c) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : c.key()) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

SearchStore::SearchStore(const std::string& dir)
    : store_(std::make_unique<base::ResultsStore>(base::ResultsStore::path_in(dir))) {}

SearchStore::~SearchStore() = default;

void SearchStore::record(const Evaluation& e) {
  base::Record r;
  r.hash = candidate_hash(e.candidate);
  r.fields = {{"kind", std::string("search")},
              {"point", int64_t(e.id)},
              {"status", std::string(store_status(e.outcome.status))},
              {"error", e.outcome.message},
              {"version", std::string(TESSERA_VERSION)},
              {"generation", int64_t(e.generation)},
              {"genome", nlohmann::json(e.genome).dump()},
              {"network", e.candidate.net},
              {"set", nlohmann::json(e.candidate.sets).dump()},
              {"parameters", int64_t(e.candidate.parameters)},
              {"search_status", std::string(status_name(e.outcome.status))}};
  for (const auto& [k, v] : e.outcome.metrics)
    if (k != "parameters") r.fields.emplace_back(k, v);
  store_->put(r);
}

std::vector<Evaluation> SearchStore::load() {
  std::vector<Evaluation> out;
  const auto names = metric_names();
  for (const auto& row : store_->rows()) {
    if (text(row, "kind") != "search") continue;
    Evaluation e;
    e.id = int(out.size());
    e.generation = std::stoi(text(row, "generation"));
    e.genome = nlohmann::json::parse(text(row, "genome")).get<Genome>();
    e.candidate.net = text(row, "network");
    e.candidate.sets = nlohmann::json::parse(text(row, "set")).get<std::vector<std::string>>();
    e.candidate.parameters = std::stoll(text(row, "parameters"));
    e.outcome.status = status_from_name(text(row, "search_status"));
    e.outcome.message = text(row, "error");
    for (const auto& m : names) {
      auto it = row.find(m);
      if (it == row.end()) continue;
      if (const auto* d = std::get_if<double>(&it->second)) e.outcome.metrics[m] = *d;
      else if (const auto* i = std::get_if<int64_t>(&it->second)) e.outcome.metrics[m] = double(*i);
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace tessera::search

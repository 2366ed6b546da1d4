// One evaluated candidate as the search records it.
#pragma once

#include <string>

#include "nas/search/objectives.hpp"
#include "nas/search/space.hpp"

namespace tessera::search {

// How an evaluation ended: ok (every stage ran), filtered (a cheap stage broke
// a constraint, so the expensive ones were skipped), failed (a stage failed).
enum class Status { ok, filtered, failed };
const char* status_name(Status s);
Status status_from_name(const std::string& s);  // std::invalid_argument if unknown

// What an evaluator returns for one candidate.
struct Outcome {
  Status status = Status::ok;
  Metrics metrics;
  std::string message;  // why it was filtered or failed
};

struct Evaluation {
  int id = 0;          // order of recording, from 0
  int generation = 0;  // the generation that proposed it
  Genome genome;
  Candidate candidate;
  Outcome outcome;
};

}  // namespace tessera::search

// The evaluator of `tessera search`: each candidate's stages (pipeline.hpp)
// run as `tessera` child processes through the runner shared with sweeps
// (workloads/base/child_process.hpp: a child dies with its parent, so a
// killed search leaves no training behind), up to `jobs` candidates at a
// time, each in its own directory DIR/candidates/<candidate hash>.
#pragma once

#include "nas/search/pipeline.hpp"
#include "nas/search/run.hpp"

namespace tessera::search {

class ChildEvaluator : public Evaluator {
 public:
  ChildEvaluator(std::string tessera, std::string arch, EvaluationPlan plan, Goals goals, std::string dir, int jobs)
      : tessera_(std::move(tessera)), arch_(std::move(arch)), plan_(std::move(plan)), goals_(std::move(goals)),
        dir_(std::move(dir)), jobs_(jobs) {}
  void evaluate(const std::vector<Candidate>& batch, const std::function<void(size_t, const Outcome&)>& done) override;
  // Runs one candidate's stages (on the calling thread).
  Outcome evaluate_one(const Candidate& c) const;
  // Where a candidate's files go.
  std::string candidate_dir(const Candidate& c) const;

 private:
  std::string tessera_, arch_;
  EvaluationPlan plan_;
  Goals goals_;
  std::string dir_;
  int jobs_;
};

}  // namespace tessera::search

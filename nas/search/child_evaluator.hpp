// The evaluator of `tessera search`: each candidate's stages (pipeline.hpp)
// run as `tessera` child processes through the runner shared with sweeps
// (workloads/base/child_process.hpp: a child dies with its parent, so a
// killed search leaves no training behind), up to `jobs` at a time, each
// candidate in its own directory DIR/candidates/<candidate hash>.
//
// A stage that finished leaves a marker holding its command line; a rerun
// with the same command reads its report instead of running it again, so a
// search killed mid-generation resumes without retraining what had finished.
// With successive halving the promotions of a rung look at every candidate
// of the generation, so the evaluator is given the whole generation, recorded
// candidates included (their stages are all on disk).
#pragma once

#include "nas/search/pipeline.hpp"
#include "nas/search/run.hpp"
#include "workloads/base/child_process.hpp"

namespace tessera::search {

// How a stage's command runs: by default a child of this process; under
// tessera-mpi on a worker rank (the search's directory must then be on a file
// system every rank sees: the training writes its weights there). `slots`:
// stages that can run at once (the -j a search takes when none is given).
struct StageRunner {
  std::function<base::ChildResult(const base::ChildSpec&)> run;
  int slots = 0;
};
StageRunner& stage_runner_override();

class ChildEvaluator : public Evaluator {
 public:
  ChildEvaluator(std::string tessera, std::string arch, EvaluationPlan plan, Goals goals, std::string dir, int jobs)
      : tessera_(std::move(tessera)), arch_(std::move(arch)), plan_(std::move(plan)), goals_(std::move(goals)),
        dir_(std::move(dir)), jobs_(jobs) {}
  void evaluate(const std::vector<Candidate>& batch, const std::function<void(size_t, const Outcome&)>& done) override;
  bool whole_generation() const override { return plan_.rungs().size() > 1; }
  // The cycle-level simulation of each candidate (the Pareto set's), `jobs` at
  // a time: its metrics (sim_latency_ms, sim_energy_uj), or a failed outcome.
  std::vector<Outcome> simulate(const std::vector<Candidate>& cands) const;
  // Where a candidate's files go.
  std::string candidate_dir(const Candidate& c) const;

 private:
  // Runs a stage (or reads it back when its marker matches) and adds its
  // metrics to `out`; false, with `out` failed, when it fails.
  bool run_stage(const StageCommand& st, const std::string& dir, Outcome& out) const;
  // The stages of round `rung` of one candidate: the estimate first (rung 0),
  // the rung's training, the chip evaluation after the last rung. Returns
  // whether the candidate is finished (filtered, failed or fully evaluated).
  bool run_round(const Candidate& c, size_t rung, Outcome& out) const;

  std::string tessera_, arch_;
  EvaluationPlan plan_;
  Goals goals_;
  std::string dir_;
  int jobs_;
};

}  // namespace tessera::search

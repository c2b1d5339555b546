// A meta-training run in a folder: the config (with copies of the weights
// files it names: init_from.weights, optimizer.weights), the curve
// (metrics.csv / metrics.jsonl: meta-loss every meta-iteration, held-in and
// held-out evaluations), the whole state (state.bin, written atomically, for
// exact resume), the weights (latest.weights at every checkpoint,
// best.weights at the best held-in evaluation) and summary.json at the end.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "apps/lib/training/run_folder.h"
#include "core/meta/outer/meta_trainer.h"
#include "core/parallel/rank_group.h"

namespace mnemo {

// One meta-iteration as the progress line shows it.
struct MetaRunReport {
  MetaIterationReport iteration;  // what the meta-iteration did
  bool evaluated = false;         // whether an evaluation ran
  MetaEvaluation evaluation;      // its figures (when evaluated)
  double best_held_in = 0.0;      // best held-in loss so far (NaN: none)
  double fraction_done = 0.0;     // of the meta-iteration budget
};

// What the run ended with (also written as summary.json).
struct MetaRunSummary {
  int iterations = 0;           // meta-iterations done
  double wall_seconds = 0.0;    // running time (resumed runs: in total)
  double first_held_in = 0.0;   // held-in loss before meta-training
  double final_held_in = 0.0;   // held-in loss at the end
  double final_held_out = 0.0;  // held-out loss at the end (NaN: none)
  double best_held_in = 0.0;    // best held-in loss
  int best_iteration = 0;       // where it was reached
  std::string best_weights;     // path of best.weights
  std::string latest_weights;   // path of latest.weights
};

// Drives a MetaTrainer in a run folder. On the ranks of an MPI job every
// rank drives the same MetaTrainer (which splits the particles), and only
// the leader (rank 0) holds the lock and writes the folder.
class MetaRun {
 public:
  // A new run of `config` in `run_dir` (created; an existing run there is
  // an Error, so nothing is overwritten by mistake). The run holds the
  // folder's lock while it lives (one writer per run folder; a folder
  // another process holds is an Error naming it). `ranks` (null: this
  // process alone) share the work; a failure to set up on any rank is the
  // same Error on every rank, before anything is written.
  MetaRun(const MetaConfig& config, const std::string& run_dir,
          std::shared_ptr<RankGroup> ranks = nullptr);
  // Continues the run in `run_dir` from its last checkpoint (under its
  // lock), shared over `ranks` as above.
  static std::unique_ptr<MetaRun> Resume(const std::string& run_dir,
                                         std::shared_ptr<RankGroup> ranks = nullptr);

  // Runs the remaining meta-iterations, calling `progress` after each, and
  // writes the final weights and summary. `stop_after` > 0 stops (after a
  // checkpoint) once that many meta-iterations are done in total (tests).
  MetaRunSummary Run(const std::function<void(const MetaRunReport&)>& progress, int stop_after = 0);

  const std::string& RunDir() const { return folder_.Dir(); }
  const MetaTrainer& Trainer() const { return *trainer_; }

 private:
  // Shared by both constructors.
  MetaRun(const MetaConfig& config, const std::string& run_dir, bool resume,
          std::shared_ptr<RankGroup> ranks);
  // Reads state.bin into the trainer and the run's own numbers; gives the
  // metrics files' byte counts it records.
  void LoadState(std::uint64_t* csv_bytes, std::uint64_t* jsonl_bytes);
  // Writes state.bin (trainer, log sizes, best evaluation, time); collective.
  void Checkpoint();
  // Writes summary.json (leader).
  void WriteSummary(const MetaRunSummary& s) const;
  // Seconds the run has spent, in all its sessions.
  double Elapsed() const;
  // Appends a row to the metrics log (leader).
  void LogRow(const MetaIterationReport& r, bool evaluated, const MetaEvaluation& e);
  // Throws the same Error on every rank when meta-iteration `iteration`
  // left a meta-parameter non-finite or beyond the weights' bound (before
  // anything of it is written).
  void CheckMetaParams(int iteration) const;
  // Evaluates the meta-parameters, keeping the best held-in weights.
  MetaEvaluation Evaluate();
  // The last checkpoint, best.weights if no evaluation chose it, the summary.
  MetaRunSummary Finish(const MetaEvaluation& last_eval);
  // Whether this process writes the run folder (the leader rank).
  bool Writes() const { return ranks_->IsLeader(); }

  RunFolder folder_;                  // claimed by the leader while the run lives
  std::shared_ptr<RankGroup> ranks_;  // who shares the work (the leader writes)
  std::unique_ptr<MetaTrainer> trainer_;
  double best_held_in_;  // NaN until the first evaluation
  int best_iteration_ = 0;
  double first_held_in_;                                 // NaN until the first evaluation
  double elapsed_before_ = 0.0;                          // seconds spent before a resume
  std::chrono::steady_clock::time_point session_start_;  // when this session's Run began
  double elapsed_at_start_ = 0.0;                        // seconds spent before it
};

}  // namespace mnemo

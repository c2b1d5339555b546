// A run folder as the viewer sees it: its config, its policy checkpoints
// and its learning curve. Refresh picks up what a running training added.
#pragma once

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "apps/lib/training/train_config.h"
#include "policies/policy_file.h"

namespace mnemo {

// The learning curve of a run, one entry per row of metrics.csv.
struct LearningCurve {
  std::vector<double> iteration;
  std::vector<double> episodes;
  std::vector<double> train_return_mean;
  std::vector<double> eval_return_mean;  // NaN where not evaluated
};

// Reads a run folder written by `mnemo train` (or `mnemo-view --train`).
class RunBrowser {
 public:
  // Opens `dir`; an Error unless it holds a run's config.yaml.
  explicit RunBrowser(std::string dir);

  // Re-reads the checkpoint list and metrics.csv (cheap when unchanged).
  void Refresh();
  const std::string& Dir() const { return dir_; }
  // The run's resolved config.
  const TrainConfig& Config() const { return config_; }
  // Iterations that have a policy checkpoint, ascending.
  const std::vector<int>& Checkpoints() const { return checkpoints_; }
  // The learning curve so far.
  const LearningCurve& Curve() const { return curve_; }
  // Path of the checkpoint of `iteration`.
  std::string CheckpointPath(int iteration) const;
  // policy_best.json, else policy_latest.json, else "" (none written yet).
  std::string FallbackPolicyPath() const;
  // Training episodes done by `iteration` (from the curve; NaN if unknown).
  double EpisodesAt(int iteration) const;
  // What the browser skipped, one line each: damaged metrics.csv rows, a
  // metrics.csv cut mid-row or that is not a regular file, or a search that
  // cannot be rebuilt (e.g. damaged optimizer weights, so the run will not
  // resume). Empty when the folder is whole.
  std::vector<std::string> Problems() const;

 private:
  // Parses metrics.csv into curve_ (never through a link, never from a
  // FIFO). Damaged rows (a wrong column count, an iteration that is not a
  // number) are skipped and counted in metrics_problems_. A last line
  // without its line break is left for the next read (a row being written
  // by a running training); at the first read (`opening`) it is a cut row,
  // and said so.
  void ReadMetrics(bool opening);
  // Parses the rows of `text` (metrics.csv at `path`) after its header
  // `header` into curve_; `opening` as in ReadMetrics.
  void ParseRows(const std::string& path, const std::vector<std::string>& header,
                 std::istringstream& text, bool opening);

  std::string dir_;                            // the run folder
  TrainConfig config_;                         // its config.yaml
  std::vector<int> checkpoints_;               // iterations with a policy checkpoint, ascending
  LearningCurve curve_;                        // metrics.csv as read last
  std::uintmax_t metrics_bytes_ = 0;           // size of metrics.csv when last read
  std::vector<std::string> metrics_problems_;  // what ReadMetrics skipped
  std::string search_problem_;                 // why the run's search cannot be rebuilt
};

}  // namespace mnemo

// The files of a run folder (`mnemo train`, `mnemo meta-train`): default names,
// the numbered files (checkpoints, optimizer snapshots), the copies it keeps,
// its session log, and where a saved policy's run folder and task options
// are. README lists every file a run folder holds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "apps/lib/training/train_config.h"
#include "core/optim/updater.h"
#include "envs/task.h"

namespace mnemo {

// ---- Default names of new run folders: the config's name and the local time.

// "runs/<config stem>-s<seed>-<time>", e.g. "runs/half_cheetah_ars-s1-20261128-235959"
// (`mnemo train` and `mnemo-view --train`).
std::string DefaultTrainRunDir(const TrainConfig& config);

// "runs/meta-<config stem>-<time>", e.g. "runs/meta-mnemosyne_generic-20261128-235959"
// (`mnemo meta-train`).
std::string DefaultMetaRunDir(const std::string& config_path);

// ---- Numbered files: policy checkpoints (checkpoints/policy_000120.json) and
// optimizer snapshots (snapshots/optimizer_000120.json), named by iteration.

// "policy_000120.json": the checkpoint of `iteration` in checkpoints/.
std::string CheckpointFileName(int iteration);

// "optimizer_000120.json": the optimizer snapshot of `iteration` in snapshots/.
std::string SnapshotFileName(int iteration);

// The iterations of the files in `dir` named exactly <prefix><digits>.json
// ("policy_", "optimizer_"), ascending. Other files, such as an atomic
// write's temporary "policy_000120.json.tmp.<pid>.<n>", are not listed. A
// missing or unreadable folder lists nothing.
std::vector<int> NumberedFiles(const std::string& dir, const std::string& prefix);

// ---- Copies a run folder keeps, so that it does not depend on where the
// repository or the config was.

// Copies the file at `source` into `run_dir` as `name` (atomically) and
// returns `name`: the path that the run folder's config.yaml gives for it,
// since a config finds files next to itself first. A run folder that names
// its files this way resumes after being moved or copied to another machine.
std::string CopyIntoRunFolder(const std::string& source, const std::string& run_dir,
                              const std::string& name);

// ---- The session log (sessions.csv): one row each time a run is started or
// resumed, with the rollout threads it ran with, so that wall times of runs
// resumed on other machines or thread counts can be read.

// One session of a run: when and where in the run it began, and its threads.
struct RunSession {
  std::string started_utc;    // "2026-11-29T08:44:43Z"
  int iteration = 0;          // iterations done before it
  std::int64_t episodes = 0;  // training episodes done before it
  int threads = 0;            // rollout threads
};

// Appends `session` to `<run_dir>/sessions.csv` (the header first when the
// file is new); never through a symbolic link (an Error, as is a FIFO or a
// folder in its place).
void AppendRunSession(const std::string& run_dir, const RunSession& session);

// Deletes `<run_dir>/sessions.csv` (a run started afresh in a folder that held
// a run killed before it wrote state.bin).
void ClearRunSessions(const std::string& run_dir);

// The sessions recorded in `<run_dir>/sessions.csv`, oldest first; empty when
// the file does not exist (runs made before the log). A malformed row, or
// a link or anything but a regular file in its place, is an Error naming
// the file (and line).
std::vector<RunSession> ReadRunSessions(const std::string& run_dir);

// The current time as "YYYY-MM-DDTHH:MM:SSZ".
std::string UtcNow();

// ---- Optimizer-state snapshots (snapshots/), for the viewer's memory panel.

// Writes `view` as snapshots/optimizer_<iteration>.json in `dir` (created;
// an Error when a link or a file is in its place).
void WriteUpdaterSnapshot(const UpdaterView& view, int iteration, const std::string& dir);
// Reads one snapshot file; a malformed file is an Error naming it.
UpdaterView ReadUpdaterSnapshot(const std::string& path);
// Iterations that have a snapshot in `dir`, ascending.
std::vector<int> ListUpdaterSnapshots(const std::string& dir);

// ---- Where a saved policy came from: the run folder it lies in and the task
// options that run trained with, so that evaluating or showing the policy
// uses the same episode length, robot file and observation layout.

// The run folder a policy file lies in (its folder, or the one above for
// checkpoints/); "" when neither holds a config.yaml.
std::string RunDirOfPolicy(const std::string& policy_path);

// The task options of the run `policy_path` lies in, read from its
// config.yaml; the defaults for a policy outside any run folder, and (with
// a warning) when the run config cannot be read or trains another task
// than `task`, the policy's. `config_used` (if given) gets the config file
// read, or "" when the defaults were used.
TaskOptions TaskOptionsOfPolicy(const std::string& policy_path, const std::string& task,
                                std::string* config_used = nullptr);

}  // namespace mnemo

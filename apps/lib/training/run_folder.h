// A run folder and its lifecycle, one object for training runs,
// meta-training runs and bench cells: who writes it (its lock), whether it
// holds a run, the sealed state a run resumes from, its config, metrics log,
// summary and session log, and the fingerprint a bench cell records.
// run_files.h has the formats of the other files it holds.
//
// A run folder may lie on a disk that others can write into (a cluster's
// shared folder), so none of its files is ever opened through a symbolic
// link, and each must be a regular file: a link, a FIFO, a device or a
// folder where a file should be is an Error naming it, and nothing is read
// from it or written through it. Its subfolders must be folders, not links.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "apps/lib/training/metrics_log.h"
#include "apps/lib/training/run_files.h"
#include "core/io/folder_lock.h"

namespace mnemo {

// A run folder by its path. Reading what it holds needs nothing; writing
// needs its claim (the folder's lock, one writer per folder), held while
// the object lives. An unclaimed folder that is asked to write throws.
class RunFolder {
 public:
  // The folder at `dir` (nothing is touched yet).
  explicit RunFolder(std::string dir);

  RunFolder(RunFolder&&) noexcept;
  RunFolder& operator=(RunFolder&&) noexcept;
  ~RunFolder();

  // ---- The claim.

  // Takes the lock (the folder is created if missing), or throws an Error
  // naming the folder and the process that holds it.
  void Claim();
  // Takes the lock without waiting; false when another process holds it.
  bool TryClaim();
  // Whether this object holds the lock.
  bool Claimed() const { return lock_.has_value(); }

  // ---- What it holds (read without the claim).

  const std::string& Dir() const { return dir_; }
  // `<dir>/<name>`.
  std::string Path(const std::string& name) const;
  // Whether a run was started here (state.bin exists, or anything in its
  // place: it can resume, or is refused).
  bool HoldsRun() const;
  // The payload of state.bin, its seal checked (an Error naming the file).
  std::string ReadState() const;
  // The text of config.yaml (an Error naming it when it cannot be read).
  std::string ReadConfig() const;
  // summary.json, when present and a JSON object (a run that ended or
  // stopped writes one); nullopt otherwise.
  std::optional<nlohmann::json> ReadSummary() const;
  // The bench fingerprint recorded when the run started; nullopt if none.
  std::optional<std::string> ReadFingerprint() const;

  // ---- Writing (needs the claim).

  // Throws an Error naming the first file a run appends to (the metrics
  // logs, sessions.csv, ranks.csv) or subfolder it writes into that is a
  // link or not what it should be, so that a run refuses such a folder
  // before it changes anything (the writes themselves never follow links).
  void CheckWritable() const;

  // `<dir>/<name>`, a folder created if missing; an Error when a link or a
  // file is in its place (checkpoints/, snapshots/).
  std::string Subfolder(const std::string& name) const;
  // Writes state.bin atomically, sealed with a checksum.
  void WriteState(const std::string& payload) const;
  // Writes config.yaml atomically.
  void WriteConfig(const std::string& text) const;
  // Writes summary.json atomically.
  void WriteSummary(const nlohmann::json& summary) const;
  // Records a bench cell's config fingerprint (before its run starts).
  void RecordFingerprint(const std::string& fingerprint) const;
  // Opens the metrics log of a new run (empty files), or of a resumed one
  // cut back to the byte counts its state recorded (see MetricsLog).
  MetricsLog& OpenMetrics(bool resume, std::uint64_t csv_bytes = 0, std::uint64_t jsonl_bytes = 0,
                          std::int64_t last_iteration = 0);
  // The open metrics log (an Error before OpenMetrics).
  MetricsLog& Metrics() const;
  // Appends a session (start or resume) to sessions.csv; `fresh` first
  // clears the sessions of a run killed before it wrote state.bin.
  void RecordSession(const RunSession& session, bool fresh) const;

 private:
  // Throws unless the folder is claimed (a bug: a writer that never claimed).
  void RequireClaim() const;

  std::string dir_;
  std::optional<FolderLock> lock_;       // held while claimed
  std::unique_ptr<MetricsLog> metrics_;  // once opened
};

}  // namespace mnemo

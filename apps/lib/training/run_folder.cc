#include "apps/lib/training/run_folder.h"

#include <nlohmann/json.hpp>

#include "core/io/file_system.h"
#include "core/io/sealed_file.h"
#include "core/io/text_file.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

// The files every run folder keeps.
constexpr char kStateFile[] = "state.bin";
constexpr char kConfigFile[] = "config.yaml";
constexpr char kSummaryFile[] = "summary.json";
// The ConfigFingerprint of the bench cell that started the run (its files'
// digests as they were then).
constexpr char kFingerprintFile[] = "bench_fingerprint.yaml";

}  // namespace

RunFolder::RunFolder(std::string dir) : dir_(std::move(dir)) {}
RunFolder::RunFolder(RunFolder&&) noexcept = default;
RunFolder& RunFolder::operator=(RunFolder&&) noexcept = default;
RunFolder::~RunFolder() = default;

void RunFolder::Claim() {
  if (!lock_) lock_ = FolderLock::Take(dir_);
}

bool RunFolder::TryClaim() {
  if (!lock_) lock_ = FolderLock::TryTake(dir_);
  return lock_.has_value();
}

std::string RunFolder::Path(const std::string& name) const { return dir_ + "/" + name; }

bool RunFolder::HoldsRun() const { return EntryExists(Path(kStateFile)); }

std::string RunFolder::ReadState() const {
  return ReadSealedFile(Path(kStateFile), Links::kRefuse);
}

std::string RunFolder::ReadConfig() const {
  return ReadTextFile(Path(kConfigFile), Links::kRefuse);
}

std::optional<nlohmann::json> RunFolder::ReadSummary() const {
  const std::string path = Path(kSummaryFile);
  if (!EntryExists(path)) return std::nullopt;
  try {
    nlohmann::json j = nlohmann::json::parse(ReadTextFile(path, Links::kRefuse), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    return j;
  } catch (const Error&) {
    return std::nullopt;  // unreadable: as if the run had not ended
  }
}

std::optional<std::string> RunFolder::ReadFingerprint() const {
  const std::string path = Path(kFingerprintFile);
  if (!EntryExists(path)) return std::nullopt;
  return ReadTextFile(path, Links::kRefuse);
}

void RunFolder::RequireClaim() const {
  if (!lock_) throw Error({dir_, 0, ""}, "internal: written without holding its lock");
}

void RunFolder::CheckWritable() const {
  RequireClaim();
  for (const char* name : {"metrics.csv", "metrics.jsonl", "sessions.csv", "ranks.csv"}) {
    RequireRegularFileOrNothing(Path(name));
  }
  for (const char* name : {"checkpoints", "snapshots"}) RequireFolderOrNothing(Path(name));
}

std::string RunFolder::Subfolder(const std::string& name) const {
  const std::string path = Path(name);
  CreateFolderInside(path);
  return path;
}

void RunFolder::WriteState(const std::string& payload) const {
  RequireClaim();
  WriteSealedFile(Path(kStateFile), payload);
}

void RunFolder::WriteConfig(const std::string& text) const {
  RequireClaim();
  WriteFileAtomically(Path(kConfigFile), text);
}

void RunFolder::WriteSummary(const nlohmann::json& summary) const {
  RequireClaim();
  WriteFileAtomically(Path(kSummaryFile), summary.dump(2) + "\n");
}

void RunFolder::RecordFingerprint(const std::string& fingerprint) const {
  RequireClaim();
  WriteFileAtomically(Path(kFingerprintFile), fingerprint);
}

MetricsLog& RunFolder::OpenMetrics(bool resume, std::uint64_t csv_bytes, std::uint64_t jsonl_bytes,
                                   std::int64_t last_iteration) {
  RequireClaim();
  metrics_ = std::make_unique<MetricsLog>(dir_, resume, csv_bytes, jsonl_bytes, last_iteration);
  return *metrics_;
}

MetricsLog& RunFolder::Metrics() const {
  if (!metrics_) throw Error({dir_, 0, ""}, "internal: the metrics log is not open");
  return *metrics_;
}

void RunFolder::RecordSession(const RunSession& session, bool fresh) const {
  RequireClaim();
  if (fresh) ClearRunSessions(dir_);
  AppendRunSession(dir_, session);
}

}  // namespace mnemo

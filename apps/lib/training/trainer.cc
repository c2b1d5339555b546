#include "apps/lib/training/trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>

#include "apps/lib/training/rank_report.h"
#include "apps/lib/training/run_files.h"
#include "core/io/checksum.h"
#include "core/io/file_system.h"
#include "core/io/sealed_file.h"
#include "core/io/text_file.h"
#include "core/parallel/cancelled.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStateMagic = "mnemo-train-state";
// 2: the search state keeps the exploration sigma and the best fitness so far.
constexpr std::uint64_t kStateVersion = 2;

// Key space of the initial parameters' random stream.
constexpr std::uint64_t kInitStream = 0x696e6974ULL;

// JSON number or null for NaN/inf.
nlohmann::json NumberOrNull(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

// The text of a new run folder's config.yaml: the resolved config, with
// the learned optimizer's weights (if any) copied into `run_dir`.
std::string RunFolderConfigText(const TrainConfig& config, const std::string& run_dir) {
  YAML::Node node = YAML::Clone(config.resolved);
  if (node["optimizer"] && node["optimizer"]["weights"]) {
    node["optimizer"]["weights"] = CopyIntoRunFolder(node["optimizer"]["weights"].as<std::string>(),
                                                     run_dir, "optimizer.weights");
  }
  YAML::Emitter emitter;
  emitter << node;
  return std::string(emitter.c_str()) + "\n";
}

// What every rank of a job must hold alike to compute the same numbers:
// the resolved config (its thread count aside: no number depends on it),
// the files it names by content (their paths may differ between machines),
// and when resuming the run folder's state.
std::vector<RankFact> RankFacts(const TrainConfig& config, const RunFolder& folder, bool resume) {
  std::vector<RankFact> facts;
  for (auto [key, value] : FlattenYaml(config.resolved)) {
    if (key == "train.threads") continue;
    if (key == "optimizer.weights" || key == "task.xml") value = FileDigest(value);
    facts.emplace_back(std::move(key), std::move(value));
  }
  facts.emplace_back("run", resume ? "resumed" : "new");
  if (resume) {
    char digest[32];
    std::snprintf(digest, sizeof digest, "fnv1a64:%016llx",
                  static_cast<unsigned long long>(Fnv1a64(folder.ReadState())));
    facts.emplace_back("state.bin", digest);
  }
  return facts;
}

}  // namespace

Vec InitialRunParams(const Policy& policy, std::uint64_t seed) {
  Stream init(seed, kInitStream, 0);
  return policy.InitialParams(init);
}

nlohmann::json SummaryJson(const TrainSummary& s) {
  nlohmann::json j;
  j["task"] = s.task;
  j["method"] = s.method;
  j["seed"] = s.seed;
  j["iterations"] = s.iterations;
  j["episodes"] = s.episodes;
  j["env_steps"] = s.env_steps;
  j["wall_seconds"] = s.wall_seconds;
  j["best_eval_return"] = NumberOrNull(s.best_eval_return);
  j["final_eval_return"] = NumberOrNull(s.final_eval_return);
  j["threshold"] = s.threshold;
  j["episodes_to_threshold"] =
      s.episodes_to_threshold >= 0 ? nlohmann::json(s.episodes_to_threshold) : nullptr;
  j["unstable_episodes"] = s.unstable_episodes;
  return j;
}

Trainer::Trainer(TrainConfig config, RunFolder folder, std::shared_ptr<RankGroup> ranks)
    : Trainer(std::move(config), std::move(folder), false, std::move(ranks)) {}

Trainer::Trainer(TrainConfig config, const std::string& run_dir, std::shared_ptr<RankGroup> ranks)
    : Trainer(std::move(config), RunFolder(run_dir), false, std::move(ranks)) {}

Trainer::~Trainer() = default;

std::unique_ptr<Trainer> Trainer::Resume(const std::string& run_dir, int threads,
                                         const PolicyRegistry& policies,
                                         std::shared_ptr<RankGroup> ranks) {
  return Resume(RunFolder(run_dir), threads, policies, std::move(ranks));
}

std::unique_ptr<Trainer> Trainer::Resume(RunFolder folder, int threads,
                                         const PolicyRegistry& policies,
                                         std::shared_ptr<RankGroup> ranks) {
  if (!ranks) ranks = SingleProcessGroup();
  const std::string config_path = folder.Path("config.yaml");
  TrainConfig config;
  AgreeOnSetup(*ranks, [&] {
    if (!folder.HoldsRun()) {
      throw Error({folder.Dir(), 0, ""}, "not a resumable run folder (no state.bin)");
    }
    // The claim comes before anything is read: no other writer can be midway.
    if (ranks->IsLeader()) folder.Claim();
    config = ParseTrainConfig(folder.ReadConfig(), config_path, policies);
  });
  if (threads > 0) config.threads = threads;
  return std::unique_ptr<Trainer>(
      new Trainer(std::move(config), std::move(folder), true, std::move(ranks)));
}

Trainer::Trainer(TrainConfig config, RunFolder folder, bool resume,
                 std::shared_ptr<RankGroup> ranks)
    : config_(std::move(config)),
      folder_(std::move(folder)),
      ranks_(ranks ? std::move(ranks) : SingleProcessGroup()) {
  std::uint64_t csv_bytes = 0;
  std::uint64_t jsonl_bytes = 0;
  std::vector<RankFact> facts;
  AgreeOnSetup(*ranks_, [&] {
    task_ = MakeTask(config_.task, config_.task_options);
    PolicySpec spec{config_.policy_kind, task_->ObsDim(), task_->ActDim(),     task_->ActionLow(),
                    task_->ActionHigh(), config_.hidden,  config_.clip_actions};
    policy_ = MakePolicy(spec, *config_.policies);
    auto engine = std::make_shared<RolloutEngine>(task_, policy_, config_.threads);
    engine->SetCancelFlag(&cancel_);
    engine->SetRanks(ranks_);
    problem_ = std::make_unique<PolicySearchProblem>(engine, config_.normalize,
                                                     config_.reward_shift, config_.seed);
    strategy_ = MakeStrategy(config_.search, config_.optimizer);
    Updater* updater = strategy_->StepUpdater();
    if (updater != nullptr && config_.snapshot_every > 0) updater->SetInspection(true);
    loop_ = std::make_unique<SearchLoop>(*problem_, *strategy_,
                                         InitialRunParams(*policy_, config_.seed), config_.seed);
    if (ranks_->Size() > 1) facts = RankFacts(config_, folder_, resume);
  });
  // Every rank runs the same config on the same files, or none starts.
  AgreeOnFacts(*ranks_, std::move(facts));
  // Only once every rank has what it needs does the leader touch the folder.
  AgreeOnSetup(*ranks_, [&] {
    if (Writes()) {
      folder_.Claim();
      folder_.CheckWritable();
    }
    if (resume) {
      LoadState(&csv_bytes, &jsonl_bytes);
    } else if (folder_.HoldsRun()) {
      throw Error({folder_.Dir(), 0, ""},
                  "the folder already holds a run; use --resume or another --out");
    }
  });
  if (Writes()) {
    if (resume) {
      folder_.OpenMetrics(true, csv_bytes, jsonl_bytes, loop_->Iteration());
    } else {
      StartFiles();
    }
    // A folder left by a run killed before it wrote state.bin starts its
    // session log again from nothing.
    folder_.RecordSession({UtcNow(), loop_->Iteration(), episodes_, problem_->Engine().Threads()},
                          !resume);
  }
  published_theta_ = loop_->Theta();
  published_stats_ = problem_->Normalizer().Stats();
  finished_ = Summary();
  session_start_iteration_ = loop_->Iteration();
}

void Trainer::StartFiles() {
  folder_.Subfolder("checkpoints");
  folder_.WriteConfig(RunFolderConfigText(config_, folder_.Dir()));
  folder_.OpenMetrics(false);
  // Resumable from the start: a run stopped before its first iteration
  // finished resumes from iteration 0.
  SaveState();
}

SavedPolicy Trainer::CurrentPolicy() const {
  SavedPolicy p;
  p.task = task_->Name();
  p.spec = policy_->Spec();
  p.normalize = config_.normalize;
  std::lock_guard<std::mutex> lock(policy_mutex_);
  p.params = published_theta_;
  p.obs_stats = published_stats_;
  return p;
}

bool Trainer::Done() const {
  const int it = loop_->Iteration();
  if (config_.max_iterations > 0 && it >= config_.max_iterations) return true;
  if (config_.max_episodes > 0 && episodes_ >= config_.max_episodes) return true;
  if (config_.stop_return != 0 && std::isfinite(last_eval_) && last_eval_ >= config_.stop_return) {
    return true;
  }
  return false;
}

double Trainer::FractionDone() const {
  double f = 0;
  if (config_.max_iterations > 0) {
    f = std::max(f, double(loop_->Iteration()) / double(config_.max_iterations));
  }
  if (config_.max_episodes > 0) f = std::max(f, double(episodes_) / double(config_.max_episodes));
  return std::min(1.0, f);
}

double Trainer::Evaluate() {
  const PolicyEvaluation e = problem_->EvaluatePolicy(
      loop_->Theta(), config_.eval_episodes, static_cast<std::uint64_t>(loop_->Iteration()));
  env_steps_ += e.env_steps;
  last_eval_ = e.mean;
  const double threshold = task_->Spec().solved_threshold;
  if (threshold > 0 && episodes_to_threshold_ < 0 && e.mean >= threshold) {
    episodes_to_threshold_ = episodes_;
  }
  return e.stddev;
}

TrainSummary Trainer::Summary() const {
  TrainSummary s;
  s.task = task_->Name();
  s.method = strategy_->Name();
  s.seed = config_.seed;
  s.iterations = loop_->Iteration();
  s.episodes = episodes_;
  s.env_steps = env_steps_;
  s.wall_seconds = wall_seconds_;
  s.best_eval_return = best_eval_;
  s.final_eval_return = last_eval_;
  s.threshold = task_->Spec().solved_threshold;
  s.episodes_to_threshold = episodes_to_threshold_;
  s.unstable_episodes = unstable_;
  return s;
}

void Trainer::WriteCheckpoints(bool evaluated_now, bool force) {
  const bool new_best = evaluated_now && last_eval_ > best_eval_;
  if (new_best) best_eval_ = last_eval_;
  if (!Writes()) return;
  const int it = loop_->Iteration();
  SavedPolicy p;
  p.task = task_->Name();
  p.spec = policy_->Spec();
  p.normalize = config_.normalize;
  p.params = loop_->Theta();
  p.obs_stats = problem_->Normalizer().Stats();
  if (new_best) SavePolicy(p, folder_.Path("policy_best.json"));
  if (force || it % config_.checkpoint_every == 0) {
    SavePolicy(p, folder_.Subfolder("checkpoints") + "/" + CheckpointFileName(it));
    SavePolicy(p, folder_.Path("policy_latest.json"));
  }
  const Updater* updater = strategy_->StepUpdater();
  if (updater != nullptr && config_.snapshot_every > 0 &&
      (force || it % config_.snapshot_every == 0)) {
    WriteUpdaterSnapshot(updater->Inspect(), it, folder_.Path("snapshots"));
  }
}

void Trainer::SaveState() const {
  if (!Writes()) return;
  std::ostringstream bytes;
  BinaryWriter out(bytes);
  out.WriteString(kStateMagic);
  out.WriteU64(kStateVersion);
  out.WriteI64(episodes_);
  out.WriteI64(env_steps_);
  out.WriteDouble(wall_seconds_);
  out.WriteDouble(best_eval_);
  out.WriteDouble(last_eval_);
  out.WriteI64(episodes_to_threshold_);
  out.WriteI64(unstable_);
  out.WriteU64(folder_.Metrics().CsvBytes());
  out.WriteU64(folder_.Metrics().JsonlBytes());
  problem_->SaveState(out);
  loop_->SaveState(out);
  folder_.WriteState(bytes.str());
}

void Trainer::LoadState(std::uint64_t* csv_bytes, std::uint64_t* jsonl_bytes) {
  const std::string path = folder_.Path("state.bin");
  std::istringstream bytes(folder_.ReadState());
  BinaryReader in(bytes, path);
  // A state's vectors and matrices (theta, the normalizer, the optimizer's
  // memory) are finite, whatever its checksum says.
  in.RequireFiniteArrays();
  if (in.ReadString() != kStateMagic) throw Error({path, 0, ""}, "not a training state file");
  const std::uint64_t version = in.ReadU64();
  if (version != kStateVersion) {
    throw Error({path, 0, ""}, "state format " + std::to_string(version) +
                                   " was written by another version of mnemo (this one reads "
                                   "format " +
                                   std::to_string(kStateVersion) + "); start the run again");
  }
  episodes_ = in.ReadI64();
  env_steps_ = in.ReadI64();
  wall_seconds_ = in.ReadDouble();
  best_eval_ = in.ReadDouble();
  last_eval_ = in.ReadDouble();
  episodes_to_threshold_ = in.ReadI64();
  unstable_ = in.ReadI64();
  *csv_bytes = in.ReadU64();
  *jsonl_bytes = in.ReadU64();
  CheckCounters(path);
  try {
    problem_->LoadState(in);
    loop_->LoadState(in);
  } catch (const Error& e) {
    // The search's own checks name no file.
    if (std::string_view(e.what()).starts_with(path)) throw;
    throw Error({path, 0, ""}, e.what());
  }
  in.ExpectEnd();
}

void Trainer::CheckCounters(const std::string& path) const {
  // Counts are never negative, nor above 2^53 (the logs write them as
  // doubles, exact up to there; and an iteration adding its episodes to a
  // count near 2^63 would overflow), and the time is a number of seconds;
  // the best evaluation is compared with each new one, so it is not NaN (it
  // is -infinity before the first), while the last one is NaN before the
  // first (returns may be infinite: a run whose robot blew up).
  constexpr std::int64_t kMaxCount = std::int64_t{1} << 53;
  const bool counts = episodes_ >= 0 && env_steps_ >= 0 && unstable_ >= 0 &&
                      episodes_ <= kMaxCount && env_steps_ <= kMaxCount && unstable_ <= kMaxCount &&
                      episodes_to_threshold_ >= -1 && episodes_to_threshold_ <= episodes_;
  const bool numbers =
      std::isfinite(wall_seconds_) && wall_seconds_ >= 0 && !std::isnan(best_eval_);
  if (!counts || !numbers) {
    throw Error({path, 0, ""},
                "corrupt counters (a negative count or one above 2^53, or a time or best "
                "return that is not a number)");
  }
}

void Trainer::CheckFinite() const {
  if (loop_->Theta().allFinite() && problem_->Normalizer().Stats().Mean().allFinite() &&
      problem_->Normalizer().Stats().SquaredDeviations().allFinite()) {
    return;
  }
  const int it = loop_->Iteration();
  // Every rank computed the same numbers: the same error everywhere.
  throw SharedError(
      {folder_.Dir(), 0, ""},
      "iteration " + std::to_string(it) +
          " made the policy's parameters or observation statistics non-finite (NaN or "
          "infinite); stopped, and the run folder keeps iteration " +
          std::to_string(it - 1));
}

TrainSummary Trainer::Run(const std::function<void(const IterationReport&)>& on_iteration) {
  try {
    RunIterations(on_iteration);
  } catch (const Cancelled&) {
    // Only rollouts throw it, before the iteration writes anything: the run
    // folder holds the last finished iteration, and so does finished_.
  }
  if (Writes()) folder_.WriteSummary(SummaryJson(finished_));
  AppendRankReport(*ranks_, problem_->Engine().Load(),
                   loop_->Iteration() - session_start_iteration_, folder_.Dir());
  return finished_;
}

void Trainer::RunIterations(const std::function<void(const IterationReport&)>& on_iteration) {
  using Clock = std::chrono::steady_clock;
  while (!Done() && !stop_) {
    const auto start = Clock::now();
    EvalStats cost;
    const EsIterationStats r = loop_->Iterate(&cost, FractionDone());
    CheckFinite();
    episodes_ += cost.episodes;
    env_steps_ += cost.env_steps;
    unstable_ += cost.unstable;
    double train_mean = 0;
    double train_max = -std::numeric_limits<double>::infinity();
    for (const auto& b : problem_->LastBatch()) {
      train_mean += b.total_return / problem_->LastBatch().size();
      train_max = std::max(train_max, b.total_return);
    }
    const int it = loop_->Iteration();
    const bool budget_done = Done();
    const bool evaluate = it % config_.eval_every == 0 || budget_done;
    double eval_mean = std::numeric_limits<double>::quiet_NaN();
    double eval_std = std::numeric_limits<double>::quiet_NaN();
    if (evaluate) {
      eval_std = Evaluate();
      eval_mean = last_eval_;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    wall_seconds_ += seconds;
    if (Writes())
      folder_.Metrics().Append({{"iteration", it},
                                {"episodes", double(episodes_)},
                                {"env_steps", double(env_steps_)},
                                {"wall_seconds", wall_seconds_},
                                {"train_return_mean", train_mean},
                                {"train_return_max", train_max},
                                {"eval_return_mean", eval_mean},
                                {"eval_return_std", eval_std},
                                {"ascent_norm", r.ascent_norm},
                                {"step_norm", r.step_norm},
                                {"unstable_episodes", double(unstable_)}});
    WriteCheckpoints(evaluate, Done());
    SaveState();
    finished_ = Summary();
    {
      std::lock_guard<std::mutex> lock(policy_mutex_);
      published_theta_ = loop_->Theta();
      published_stats_ = problem_->Normalizer().Stats();
    }
    if (on_iteration) {
      IterationReport report;
      report.iteration = it;
      report.episodes = episodes_;
      report.train_return_mean = train_mean;
      report.eval_return_mean = eval_mean;
      report.best_eval_return = best_eval_;
      report.env_steps_per_second = double(cost.env_steps) / std::max(seconds, 1e-9);
      report.fraction_done = FractionDone();
      on_iteration(report);
    }
  }
}

}  // namespace mnemo

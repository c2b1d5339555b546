#include "apps/lib/training/meta_run.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "apps/lib/meta/task_family_list.h"
#include "apps/lib/training/run_files.h"
#include "core/es/learned_weights_check.h"
#include "core/io/checksum.h"
#include "core/io/file_system.h"
#include "core/io/sealed_file.h"
#include "core/io/text_file.h"
#include "core/optim/learned_weights_file.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

namespace fs = std::filesystem;

// Tag of the run's state file.
constexpr char kRunStateTag[] = "mnemo-meta-run-v1";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// JSON number or null for NaN/inf.
nlohmann::json NumberOrNull(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

// The text of a new run folder's config.yaml: the config, with the weights
// files it names copied into `run_dir`.
std::string RunFolderConfigText(const MetaConfig& config, const std::string& run_dir) {
  YAML::Node root = YAML::Clone(config.root.Yaml());
  if (!config.init_from.empty()) {
    root["init_from"] = CopyIntoRunFolder(config.init_from, run_dir, "init_from.weights");
  }
  if (config.optimizer.Has("weights")) {
    root["optimizer"]["weights"] = CopyIntoRunFolder(
        ResolveWeightsPath(config.optimizer, "weights"), run_dir, "optimizer.weights");
  }
  YAML::Emitter emitter;
  emitter << root;
  return std::string(emitter.c_str()) + "\n";
}

// What every rank of a job must hold alike to compute the same numbers:
// the config (thread counts aside: no number depends on them), the weights
// files it names by content, and when resuming the run folder's state.
std::vector<RankFact> RankFacts(const MetaConfig& config, const RunFolder& folder, bool resume) {
  std::vector<RankFact> facts;
  for (auto [key, value] : FlattenYaml(config.root.Yaml())) {
    if (key == "meta.threads" || key == "optimizer.threads") continue;
    if (key == "init_from") value = FileDigest(config.init_from);
    if (key == "optimizer.weights")
      value = FileDigest(ResolveWeightsPath(config.optimizer, "weights"));
    facts.emplace_back(std::move(key), std::move(value));
  }
  facts.emplace_back("run", resume ? "resumed" : "new");
  if (resume) facts.emplace_back("state.bin", std::to_string(Fnv1a64(folder.ReadState())));
  return facts;
}

}  // namespace

MetaRun::MetaRun(const MetaConfig& config, const std::string& run_dir,
                 std::shared_ptr<RankGroup> ranks)
    : MetaRun(config, run_dir, false, std::move(ranks)) {}

MetaRun::MetaRun(const MetaConfig& config, const std::string& run_dir, bool resume,
                 std::shared_ptr<RankGroup> ranks)
    : folder_(run_dir),
      ranks_(ranks ? std::move(ranks) : SingleProcessGroup()),
      best_held_in_(kNaN),
      first_held_in_(kNaN) {
  std::uint64_t csv_bytes = 0;
  std::uint64_t jsonl_bytes = 0;
  std::vector<RankFact> facts;
  AgreeOnSetup(*ranks_, [&] {
    if (resume && Writes()) folder_.Claim();
    trainer_ = std::make_unique<MetaTrainer>(config, ranks_);
    if (ranks_->Size() > 1) facts = RankFacts(config, folder_, resume);
  });
  // Every rank runs the same config on the same files, or none starts.
  AgreeOnFacts(*ranks_, std::move(facts));
  // Only once every rank has what it needs does the leader touch the folder.
  AgreeOnSetup(*ranks_, [&] {
    if (Writes()) {
      folder_.Claim();
      folder_.CheckWritable();
    }
    if (resume) return LoadState(&csv_bytes, &jsonl_bytes);
    if (folder_.HoldsRun()) {
      throw Error({folder_.Dir(), 0, ""},
                  "already holds a meta-training run (continue it with "
                  "--resume, or choose another --out)");
    }
  });
  if (!Writes()) return;
  if (!resume) folder_.WriteConfig(RunFolderConfigText(config, folder_.Dir()));
  folder_.OpenMetrics(resume, csv_bytes, jsonl_bytes, trainer_->Iteration());
}

void MetaRun::LoadState(std::uint64_t* csv_bytes, std::uint64_t* jsonl_bytes) {
  const std::string state_path = folder_.Path("state.bin");
  std::istringstream bytes(folder_.ReadState());
  BinaryReader in(bytes, state_path);
  if (in.ReadString() != kRunStateTag) {
    throw Error({state_path, 0, ""}, "not a meta-training run state");
  }
  trainer_->LoadState(in);
  *csv_bytes = in.ReadU64();
  *jsonl_bytes = in.ReadU64();
  best_held_in_ = in.ReadDouble();
  best_iteration_ = static_cast<int>(in.ReadI64());
  first_held_in_ = in.ReadDouble();
  elapsed_before_ = in.ReadDouble();
  in.ExpectEnd();
  CheckLearnedWeights(trainer_->MetaParams(), state_path);
}

std::unique_ptr<MetaRun> MetaRun::Resume(const std::string& run_dir,
                                         std::shared_ptr<RankGroup> ranks) {
  if (!ranks) ranks = SingleProcessGroup();
  MetaConfig config;
  AgreeOnSetup(*ranks, [&] {
    const RunFolder folder(run_dir);
    if (!folder.HoldsRun()) {
      throw Error({run_dir, 0, ""}, "not a resumable meta-training run (no state.bin)");
    }
    config = ParseMetaConfig(
        ConfigNode::FromString(folder.ReadConfig(), folder.Path("config.yaml")), TaskFamilies());
  });
  return std::unique_ptr<MetaRun>(new MetaRun(config, run_dir, true, std::move(ranks)));
}

void MetaRun::Checkpoint() {
  std::ostringstream bytes;
  BinaryWriter out(bytes);
  out.WriteString(kRunStateTag);
  trainer_->SaveState(out);
  if (!Writes()) return;
  trainer_->SaveWeights(folder_.Path("latest.weights"));
  out.WriteU64(folder_.Metrics().CsvBytes());
  out.WriteU64(folder_.Metrics().JsonlBytes());
  out.WriteDouble(best_held_in_);
  out.WriteI64(best_iteration_);
  out.WriteDouble(first_held_in_);
  out.WriteDouble(elapsed_before_);
  folder_.WriteState(bytes.str());
}

void MetaRun::WriteSummary(const MetaRunSummary& s) const {
  const MetaConfig& c = trainer_->Config();
  nlohmann::json j;
  j["config"] = c.source;
  j["optimizer"] = c.optimizer.GetString("type", "");
  j["meta_params"] = trainer_->MetaParams().size();
  j["iterations"] = s.iterations;
  j["wall_seconds"] = s.wall_seconds;
  j["first_held_in"] = NumberOrNull(s.first_held_in);
  j["final_held_in"] = NumberOrNull(s.final_held_in);
  j["final_held_out"] = NumberOrNull(s.final_held_out);
  j["best_held_in"] = NumberOrNull(s.best_held_in);
  j["best_iteration"] = s.best_iteration;
  j["best_weights"] = s.best_weights;
  j["latest_weights"] = s.latest_weights;
  folder_.WriteSummary(j);
}

double MetaRun::Elapsed() const {
  return elapsed_at_start_ +
         std::chrono::duration<double>(std::chrono::steady_clock::now() - session_start_).count();
}

void MetaRun::LogRow(const MetaIterationReport& r, bool evaluated, const MetaEvaluation& e) {
  if (!Writes()) return;
  folder_.Metrics().Append({{"iteration", static_cast<double>(r.iteration)},
                            {"meta_loss", r.meta_loss},
                            {"grad_norm", r.grad_norm},
                            {"step_norm", r.step_norm},
                            {"unrolls_finished", static_cast<double>(r.unrolls_finished)},
                            {"inner_steps", static_cast<double>(r.inner_steps)},
                            {"diverged_particles", static_cast<double>(r.diverged)},
                            {"held_in", evaluated ? e.held_in : kNaN},
                            {"held_out", evaluated ? e.held_out : kNaN},
                            {"eval_diverged", evaluated ? static_cast<double>(e.diverged) : kNaN},
                            {"wall_seconds", Elapsed()}});
}

MetaEvaluation MetaRun::Evaluate() {
  const MetaEvaluation e = trainer_->Evaluate();
  if (std::isnan(first_held_in_)) first_held_in_ = e.held_in;
  if (std::isnan(best_held_in_) || e.held_in < best_held_in_) {
    best_held_in_ = e.held_in;
    best_iteration_ = trainer_->Iteration();
    if (Writes()) trainer_->SaveWeights(folder_.Path("best.weights"));
  }
  return e;
}

MetaRunSummary MetaRun::Run(const std::function<void(const MetaRunReport&)>& progress,
                            int stop_after) {
  session_start_ = std::chrono::steady_clock::now();
  elapsed_at_start_ = elapsed_before_;
  const MetaConfig& c = trainer_->Config();
  MetaEvaluation last_eval;
  last_eval.held_out = kNaN;
  if (trainer_->Iteration() == 0 && c.eval_every > 0) {
    MetaIterationReport zero;
    zero.meta_loss = kNaN;
    last_eval = Evaluate();
    LogRow(zero, true, last_eval);
    Checkpoint();
  }
  while (trainer_->Iteration() < c.iterations &&
         !(stop_after > 0 && trainer_->Iteration() >= stop_after)) {
    MetaRunReport report;
    report.iteration = trainer_->Iterate();
    const int it = trainer_->Iteration();
    CheckMetaParams(it);
    report.evaluated = c.eval_every > 0 && (it % c.eval_every == 0 || it == c.iterations);
    if (report.evaluated) {
      last_eval = Evaluate();
      report.evaluation = last_eval;
    }
    LogRow(report.iteration, report.evaluated, report.evaluation);
    elapsed_before_ = Elapsed();
    if (it % c.checkpoint_every == 0 || it == c.iterations ||
        (stop_after > 0 && it >= stop_after)) {
      Checkpoint();
    }
    report.best_held_in = best_held_in_;
    report.fraction_done = c.iterations > 0 ? static_cast<double>(it) / c.iterations : 1.0;
    progress(report);
  }
  return Finish(last_eval);
}

void MetaRun::CheckMetaParams(int iteration) const {
  try {
    CheckLearnedWeights(trainer_->MetaParams(), "");
  } catch (const Error& e) {
    // Every rank computed the same numbers: the same error everywhere.
    throw SharedError({folder_.Dir(), 0, ""},
                      "meta-iteration " + std::to_string(iteration) + " made " + e.what() +
                          "; stopped, and the run folder keeps its last checkpoint");
  }
}

MetaRunSummary MetaRun::Finish(const MetaEvaluation& last_eval) {
  elapsed_before_ = Elapsed();
  Checkpoint();
  MetaRunSummary s;
  s.iterations = trainer_->Iteration();
  s.wall_seconds = elapsed_before_;
  s.first_held_in = first_held_in_;
  s.final_held_in = last_eval.held_in;
  s.final_held_out = last_eval.held_out;
  s.best_held_in = best_held_in_;
  s.best_iteration = best_iteration_;
  s.latest_weights = folder_.Path("latest.weights");
  s.best_weights = folder_.Path("best.weights");
  if (!Writes()) return s;
  if (std::isnan(best_held_in_)) {
    trainer_->SaveWeights(s.best_weights);  // no evaluation: the latest
  }
  WriteSummary(s);
  return s;
}

}  // namespace mnemo

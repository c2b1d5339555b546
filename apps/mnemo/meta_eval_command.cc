// `mnemo meta-eval CONFIG.yaml [--json FILE]`: learned against hand-designed
// optimizers on held-out tasks; a table of final and mean normalized loss.
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "apps/lib/meta/task_family_list.h"
#include "apps/mnemo/commands.h"
#include "core/io/text_file.h"
#include "core/meta/outer/meta_eval.h"

namespace mnemo {
namespace {

// Options of the command.
struct MetaEvalArgs {
  std::string config;  // the meta-evaluation config
  std::string json;    // where to write the figures as JSON
};

// One cell: "final / mean" (and the tuned lr), "DIVERGED xN" flagged.
std::string Cell(const MethodOutcome& o) {
  char text[64];
  std::snprintf(text, sizeof text, "%7.3f / %7.3f", o.final_loss, o.mean_loss);
  std::string cell = text;
  if (!std::isnan(o.lr)) {
    std::snprintf(text, sizeof text, " (lr %.0e)", o.lr);
    cell += text;
  }
  if (o.diverged > 0) {
    cell += " DIVERGED x";
    cell += std::to_string(o.diverged);
  }
  return cell;
}

// The index of the method with the lowest mean loss among `methods`.
std::size_t BestOf(const std::vector<MethodOutcome>& methods) {
  std::size_t best = 0;
  for (std::size_t i = 0; i < methods.size(); ++i) {
    if (methods[i].mean_loss < methods[best].mean_loss) best = i;
  }
  return best;
}

// The figures of `outcomes` as JSON (every method, the shared-lr variants
// included; "best" among the methods of the config).
nlohmann::json OutcomesJson(const MetaEvalConfig& config,
                            const std::vector<TaskOutcome>& outcomes) {
  nlohmann::json out;
  out["config"] = config.source;
  out["horizon"] = config.horizon;
  out["seeds"] = config.seeds;
  out["tasks"] = nlohmann::json::array();
  for (const TaskOutcome& t : outcomes) {
    nlohmann::json row;
    row["task"] = t.task;
    row["example"] = t.example;
    const std::vector<MethodOutcome> own(t.methods.begin(),
                                         t.methods.begin() + long(config.methods.size()));
    row["best"] = own[BestOf(own)].method;
    for (const MethodOutcome& o : t.methods) {
      nlohmann::json m;
      m["final_loss"] = o.final_loss;
      m["mean_loss"] = o.mean_loss;
      m["diverged"] = o.diverged;
      if (!std::isnan(o.lr)) m["lr"] = o.lr;
      row["methods"][o.method] = m;
    }
    out["tasks"].push_back(row);
  }
  return out;
}

// Prints the tuned methods at their one shared learning rate, per entry.
void PrintSharedLr(const MetaEvalConfig& config, const std::vector<TaskOutcome>& outcomes) {
  for (const TaskOutcome& t : outcomes) {
    for (std::size_t i = config.methods.size(); i < t.methods.size(); ++i) {
      std::printf("%-18s | %-24s | %s\n", t.task.c_str(), t.methods[i].method.c_str(),
                  Cell(t.methods[i]).c_str());
    }
  }
}

// Runs the evaluation, prints the table and writes the JSON.
void RunMetaEvalCommand(const MetaEvalArgs& args) {
  const MetaEvalConfig config = LoadMetaEvalConfig(args.config, TaskFamilies());
  std::printf(
      "normalized loss ln(loss/loss_0): final / mean over %lld steps, "
      "%d seeds (lower is better)\n",
      static_cast<long long>(config.horizon), config.seeds);
  std::printf("%-18s", "task");
  for (const EvalMethod& m : config.methods) std::printf(" | %-30s", m.label.c_str());
  std::printf(" | best\n");
  std::fflush(stdout);
  const std::vector<TaskOutcome> outcomes = RunMetaEval(config, [&](const TaskOutcome& t) {
    std::printf("%-18s", t.task.c_str());
    for (const MethodOutcome& o : t.methods) std::printf(" | %-30s", Cell(o).c_str());
    std::printf(" | %s\n", t.methods[BestOf(t.methods)].method.c_str());
    std::fflush(stdout);
  });
  if (!outcomes.empty() && outcomes.front().methods.size() > config.methods.size()) {
    std::printf("\ntuned once: the one learning rate of the grid best over every entry\n");
    PrintSharedLr(config, outcomes);
  }
  if (!args.json.empty()) {
    WriteFileAtomically(args.json, OutcomesJson(config, outcomes).dump(2) + "\n");
    std::printf("figures: %s\n", args.json.c_str());
  }
}

}  // namespace

void AddMetaEvalCommand(CLI::App& app) {
  auto args = std::make_shared<MetaEvalArgs>();
  auto* cmd =
      app.add_subcommand("meta-eval", "Learned vs hand-designed optimizers on held-out tasks");
  cmd->add_option("config", args->config, "Meta-evaluation config")->required();
  cmd->add_option("--json", args->json, "Also write the figures as JSON here");
  cmd->callback([args] { RunMetaEvalCommand(*args); });
}

}  // namespace mnemo

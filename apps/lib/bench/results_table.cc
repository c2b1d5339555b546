#include "apps/lib/bench/results_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>

#include "apps/lib/bench/robustness_plot.h"
#include "core/io/text_file.h"

namespace mnemo {
namespace {

// A number for a CSV cell: "inf" for +infinity, "" for NaN.
std::string CsvNumber(double v) {
  if (std::isnan(v)) return "";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// A number for the Markdown table with `decimals` decimals: "never" for
// +infinity (a threshold not reached), "-" for NaN.
std::string TableNumber(double v, int decimals) {
  if (std::isnan(v)) return "-";
  if (std::isinf(v)) return v > 0 ? "never" : "-inf";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// "median [q1, q3]".
std::string QuartileText(const Quartiles& q, int decimals) {
  return TableNumber(q.median, decimals) + " [" + TableNumber(q.q1, decimals) + ", " +
         TableNumber(q.q3, decimals) + "]";
}

// A label safe inside a Markdown table cell or a CSV field.
std::string CellText(std::string s) {
  for (char& c : s) {
    if (c == '|' || c == ',' || c == '\n' || c == '"') c = ' ';
  }
  return s;
}

// The cell's run folder relative to the bench folder.
std::string RelativeDir(const std::string& dir, const std::string& out) {
  return std::filesystem::path(dir).lexically_relative(out).string();
}

// The cells.csv text.
std::string CellsCsv(const BenchConfig& config, const BenchResults& results,
                     const std::string& out) {
  std::string text =
      "task,method,seed,episodes,env_steps,wall_seconds,threads,episodes_to_threshold,"
      "final_return,mean_return,run_dir\n";
  for (const CellResult& r : results.cells) {
    text += config.tasks[r.cell.task].name + ',' + config.methods[r.cell.method].id + ',' +
            std::to_string(r.cell.seed) + ',' + CsvNumber(r.log.episodes) + ',' +
            CsvNumber(r.log.env_steps) + ',' + CsvNumber(r.log.wall_seconds) + ',' + r.threads +
            ',' + CsvNumber(r.episodes_to_threshold) + ',' + CsvNumber(r.final_return) + ',' +
            CsvNumber(r.mean_return) + ',' + RelativeDir(r.cell.dir, out) + '\n';
  }
  return text;
}

// The columns a bench with step-size scales adds to a row: the scale, and
// the area's quartiles over the reference method's median area at scale 1.
std::string ScaleColumns(const BenchConfig& config, const BenchResults& results,
                         const MethodRow& row) {
  const Quartiles area = NormalizedArea(config, results, row);
  return ',' + CsvNumber(config.methods[row.method].step_size_scale) + ',' +
         CsvNumber(area.median) + ',' + CsvNumber(area.q1) + ',' + CsvNumber(area.q3);
}

// The robustness section of results.md: per task and method of the bench
// file, the normalized area at each step-size scale and the worst of them.
std::string RobustnessMarkdown(const BenchConfig& config, const BenchResults& results,
                               const std::string& image) {
  std::string md =
      "\n## Robustness to the step size\n\nNormalized area: the median over seeds of the mean "
      "evaluation return over the run, over the reference method's median at m = 1 on the "
      "task, median [Q1, Q3]; the worst is the lowest median over m.\n\n| task | method |";
  std::string rule = "|---|---|";
  for (double m : config.step_size_scales) {
    char head[48];
    std::snprintf(head, sizeof head, " m = %g |", m);
    md += head;
    rule += "---|";
  }
  md += " worst |\n" + rule + "---|\n";
  for (std::size_t t = 0; t < config.tasks.size(); ++t) {
    std::vector<std::string> bases;
    for (const BenchMethod& m : config.methods) {
      if (std::find(bases.begin(), bases.end(), m.base_id) == bases.end())
        bases.push_back(m.base_id);
    }
    for (const std::string& base : bases) {
      std::string line = "| ";
      line += config.tasks[t].name;
      line += " | ";
      line += base;
      line += " |";
      double worst = std::numeric_limits<double>::infinity();
      for (double scale : config.step_size_scales) {
        std::optional<Quartiles> area;
        for (const MethodRow& row : results.rows) {
          const BenchMethod& m = config.methods[row.method];
          if (row.task != int(t) || m.base_id != base || m.step_size_scale != scale) continue;
          area = NormalizedArea(config, results, row);
          worst = std::min(worst, area->median);
        }
        line += ' ';
        line += area ? QuartileText(*area, 2) : std::string("-");
        line += " |";
      }
      md += line;
      md += " ";
      md += TableNumber(worst, 2);
      md += " |\n";
    }
  }
  if (!image.empty()) md += "\n![normalized area against the step-size scale](" + image + ")\n";
  return md;
}

}  // namespace

std::string ResultsCsv(const BenchConfig& config, const BenchResults& results) {
  std::string text =
      "task,method,label,seeds,budget_episodes,threshold,success_rate,"
      "episodes_to_threshold_median,episodes_to_threshold_q1,episodes_to_threshold_q3,"
      "final_return_median,final_return_q1,final_return_q3,mean_return_median,mean_return_q1,"
      "mean_return_q3,wall_seconds_median,env_steps_per_second";
  const bool scaled = !config.step_size_scales.empty();
  if (scaled) {
    text += ",step_size_scale,normalized_area_median,normalized_area_q1,normalized_area_q3";
  }
  text += '\n';
  for (const MethodRow& row : results.rows) {
    const BenchTask& task = config.tasks[row.task];
    const BenchMethod& method = config.methods[row.method];
    text += task.name + ',' + method.id + ',' + CellText(method.label) + ',' +
            std::to_string(row.seeds) + ',' + std::to_string(task.max_episodes) + ',' +
            CsvNumber(task.threshold) + ',' + CsvNumber(row.success_rate) + ',' +
            CsvNumber(row.episodes_to_threshold.median) + ',' +
            CsvNumber(row.episodes_to_threshold.q1) + ',' +
            CsvNumber(row.episodes_to_threshold.q3) + ',' + CsvNumber(row.final_return.median) +
            ',' + CsvNumber(row.final_return.q1) + ',' + CsvNumber(row.final_return.q3) + ',' +
            CsvNumber(row.mean_return.median) + ',' + CsvNumber(row.mean_return.q1) + ',' +
            CsvNumber(row.mean_return.q3) + ',' + CsvNumber(row.wall_seconds_median) + ',' +
            CsvNumber(row.env_steps_per_second) +
            (scaled ? ScaleColumns(config, results, row) : std::string()) + '\n';
  }
  return text;
}

std::string ResultsMarkdown(const BenchConfig& config, const BenchResults& results,
                            const ReportContext& context) {
  const auto listed = [](const std::vector<std::uint64_t>& list) {
    std::string text;
    for (std::uint64_t s : list) {
      if (!text.empty()) text += ", ";
      text += std::to_string(s);
    }
    return text;
  };
  std::string seeds = listed(config.seeds);
  for (const BenchTask& task : config.tasks) {
    if (SeedsOf(config, task) != config.seeds) {
      seeds += " (" + task.name + ": " + listed(SeedsOf(config, task)) + ")";
    }
  }
  std::string md = "# Bench results: " + config.source + "\n\n";
  md += "- command: `" + context.command + "`\n";
  md += "- date: " + context.date + "; machine: " + context.machine + "\n";
  const int cells = static_cast<int>(results.cells.size());
  md += "- " + std::to_string(cells) + " runs (task x method x seed), seeds " + seeds +
        " for every method; ";
  const std::string plan = std::to_string(context.jobs) + " at a time with " +
                           std::to_string(context.threads_per_cell) + " rollout thread(s) each";
  if (context.reused >= cells) {
    md += "every run was finished by an earlier session";
  } else if (context.elsewhere == 0) {
    md += std::to_string(context.reused) + " reused from earlier sessions, the others run " + plan;
  } else {
    md += std::to_string(context.reused) + " reused from earlier sessions, " +
          std::to_string(context.elsewhere) + " run by other shards or processes, " +
          std::to_string(cells - context.reused - context.elsewhere) + " run here, " + plan;
  }
  md += " (cells.csv lists each run's threads)\n";
  if (!context.shard.empty()) {
    md += "- run in shards; shard " + context.shard +
          " finished last and wrote this report (the machine above is its machine)\n";
  }
  std::string disabled;
  for (const BenchMethod& m : config.methods) {
    if (m.enabled) continue;
    if (!disabled.empty()) disabled += ", ";
    disabled += CellText(m.label);
  }
  if (!disabled.empty()) md += "- not run (disabled in the bench file): " + disabled + "\n";
  md +=
      "- **episodes to threshold**: training episodes at the first evaluation whose mean "
      "return reaches the task's threshold; a run that never reaches it counts as "
      "infinitely many (\"never\")\n"
      "- **median [Q1, Q3]**: over seeds; quartiles by linear interpolation between "
      "order statistics (Hyndman-Fan type 7, numpy's default)\n"
      "- **final return**: mean return of the run's last evaluation (the noise-free "
      "policy, undiscounted, no reward shift)\n"
      "- **mean return over the run**: the area under the run's evaluation curve divided by "
      "the episodes it spans (for evenly spaced evaluations, the mean of their returns): "
      "high when a run is good early and stays good\n"
      "- **wall time**: median over seeds of one run's time (training and evaluation); "
      "**env steps/s**: all runs' environment steps over their summed wall time\n";
  for (std::size_t t = 0; t < config.tasks.size(); ++t) {
    const BenchTask& task = config.tasks[t];
    char head[256];
    std::snprintf(head, sizeof head,
                  "\n## %s\n\nBudget %lld training episodes per run; threshold %g (%s).\n\n",
                  task.name.c_str(), static_cast<long long>(task.max_episodes), task.threshold,
                  task.published_threshold ? "ARS paper" : "set by the bench file");
    md += head;
    md +=
        "| method | success | episodes to threshold, median [Q1, Q3] | final return, median "
        "[Q1, Q3] | mean return over the run, median [Q1, Q3] | wall time per run | env "
        "steps/s |\n"
        "|---|---|---|---|---|---|---|\n";
    for (const MethodRow& row : results.rows) {
      if (row.task != int(t)) continue;
      const long reached = std::lround(row.success_rate * row.seeds);
      md += "| " + CellText(config.methods[row.method].label) + " | " + std::to_string(reached) +
            "/" + std::to_string(row.seeds) + " | " + QuartileText(row.episodes_to_threshold, 0) +
            " | " + QuartileText(row.final_return, 1) + " | " + QuartileText(row.mean_return, 1) +
            " | " + TableNumber(row.wall_seconds_median, 1) + " s | " +
            TableNumber(row.env_steps_per_second, 0) + " |\n";
    }
    if (t < context.images.size() && !context.images[t].empty()) {
      md += "\n![" + task.name + " learning curves](" + context.images[t] + ")\n";
    }
  }
  if (HasRobustnessPlot(config))
    md += RobustnessMarkdown(config, results, context.robustness_image);
  return md;
}

void WriteResultTables(const BenchConfig& config, const BenchResults& results,
                       const ReportContext& context, const std::string& out) {
  WriteFileAtomically(out + "/results.md", ResultsMarkdown(config, results, context));
  WriteFileAtomically(out + "/results.csv", ResultsCsv(config, results));
  WriteFileAtomically(out + "/cells.csv", CellsCsv(config, results, out));
}

}  // namespace mnemo

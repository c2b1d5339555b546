#include "apps/lib/bench/learning_curves.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include "apps/lib/bench/robustness_plot.h"
#include "core/io/text_file.h"

namespace mnemo {
namespace {

// Budgets at which a band is drawn (B/60, ..., B).
constexpr int kCurvePoints = 60;
// A threshold line is drawn when a curve comes at least this close to it
// (otherwise it would squash the curves).
constexpr double kThresholdLineFraction = 0.5;
// Exit status of a child that could not start the program.
constexpr int kExecFailed = 127;

// Evaluation curves of the runs of `method` on `task`.
std::vector<std::vector<EvalPoint>> RunsOf(const BenchResults& results, int task, int method) {
  std::vector<std::vector<EvalPoint>> runs;
  for (const CellResult& r : results.cells) {
    if (r.cell.task == task && r.cell.method == method) runs.push_back(r.log.evaluations);
  }
  return runs;
}

// Data file name of a task.
std::string DataName(const BenchTask& task) { return "curves_" + task.name + ".dat"; }

// Image file name of a task.
std::string ImageName(const BenchTask& task) { return "curves_" + task.name + ".png"; }

// `s` inside a double-quoted gnuplot string.
std::string Quoted(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + '"';
}

// The data file of one task, and the highest upper quartile in it.
std::string TaskData(const BenchConfig& config, const BenchResults& results, int task,
                     double* top) {
  std::string text;
  for (const MethodRow& row : results.rows) {
    if (row.task != task) continue;
    const auto band = CurveBand(RunsOf(results, task, row.method),
                                double(config.tasks[task].max_episodes), kCurvePoints);
    text += "# " + config.methods[row.method].label + ": episodes median q1 q3\n";
    for (const BandPoint& p : band) {
      char line[128];
      std::snprintf(line, sizeof line, "%.10g %.10g %.10g %.10g\n", p.episodes, p.value.median,
                    p.value.q1, p.value.q3);
      text += line;
      *top = std::max(*top, p.value.q3);
    }
    text += "\n\n";  // gnuplot: next data block (index)
  }
  return text;
}

// Runs `argv` in folder `dir`; returns its exit status (kExecFailed if it
// could not start, -1 if it died of a signal).
int RunInFolder(const std::vector<std::string>& argv, const std::string& dir) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return kExecFailed;
  if (pid == 0) {
    if (chdir(dir.c_str()) == 0) execvp(args[0], args.data());
    _exit(kExecFailed);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return kExecFailed;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Ten well-separated line colours (the "Tableau 10" palette); methods past
// the tenth reuse them with dashed lines.
constexpr const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
constexpr int kPaletteSize = sizeof kPalette / sizeof kPalette[0];

}  // namespace

std::string CurvesScript(const BenchConfig& config, const BenchResults& results) {
  std::string gp =
      "# Learning curves of the bench. Run in this folder: gnuplot curves.gp\n"
      "# Lines: median evaluation return over seeds; bands: inter-quartile range.\n"
      "if (strstrt(GPVAL_TERMINALS, \"pngcairo\") > 0) {\n"
      "  set terminal pngcairo size 1120,600 noenhanced font \",11\"\n"
      "} else {\n"
      "  set terminal png truecolor size 1120,600 noenhanced\n"
      "}\n"
      "set grid\n"
      "set key outside right top vertical Left reverse\n"
      "set xlabel \"training episodes\"\n"
      "set ylabel \"evaluation return\"\n"
      "set style fill transparent solid 0.15 noborder\n";
  for (std::size_t t = 0; t < config.tasks.size(); ++t) {
    const BenchTask& task = config.tasks[t];
    double top = -std::numeric_limits<double>::infinity();
    TaskData(config, results, int(t), &top);
    std::string plot;
    int index = 0;
    for (const MethodRow& row : results.rows) {
      if (row.task != int(t)) continue;
      const std::string color = std::string("rgb \"") + kPalette[index % kPaletteSize] + "\"";
      const std::string dashes = " dt " + std::to_string(1 + index / kPaletteSize);
      if (!plot.empty()) plot += ", \\\n     ";
      plot += Quoted(DataName(task)) + " index " + std::to_string(index) +
              " using 1:3:4 with filledcurves lc " + color + " notitle, \\\n     " +
              Quoted(DataName(task)) + " index " + std::to_string(index) +
              " using 1:2 with lines lw 2 lc " + color + dashes + " title " +
              Quoted(config.methods[row.method].label);
      ++index;
    }
    if (plot.empty()) continue;
    if (task.threshold > 0 && top >= kThresholdLineFraction * task.threshold) {
      char line[160];
      std::snprintf(line, sizeof line,
                    ", \\\n     %.10g with lines dt 2 lc rgb \"gray40\" title \"threshold %g\"",
                    task.threshold, task.threshold);
      plot += line;
    }
    char title[256];
    std::snprintf(title, sizeof title, "%s: evaluation return, median over %zu seed(s), band Q1-Q3",
                  task.name.c_str(), SeedsOf(config, task).size());
    gp += "\nset output " + Quoted(ImageName(task)) + "\nset title " + Quoted(title) + "\nplot " +
          plot + "\nunset output\n";
  }
  return gp + RobustnessScript(config);
}

CurvesOutcome DrawLearningCurves(const BenchConfig& config, const BenchResults& results,
                                 const std::string& out) {
  namespace fs = std::filesystem;
  for (std::size_t t = 0; t < config.tasks.size(); ++t) {
    double top = 0;
    const fs::path png = fs::path(out) / ImageName(config.tasks[t]);
    fs::remove(png);  // a stale image must not pass for a new one
    WriteFileAtomically((fs::path(out) / DataName(config.tasks[t])).string(),
                        TaskData(config, results, int(t), &top));
  }
  const bool robustness = HasRobustnessPlot(config);
  if (robustness) {
    fs::remove(fs::path(out) / kRobustnessImage);
    for (std::size_t t = 0; t < config.tasks.size(); ++t) {
      WriteFileAtomically((fs::path(out) / RobustnessDataName(config, int(t))).string(),
                          RobustnessData(config, results, int(t)));
    }
  }
  WriteFileAtomically(out + "/curves.gp", CurvesScript(config, results));

  CurvesOutcome outcome;
  const char* env = std::getenv("MNEMO_GNUPLOT");
  const std::string program = env && *env ? env : "gnuplot";
  const int status = RunInFolder({program, "curves.gp"}, out);
  const std::string later =
      "; the data and curves.gp are in " + out + " (run `gnuplot curves.gp` there)";
  if (status == kExecFailed) {
    outcome.problem = "learning curves not drawn: cannot run '" + program +
                      "' (install gnuplot-nox, e.g. with scripts/setup.sh)" + later;
  } else if (status != 0) {
    outcome.problem = "learning curves not drawn: " + program + " failed (exit status " +
                      std::to_string(status) + ")" + later;
  }
  for (const BenchTask& task : config.tasks) {
    const bool drawn = outcome.problem.empty() && fs::exists(fs::path(out) / ImageName(task));
    outcome.images.push_back(drawn ? ImageName(task) : "");
  }
  if (robustness && outcome.problem.empty() && fs::exists(fs::path(out) / kRobustnessImage)) {
    outcome.robustness_image = kRobustnessImage;
  }
  return outcome;
}

}  // namespace mnemo

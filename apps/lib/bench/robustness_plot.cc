#include "apps/lib/bench/robustness_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

namespace mnemo {
namespace {

// The base ids of the bench's methods, in file order, each once.
std::vector<std::string> BaseIds(const BenchConfig& config) {
  std::vector<std::string> ids;
  for (const BenchMethod& m : config.methods) {
    if (std::find(ids.begin(), ids.end(), m.base_id) == ids.end()) ids.push_back(m.base_id);
  }
  return ids;
}

// The label of `base_id` at scale 1 (the plain label), else its id.
std::string BaseLabel(const BenchConfig& config, const std::string& base_id) {
  for (const BenchMethod& m : config.methods) {
    if (m.base_id == base_id && m.step_size_scale == 1) return m.label;
  }
  return base_id;
}

// `s` inside a double-quoted gnuplot string.
std::string Quoted(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + '"';
}

// gnuplot's tic label of a scale: "1/4", "1", "4".
std::string TicLabel(double m) {
  char text[32];
  if (m < 1 && std::round(1 / m) == 1 / m) {
    std::snprintf(text, sizeof text, "1/%g", 1 / m);
  } else {
    std::snprintf(text, sizeof text, "%g", m);
  }
  return text;
}

// Line colours, as the learning curves use them.
constexpr const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
constexpr int kPaletteSize = sizeof kPalette / sizeof kPalette[0];

}  // namespace

bool HasRobustnessPlot(const BenchConfig& config) {
  return !config.step_size_scales.empty() && !config.reference_method.empty();
}

std::string RobustnessDataName(const BenchConfig& config, int task) {
  return "robustness_" + config.tasks[task].name + ".dat";
}

std::string RobustnessData(const BenchConfig& config, const BenchResults& results, int task) {
  std::string text;
  for (const std::string& base : BaseIds(config)) {
    std::map<double, Quartiles> by_scale;
    for (const MethodRow& row : results.rows) {
      const BenchMethod& m = config.methods[row.method];
      if (row.task == task && m.base_id == base) {
        by_scale[m.step_size_scale] = NormalizedArea(config, results, row);
      }
    }
    text += "# " + BaseLabel(config, base) + ": step-size scale, normalized area median q1 q3\n";
    for (const auto& [m, area] : by_scale) {
      char line[128];
      std::snprintf(line, sizeof line, "%.10g %.10g %.10g %.10g\n", m, area.median, area.q1,
                    area.q3);
      text += line;
    }
    text += "\n\n";  // gnuplot: next data block (index)
  }
  return text;
}

std::string RobustnessScript(const BenchConfig& config) {
  if (!HasRobustnessPlot(config)) return "";
  std::string tics;
  for (double m : config.step_size_scales) {
    tics += (tics.empty() ? "" : ", ") + Quoted(TicLabel(m)) + " " + std::to_string(m);
  }
  const int panels = static_cast<int>(config.tasks.size());
  std::string gp = "\n# Robustness: normalized area against the step-size scale, per task.\n";
  gp += "set terminal push\n";
  char size[256];
  std::snprintf(size, sizeof size,
                "if (strstrt(GPVAL_TERMINALS, \"pngcairo\") > 0) { set terminal pngcairo size "
                "%d,420 noenhanced font \",10\" } else { set terminal png size %d,420 }\n",
                320 * panels + 80, 320 * panels + 80);
  gp += size;
  gp += "set output " + Quoted(kRobustnessImage) + "\n";
  gp += "set multiplot layout 1," + std::to_string(panels) +
        " title \"normalized area (median, band Q1-Q3) against the step-size scale\"\n";
  gp += "set logscale x 2\nset xtics (" + tics + ")\nset xlabel \"step-size scale m\"\n";
  gp += "set yrange [*:*]\nset key top left\n";
  const std::vector<std::string> bases = BaseIds(config);
  for (int t = 0; t < panels; ++t) {
    gp += "set title " + Quoted(config.tasks[t].name) + "\n";
    gp += t == 0
              ? "set ylabel " +
                    Quoted("area / " + BaseLabel(config, config.reference_method) + "'s at m = 1") +
                    "\n"
              : "unset ylabel\n";
    std::string plot;
    for (std::size_t b = 0; b < bases.size(); ++b) {
      const std::string color = std::string("rgb \"") + kPalette[b % kPaletteSize] + "\"";
      const std::string data =
          Quoted(RobustnessDataName(config, t)) + " index " + std::to_string(b);
      const std::string title = t == 0 ? Quoted(BaseLabel(config, bases[b])) : "\"\"";
      if (!plot.empty()) plot += ", \\\n     ";
      plot += data + " using 1:3:4 with filledcurves lc " + color + " notitle, \\\n     " + data +
              " using 1:2 with linespoints lw 2 pt 7 lc " + color + " title " + title;
    }
    gp += "plot " + plot + ", \\\n     1 with lines dt 2 lc rgb \"gray40\" notitle\n";
  }
  gp += "unset multiplot\nunset output\nunset logscale x\nset xtics auto\nset terminal pop\n";
  return gp;
}

}  // namespace mnemo

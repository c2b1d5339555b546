// Learning curves of a bench as PNG images, one per task: the median
// evaluation return over seeds against training episodes, with the
// inter-quartile band, one line per method; drawn by gnuplot.
#pragma once

#include <string>
#include <vector>

#include "apps/lib/bench/bench_results.h"

namespace mnemo {

// What drawing the curves gave.
struct CurvesOutcome {
  std::vector<std::string> images;  // per task: PNG name in the bench folder ("": none)
  std::string robustness_image;     // the robustness plot's PNG ("": none)
  std::string problem;              // why no images were drawn ("" if they were)
};

// Writes curves_<task>.dat (per method a block of: episodes, median, Q1, Q3)
// and curves.gp into `out` (with a bench of step-size scales, also the
// robustness plot's data and commands: robustness_plot.h), then runs gnuplot there (the program
// named by $MNEMO_GNUPLOT, default "gnuplot"; pngcairo terminal, else png). A missing or failing
// gnuplot is not an error: the outcome says what happened and the data and script stay for later.
CurvesOutcome DrawLearningCurves(const BenchConfig& config, const BenchResults& results,
                                 const std::string& out);

// The gnuplot script that draws every task's PNG from its data file.
std::string CurvesScript(const BenchConfig& config, const BenchResults& results);

}  // namespace mnemo

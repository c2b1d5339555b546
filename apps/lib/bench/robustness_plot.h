// The robustness plot of a bench with step-size scales (e.g.
// configs/bench/no_tuning.yaml): one panel per task, the normalized area
// (median over seeds, inter-quartile band) against the step-size scale m on
// a log axis, one line per method of the bench file. Drawn by gnuplot with
// the learning curves (learning_curves.h).
#pragma once

#include <string>

#include "apps/lib/bench/bench_results.h"

namespace mnemo {

// The image the plot is drawn into, in the bench folder.
inline constexpr char kRobustnessImage[] = "robustness.png";

// Whether the bench has a robustness plot: step-size scales and a reference.
bool HasRobustnessPlot(const BenchConfig& config);

// The data file of task `task`'s panel (robustness_<task>.dat): per method
// of the bench file a block of lines "m median q1 q3", ascending m.
std::string RobustnessData(const BenchConfig& config, const BenchResults& results, int task);

// Its file name.
std::string RobustnessDataName(const BenchConfig& config, int task);

// The gnuplot commands that draw kRobustnessImage from the data files.
std::string RobustnessScript(const BenchConfig& config);

}  // namespace mnemo

// Statistics of a benchmark over seeds: quantiles, success rate,
// episodes-to-threshold and learning-curve bands. Pure functions, no I/O.
#pragma once

#include <cstdint>
#include <vector>

namespace mnemo {

// One evaluation of a run: training episodes so far and the mean evaluation
// return of the (noise-free) policy at that moment.
struct EvalPoint {
  double episodes = 0;
  double eval_return = 0;
};

// Lower quartile, median and upper quartile of a sample.
struct Quartiles {
  double q1 = 0;
  double median = 0;
  double q3 = 0;
};

// The q-quantile (q in [0, 1]) of `values` by linear interpolation between
// order statistics (Hyndman & Fan type 7, numpy's default): with the values
// sorted as x[0] <= ... <= x[n-1] and h = (n - 1) q, it is
// x[floor(h)] + (h - floor(h)) (x[floor(h) + 1] - x[floor(h)]).
// +infinity is allowed (a run that never reached a threshold): it sorts last,
// and interpolating towards it gives +infinity. Empty input: NaN.
double Quantile(std::vector<double> values, double q);

// The median (type-7 quantile 0.5).
double Median(const std::vector<double>& values);

// Quartiles 0.25, 0.5 and 0.75 (type 7).
Quartiles QuartilesOf(const std::vector<double>& values);

// Fraction of `episodes_to_threshold` that are finite (runs that reached the
// threshold); NaN for an empty list.
double SuccessRate(const std::vector<double>& episodes_to_threshold);

// Training episodes at the first evaluation whose mean return is >=
// `threshold`; +infinity if no evaluation reaches it.
double EpisodesToThreshold(const std::vector<EvalPoint>& curve, double threshold);

// Mean return of the last evaluation of a run; NaN if it has none.
double FinalReturn(const std::vector<EvalPoint>& curve);

// The mean evaluation return over a run: the area under its evaluation
// curve (trapezoids over training episodes) divided by the episodes it
// spans, which for evenly spaced evaluations is the mean of their returns.
// It rewards a run that is good early and stays good, where the final
// return sees only the end. One evaluation: its return; none: NaN.
double MeanReturn(const std::vector<EvalPoint>& curve);

// The return of the latest evaluation at or before `episodes` (the policy a
// user would hold at that budget); NaN if the run had not evaluated yet.
double ReturnAt(const std::vector<EvalPoint>& curve, double episodes);

// One point of a learning-curve band over seeds.
struct BandPoint {
  double episodes = 0;
  Quartiles value;
};

// Quartiles over `runs` of ReturnAt at the `points` evenly spaced budgets
// B/points, ..., B (B = `budget`; not 0, before any training), keeping only
// the budgets at which every run has evaluated. At B itself each run's final evaluation is
// used (a run stops at the first iteration boundary at or past its budget).
std::vector<BandPoint> CurveBand(const std::vector<std::vector<EvalPoint>>& runs, double budget,
                                 int points);

}  // namespace mnemo

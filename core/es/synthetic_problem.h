// Synthetic blackbox test functions as Problems (fitness = -loss), for tests
// and meta-training: sphere (an ellipsoid when conditioned), Rosenbrock,
// Rastrigin, Ackley and a linear function, optionally rotated, scaled and
// shifted at random.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/es/problem.h"
#include "core/io/config_node.h"

namespace mnemo {

// The test functions, each with its minimum 0 at z = 0 (but the linear one).
enum class SyntheticKind { kSphere, kRosenbrock, kRastrigin, kAckley, kLinear };

// Names of the kinds ("sphere", "rosenbrock", "rastrigin", "ackley",
// "linear"), in enum order.
const std::vector<std::string>& SyntheticKindNames();

// What a synthetic problem computes. The loss is f(z) with
// z = S R (x - x*): S scales coordinate i by condition^(i / (2 (n - 1))) (so
// the sphere becomes an ellipsoid of that condition number), R is a random
// rotation or the identity, x* a random optimum or 0.
struct SyntheticSpec {
  SyntheticKind kind = SyntheticKind::kSphere;  // the function f
  int dim = 10;                                 // n
  double condition = 1.0;                       // ratio of the largest to smallest curvature
  bool rotate = false;                          // draw R at random (Haar) instead of identity
  double offset = 0.0;                          // x* ~ N(0, offset^2 I)
  std::uint64_t seed = 0;                       // draws R and x*
};

// Reads a spec from a config section (keys function, dim, condition,
// rotate, offset, seed), with errors naming file, line and key.
SyntheticSpec SyntheticSpecFromConfig(const ConfigNode& config);

// A synthetic function as a Problem: fitness = -loss.
class SyntheticProblem final : public Problem {
 public:
  // Draws the rotation and offset of `spec`.
  explicit SyntheticProblem(const SyntheticSpec& spec);

  int Dim() const override { return spec_.dim; }
  ParamLayout Layout() const override;
  void Evaluate(std::span<const Vec> xs, std::span<double> fitness, EvalStats* stats) override;

  // The loss at x (0 at the optimum; unbounded below for the linear kind).
  double Loss(const Vec& x) const;
  // The exact gradient of the loss at x.
  Vec LossGradient(const Vec& x) const;
  // The minimiser x* (the linear function's zero point).
  const Vec& Optimum() const { return optimum_; }
  // What this problem computes.
  const SyntheticSpec& Spec() const { return spec_; }

 private:
  // z = S R (x - x*).
  Vec Transform(const Vec& x) const;

  SyntheticSpec spec_;
  Vec scales_;    // S's diagonal
  Mat rotation_;  // R (empty when not rotated)
  Vec optimum_;   // x*
};

}  // namespace mnemo

// Linear policies on random linear systems with quadratic costs (LQR, as in
// the ARS paper's experiments): cheap control with the noise structure of
// policy search, for meta-training and tests. The system
//   x_{t+1} = A x_t + B u_t + w_t,   u_t = K x_t,
// runs for `horizon` steps from x_0 ~ N(0, I) with process noise
// w_t ~ N(0, noise^2 I); the cost of a step is x'x + r u'u. Fitness is minus
// the mean step cost over `episodes` episodes whose starts and noise are
// fixed by the seed (the same for every candidate), so the problem is a
// deterministic function of K. A closed loop that blows up costs at most
// kMaxLqrCost per step.
#pragma once

#include <cstdint>

#include "core/es/problem.h"
#include "core/io/config_node.h"
#include "core/math/types.h"

namespace mnemo {

// The largest cost charged for one step (a diverging closed loop).
constexpr double kMaxLqrCost = 1e6;

// What an LQR problem is.
struct LqrSpec {
  int state_dim = 4;              // n
  int action_dim = 2;             // k
  int horizon = 50;               // steps per episode
  int episodes = 2;               // episodes averaged per evaluation
  double noise = 0.1;             // std of the process noise
  double control_cost = 0.1;      // r
  double spectral_radius = 1.05;  // of A (above 1: uncontrolled, the state grows)
  std::uint64_t seed = 0;         // draws A, B, the starts and the noise
};

// An LQR problem as a Problem over theta = vec(K) (k x n, row-major).
class LqrProblem final : public Problem {
 public:
  // Draws A, B and the episodes' starts and noise of `spec`.
  explicit LqrProblem(const LqrSpec& spec);

  int Dim() const override { return spec_.action_dim * spec_.state_dim; }
  ParamLayout Layout() const override;
  void Evaluate(std::span<const Vec> xs, std::span<double> fitness, EvalStats* stats) override;

  // The mean step cost of the policy theta over the fixed episodes.
  double Cost(const Vec& theta) const;
  // The gain of the finite-horizon optimal controller without noise
  // (Riccati recursion, its first-step gain), as theta: a reference point
  // that random search should approach.
  Vec RiccatiGain() const;
  // What this problem is.
  const LqrSpec& Spec() const { return spec_; }

 private:
  LqrSpec spec_;
  Mat a_;                   // n x n
  Mat b_;                   // n x k
  Mat starts_;              // n x episodes
  std::vector<Mat> noise_;  // per episode: n x horizon
};

}  // namespace mnemo

#include "core/es/lqr_problem.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <string>

#include "core/math/random_stream.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

// Stream keys of the draws.
constexpr std::uint64_t kSystemKey = 0x1a;
constexpr std::uint64_t kEpisodeKey = 0x1b;

// A rows x cols matrix of N(0, 1) numbers.
Mat Gaussian(int rows, int cols, Stream& rng) {
  Mat m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = rng.Normal();
  return m;
}

}  // namespace

LqrProblem::LqrProblem(const LqrSpec& spec) : spec_(spec) {
  if (spec.state_dim < 1 || spec.action_dim < 1 || spec.horizon < 1 || spec.episodes < 1 ||
      !(spec.noise >= 0.0) || !(spec.control_cost > 0.0) || !(spec.spectral_radius > 0.0)) {
    throw Error(
        "lqr: sizes must be positive, noise non-negative, control cost and spectral "
        "radius positive");
  }
  const int n = spec.state_dim;
  Stream system(spec.seed, kSystemKey, 0);
  a_ = Gaussian(n, n, system);
  const double radius = Eigen::EigenSolver<Mat>(a_, false).eigenvalues().cwiseAbs().maxCoeff();
  a_ *= radius > 0.0 ? spec.spectral_radius / radius : 0.0;
  b_ = Gaussian(n, spec.action_dim, system) / std::sqrt(double(n));
  Stream episodes(spec.seed, kEpisodeKey, 0);
  starts_ = Gaussian(n, spec.episodes, episodes);
  for (int e = 0; e < spec.episodes; ++e) {
    noise_.push_back(spec.noise * Gaussian(n, spec.horizon, episodes));
  }
}

ParamLayout LqrProblem::Layout() const {
  ParamLayout layout;
  layout.Add("gain", spec_.action_dim, spec_.state_dim);
  return layout;
}

double LqrProblem::Cost(const Vec& theta) const {
  const int n = spec_.state_dim;
  const int k = spec_.action_dim;
  if (theta.size() != n * k) {
    throw Error("lqr: theta has " + std::to_string(theta.size()) + " numbers, K has " +
                std::to_string(n * k));
  }
  const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>
      gain(theta.data(), k, n);
  double total = 0.0;
  for (int e = 0; e < spec_.episodes; ++e) {
    Vec x = starts_.col(e);
    bool diverged = false;
    for (int t = 0; t < spec_.horizon; ++t) {
      if (diverged) {
        total += kMaxLqrCost;
        continue;
      }
      const Vec u = gain * x;
      const double cost = x.squaredNorm() + spec_.control_cost * u.squaredNorm();
      if (!(cost < kMaxLqrCost)) {
        diverged = true;
        total += kMaxLqrCost;
        continue;
      }
      total += cost;
      x = a_ * x + b_ * u + noise_[e].col(t);
    }
  }
  return total / double(spec_.episodes * spec_.horizon);
}

void LqrProblem::Evaluate(std::span<const Vec> xs, std::span<double> fitness, EvalStats* stats) {
  for (std::size_t i = 0; i < xs.size(); ++i) fitness[i] = -Cost(xs[i]);
  if (stats != nullptr) {
    stats->env_steps += static_cast<std::int64_t>(xs.size()) * spec_.episodes * spec_.horizon;
  }
}

Vec LqrProblem::RiccatiGain() const {
  const int n = spec_.state_dim;
  const int k = spec_.action_dim;
  const Mat q = Mat::Identity(n, n);
  const Mat r = spec_.control_cost * Mat::Identity(k, k);
  Mat p = q;
  Mat gain = Mat::Zero(k, n);
  for (int t = 0; t < spec_.horizon; ++t) {
    gain = -(r + b_.transpose() * p * b_).ldlt().solve(b_.transpose() * p * a_);
    p = q + a_.transpose() * p * (a_ + b_ * gain);
    p = 0.5 * (p + p.transpose());
  }
  Vec theta(n * k);
  for (int i = 0; i < k; ++i) {
    for (int j = 0; j < n; ++j) theta[i * n + j] = gain(i, j);
  }
  return theta;
}

}  // namespace mnemo

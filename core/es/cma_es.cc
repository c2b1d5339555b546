// CMA-ES (Hansen, "The CMA Evolution Strategy: A Tutorial", 2016) behind the
// ask/tell loop: full covariance with a lazily refreshed eigendecomposition
// for small problems, separable sep-CMA (Ros & Hansen 2008) for large ones,
// and optional IPOP restarts (Auger & Hansen 2005) that double the population
// when a stopping criterion fires. It maximises fitness (CMA's usual
// minimisation of -fitness) and moves its mean (theta) by its own rule.
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/es/antithetic_sampler.h"
#include "core/es/cma_parameters.h"
#include "core/es/fitness_shaping.h"
#include "core/es/search_method_list.h"
#include "core/es/state_header.h"
#include "core/es/strategy.h"

namespace mnemo {
namespace {

// Generations of best and median fitness kept for the stagnation test.
constexpr std::size_t kMaxHistory = 20000;

// The largest population; IPOP restarts stop before they would pass it.
constexpr std::int64_t kMaxPopulation = 1 << 20;

// The median of values[begin, end) (copies; the range must not be empty).
double MedianOf(const std::vector<double>& values, std::size_t begin, std::size_t end) {
  std::vector<double> part(values.begin() + begin, values.begin() + end);
  const std::size_t mid = part.size() / 2;
  std::nth_element(part.begin(), part.begin() + mid, part.end());
  double median = part[mid];
  if (part.size() % 2 == 0) {
    median = 0.5 * (median + *std::max_element(part.begin(), part.begin() + mid));
  }
  return median;
}

// Writes a vector of doubles as a Vec.
void WriteDoubles(BinaryWriter& out, const std::vector<double>& values) {
  out.WriteVec(Eigen::Map<const Vec>(values.data(), values.size()));
}

// Reads what WriteDoubles wrote.
std::vector<double> ReadDoubles(BinaryReader& in) {
  const Vec v = in.ReadVecAsIs();  // returns: -infinity is one
  return std::vector<double>(v.data(), v.data() + v.size());
}

// The CMA-ES strategy: mean, step size, covariance and evolution paths.
class CmaEs final : public Strategy {
 public:
  explicit CmaEs(const ConfigNode& config) {
    config.AllowOnly({"type", "sigma", "population", "diagonal", "diagonal_threshold", "restarts",
                      "tol_fun", "tol_x", "max_condition"});
    sigma0_ = config.GetDouble("sigma", 0.1, 1e-12, 1e12);
    population0_ = static_cast<int>(config.GetInt("population", 0, 2, kMaxPopulation));
    diagonal_mode_ = config.GetString("diagonal", "auto", {"auto", "true", "false"});
    diagonal_threshold_ = static_cast<int>(config.GetInt("diagonal_threshold", 200, 1, 1 << 30));
    max_restarts_ = static_cast<int>(config.GetInt("restarts", 0, 0, 20));
    tol_fun_ = config.GetDouble("tol_fun", 1e-12, 0.0, 1e300);
    tol_x_ = config.GetDouble("tol_x", 1e-12, 0.0, 1e300);
    max_condition_ = config.GetDouble("max_condition", 1e14, 1.0, 1e300);
  }

  std::string Name() const override { return "cma_es"; }

  void Reset(const ParamLayout& layout, Vec theta) override {
    if (theta.size() != layout.Size()) {
      throw Error("search: initial theta has " + std::to_string(theta.size()) +
                  " numbers, the problem has " + std::to_string(layout.Size()));
    }
    dim_ = layout.Size();
    diagonal_ =
        diagonal_mode_ == "true" || (diagonal_mode_ == "auto" && dim_ > diagonal_threshold_);
    restarts_ = 0;
    mean_ = std::move(theta);
    pending_ = false;
    StartRun();
  }

  void Ask(std::uint64_t seed, std::uint64_t iteration, std::vector<Vec>* xs) override {
    seed_ = seed;
    iteration_ = iteration;
    DrawSamples();
    xs->resize(params_.lambda);
    for (int k = 0; k < params_.lambda; ++k) {
      (*xs)[k] = mean_ + sigma_ * y_.col(k);
    }
    pending_ = true;
  }

  StrategyStep Tell(std::span<const double> fitness, std::span<const double> /*task_returns*/,
                    double /*budget_fraction*/) override {
    if (!pending_) throw Error("search: Tell without a pending Ask");
    if (static_cast<int>(fitness.size()) != params_.lambda) {
      throw Error("search: told " + std::to_string(fitness.size()) + " fitness values for " +
                  std::to_string(params_.lambda) + " candidates");
    }
    pending_ = false;
    const CmaParameters& p = params_;
    const std::vector<int> order = OrderBestFirst(fitness);

    // Recombination: the weighted mean of the mu best steps.
    Mat selected(dim_, p.mu);
    for (int i = 0; i < p.mu; ++i) selected.col(i) = y_.col(order[i]);
    const Vec y_w = selected * p.weights;
    const Vec step = sigma_ * y_w;

    // Step-size path, with C^(-1/2) y_w.
    const Vec whitened = diagonal_
                             ? Vec(y_w.cwiseQuotient(scales_))
                             : Vec(basis_ * (basis_.transpose() * y_w).cwiseQuotient(scales_));
    p_sigma_ = (1.0 - p.cs) * p_sigma_ + std::sqrt(p.cs * (2.0 - p.cs) * p.mu_eff) * whitened;
    const double ps_norm = p_sigma_.norm();
    const double ps_correction = std::sqrt(1.0 - std::pow(1.0 - p.cs, 2.0 * (generation_ + 1)));
    const bool h_sigma = ps_norm / ps_correction < (1.4 + 2.0 / (dim_ + 1.0)) * p.chi_n;

    // Covariance path and matrix.
    p_c_ = (1.0 - p.cc) * p_c_;
    if (h_sigma) p_c_ += std::sqrt(p.cc * (2.0 - p.cc) * p.mu_eff) * y_w;
    const double lost = h_sigma ? 0.0 : p.cc * (2.0 - p.cc);
    const double keep = 1.0 - p.c1 - p.cmu + p.c1 * lost;
    if (diagonal_) {
      Vec rank_mu = Vec::Zero(dim_);
      for (int i = 0; i < p.mu; ++i) {
        rank_mu += p.weights[i] * selected.col(i).cwiseAbs2();
      }
      diag_cov_ = keep * diag_cov_ + p.c1 * p_c_.cwiseAbs2() + p.cmu * rank_mu;
    } else {
      // Only the lower triangle is kept up to date (the eigensolver reads it).
      cov_ *= keep;
      cov_.selfadjointView<Eigen::Lower>().rankUpdate(p_c_, p.c1);
      for (int i = 0; i < p.mu; ++i) selected.col(i) *= std::sqrt(p.weights[i]);
      cov_.selfadjointView<Eigen::Lower>().rankUpdate(selected, p.cmu);
    }

    // Cumulative step-size adaptation (exponent capped at 1 for safety).
    sigma_ *= std::exp(std::min(1.0, p.cs / p.ds * (ps_norm / p.chi_n - 1.0)));

    const Vec before = mean_;
    mean_ += step;
    StrategyStep out;
    out.ascent_norm = step.norm();
    out.step_norm = (mean_ - before).norm();
    ++generation_;
    RefreshScales();
    Record(fitness, order);
    if (restarts_ < max_restarts_ && PopulationOfRestart(restarts_ + 1) <= kMaxPopulation &&
        ShouldRestart(fitness)) {
      ++restarts_;
      StartRun();
    }
    return out;
  }

  const Vec& Theta() const override { return mean_; }

  // The mean is written twice (first as theta), the layout of the first
  // state format, so that older run folders still resume.
  void SaveState(BinaryWriter& out) const override {
    out.WriteVec(mean_);
    WriteStateHeader(out, Name(), dim_);
    out.WriteU64(diagonal_ ? 1 : 0);
    out.WriteI64(restarts_);
    out.WriteI64(params_.lambda);
    out.WriteI64(generation_);
    out.WriteI64(eigen_generation_);
    out.WriteDouble(sigma_);
    out.WriteVec(mean_);
    out.WriteVec(p_sigma_);
    out.WriteVec(p_c_);
    out.WriteVec(diag_cov_);
    out.WriteMat(cov_);
    out.WriteMat(basis_);
    out.WriteVec(scales_);
    WriteDoubles(out, best_history_);
    WriteDoubles(out, median_history_);
    out.WriteU64(pending_ ? 1 : 0);
    out.WriteU64(seed_);
    out.WriteU64(iteration_);
  }

  void LoadState(BinaryReader& in) override {
    if (in.ReadVec().size() != dim_) throw Error("search state: theta of the wrong size");
    ReadStateHeader(in, Name(), dim_);
    const bool diagonal = in.ReadU64() != 0;
    if (diagonal != diagonal_) {
      throw Error(std::string("search state of 'cma_es' is ") + (diagonal ? "diagonal" : "full") +
                  ", this run's covariance is not");
    }
    const std::int64_t restarts = in.ReadI64();
    const std::int64_t lambda = in.ReadI64();
    // The population follows from the restart count and the config: a
    // state saying otherwise is damaged (and must not size allocations).
    if (restarts < 0 || restarts > max_restarts_ || lambda < 2 || lambda > kMaxPopulation ||
        lambda != PopulationOfRestart(static_cast<int>(restarts))) {
      throw Error("search state of 'cma_es': bad population or restart count");
    }
    restarts_ = static_cast<int>(restarts);
    params_ = CmaParameters::Make(dim_, static_cast<int>(lambda), diagonal_);
    generation_ = in.ReadI64();
    eigen_generation_ = in.ReadI64();
    sigma_ = in.ReadDouble();
    if (generation_ < 0 || eigen_generation_ < 0 || eigen_generation_ > generation_ ||
        !std::isfinite(sigma_) || !(sigma_ > 0.0)) {
      throw Error("search state of 'cma_es': bad generation count or step size");
    }
    mean_ = in.ReadVec();
    p_sigma_ = in.ReadVec();
    p_c_ = in.ReadVec();
    diag_cov_ = in.ReadVec();
    cov_ = in.ReadMat();
    basis_ = in.ReadMat();
    scales_ = in.ReadVec();
    best_history_ = ReadDoubles(in);
    median_history_ = ReadDoubles(in);
    pending_ = in.ReadU64() != 0;
    seed_ = in.ReadU64();
    iteration_ = in.ReadU64();
    const int cov_dim = diagonal_ ? 0 : dim_;
    if (mean_.size() != dim_ || p_sigma_.size() != dim_ || p_c_.size() != dim_ ||
        scales_.size() != dim_ || diag_cov_.size() != (diagonal_ ? dim_ : 0) ||
        cov_.rows() != cov_dim || cov_.cols() != cov_dim || basis_.rows() != cov_dim ||
        basis_.cols() != cov_dim) {
      throw Error("search state of 'cma_es' has inconsistent sizes");
    }
    if (pending_) DrawSamples();
  }

 private:
  // The population of restart r: the first one's, doubled r times (IPOP).
  std::int64_t PopulationOfRestart(int r) const {
    const std::int64_t first =
        population0_ > 0 ? population0_ : CmaParameters::DefaultPopulation(dim_);
    return first << r;
  }

  // Starts a (re)run at the current mean: population for this restart, the
  // initial step size, identity covariance, zero paths.
  void StartRun() {
    params_ =
        CmaParameters::Make(dim_, static_cast<int>(PopulationOfRestart(restarts_)), diagonal_);
    sigma_ = sigma0_;
    p_sigma_ = Vec::Zero(dim_);
    p_c_ = Vec::Zero(dim_);
    scales_ = Vec::Ones(dim_);
    if (diagonal_) {
      diag_cov_ = Vec::Ones(dim_);
      cov_.resize(0, 0);
      basis_.resize(0, 0);
    } else {
      diag_cov_.resize(0);
      cov_ = Mat::Identity(dim_, dim_);
      basis_ = Mat::Identity(dim_, dim_);
    }
    generation_ = 0;
    eigen_generation_ = 0;
    best_history_.clear();
    median_history_.clear();
  }

  // y_k = B D z_k (or D z_k) with z_k from Stream(seed, iteration, k); each
  // candidate on its own, so none depends on the others.
  void DrawSamples() {
    const int lambda = params_.lambda;
    y_.resize(dim_, lambda);
    Vec z(dim_);
    for (int k = 0; k < lambda; ++k) {
      FillNoise(seed_, iteration_, k, {z.data(), static_cast<std::size_t>(dim_)});
      if (diagonal_) {
        y_.col(k) = scales_.cwiseProduct(z);
      } else {
        y_.col(k).noalias() = basis_ * scales_.cwiseProduct(z);
      }
    }
  }

  // Updates D (and B) from C: every generation for sep-CMA, every
  // eigen_period generations for the full matrix.
  void RefreshScales() {
    if (diagonal_) {
      scales_ = diag_cov_.cwiseMax(std::numeric_limits<double>::min()).cwiseSqrt();
      return;
    }
    if (generation_ - eigen_generation_ < params_.eigen_period) return;
    eigen_generation_ = generation_;
    Eigen::SelfAdjointEigenSolver<Mat> solver(cov_);
    const Vec& values = solver.eigenvalues();
    const double largest = values.maxCoeff();
    if (solver.info() != Eigen::Success || !std::isfinite(largest) || !(largest > 0.0)) {
      // Numerically broken: start the shape afresh, keep sigma and mean.
      cov_ = Mat::Identity(dim_, dim_);
      basis_ = Mat::Identity(dim_, dim_);
      scales_ = Vec::Ones(dim_);
      return;
    }
    basis_ = solver.eigenvectors();
    scales_ = values.cwiseMax(largest * 1e-20).cwiseSqrt();
  }

  // Appends this generation's best and median fitness to the histories.
  void Record(std::span<const double> fitness, const std::vector<int>& order) {
    if (best_history_.size() >= kMaxHistory) {
      best_history_.erase(best_history_.begin());
      median_history_.erase(median_history_.begin());
    }
    best_history_.push_back(fitness[order.front()]);
    median_history_.push_back(fitness[order[order.size() / 2]]);
  }

  // Whether a stopping criterion of Hansen's restart setting fires: TolFun,
  // TolX, NoEffectAxis, NoEffectCoord, ConditionCov or Stagnation.
  bool ShouldRestart(std::span<const double> fitness) const {
    const double n = dim_;
    const int lambda = params_.lambda;
    // TolFun: recent best values and this generation's values all close.
    const std::size_t window = 10 + static_cast<std::size_t>(std::ceil(30.0 * n / lambda));
    if (best_history_.size() >= window) {
      const auto recent = best_history_.end() - window;
      double hi = *std::max_element(recent, best_history_.end());
      double lo = *std::min_element(recent, best_history_.end());
      for (double f : fitness) {
        hi = std::max(hi, f);
        lo = std::min(lo, f);
      }
      if (hi - lo < tol_fun_) return true;
    }
    // TolX: every coordinate's spread and path tiny.
    const Vec variances = diagonal_ ? diag_cov_ : Vec(cov_.diagonal());
    bool tiny = true;
    for (int i = 0; i < dim_ && tiny; ++i) {
      tiny = sigma_ * std::sqrt(variances[i]) < tol_x_ * sigma0_ &&
             sigma_ * std::abs(p_c_[i]) < tol_x_ * sigma0_;
    }
    if (tiny) return true;
    // NoEffectCoord: 0.2 standard deviations leave a coordinate unchanged.
    for (int i = 0; i < dim_; ++i) {
      const double shift = 0.2 * sigma_ * std::sqrt(variances[i]);
      if (mean_[i] + shift == mean_[i]) return true;
    }
    if (!diagonal_) {
      // NoEffectAxis: 0.1 standard deviations along one principal axis
      // (cycled through the generations) leave the mean unchanged.
      const int axis = static_cast<int>(generation_ % dim_);
      const Vec shift = 0.1 * sigma_ * scales_[axis] * basis_.col(axis);
      if ((mean_ + shift).cwiseEqual(mean_).all()) return true;
    }
    // ConditionCov.
    const double ratio = scales_.maxCoeff() / scales_.minCoeff();
    if (ratio * ratio > max_condition_) return true;
    // Stagnation: the medians of the most recent 30% of the best and of the
    // median histories are no better than those of the oldest 30%, over the
    // last 20% of the generations (at least 120 + 30 n / lambda).
    const std::size_t least = 120 + static_cast<std::size_t>(std::ceil(30.0 * n / lambda));
    const std::size_t count = best_history_.size();
    if (count >= least) {
      const std::size_t span =
          std::min(count, std::max(least, static_cast<std::size_t>(0.2 * generation_)));
      const std::size_t part = std::max<std::size_t>(1, span * 3 / 10);
      const std::size_t first = count - span;
      bool stalled = true;
      for (const auto* history : {&best_history_, &median_history_}) {
        const double old_median = MedianOf(*history, first, first + part);
        const double new_median = MedianOf(*history, count - part, count);
        stalled = stalled && !(new_median > old_median);
      }
      if (stalled) return true;
    }
    return false;
  }

  // Configuration.
  double sigma0_ = 0.1;           // initial step size (each run)
  int population0_ = 0;           // first run's lambda; 0: 4 + 3 ln n
  std::string diagonal_mode_;     // "auto", "true" or "false"
  int diagonal_threshold_ = 200;  // auto: diagonal above this dimension
  int max_restarts_ = 0;          // IPOP restarts allowed
  double tol_fun_ = 1e-12;        // TolFun
  double tol_x_ = 1e-12;          // TolX, relative to sigma0
  double max_condition_ = 1e14;   // ConditionCov

  // State.
  int dim_ = 0;
  bool diagonal_ = false;  // sep-CMA
  int restarts_ = 0;       // restarts done
  CmaParameters params_;
  std::int64_t generation_ = 0;         // generations since the (re)start
  std::int64_t eigen_generation_ = 0;   // generation of the last decomposition
  double sigma_ = 0.1;                  // step size
  Vec mean_;                            // m
  Vec p_sigma_;                         // step-size evolution path
  Vec p_c_;                             // covariance evolution path
  Vec diag_cov_;                        // C's diagonal (sep-CMA)
  Mat cov_;                             // C, lower triangle (full)
  Mat basis_;                           // B: eigenvectors of C (full)
  Vec scales_;                          // D: square roots of C's eigenvalues
  std::vector<double> best_history_;    // best fitness per generation
  std::vector<double> median_history_;  // median fitness per generation

  // The pending sample.
  bool pending_ = false;
  std::uint64_t seed_ = 0;
  std::uint64_t iteration_ = 0;
  Mat y_;  // dim x lambda: B D z_k
};

}  // namespace

StrategyRegistry::Entry CmaEsEntry() {
  return {"cma_es", "CMA-ES (full or separable covariance, optional IPOP restarts)",
          [](const ConfigNode& c) { return std::make_unique<CmaEs>(c); }};
}

}  // namespace mnemo

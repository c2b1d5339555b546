// OpenAI-ES (Salimans et al. 2017): antithetic pairs, centered-rank fitness
// shaping, g = 1/(2 n sigma) sum over the n pairs of (shaped+ - shaped-) eps
// (the paper's 1/(N sigma) sum_i F_i eps_i over N = 2n samples), and weight
// decay. The step
// is an Updater's (Adam in the paper). The decay coefficient is the one of
// the authors' code (l2coeff, 0.005), which subtracts it from the shaped sum
// before any 1/sigma: here, where g carries the 1/sigma, it is divided by
// sigma, so that gradient and decay keep the reference's proportions.
#include <string>
#include <vector>

#include "core/es/antithetic_estimator.h"
#include "core/es/fitness_shaping.h"
#include "core/es/search_method_list.h"

namespace mnemo {
namespace {

// The OpenAI-ES gradient estimate minus (weight_decay / sigma) * theta.
class OpenAiEs final : public AntitheticEstimator {
 public:
  explicit OpenAiEs(const ConfigNode& config) {
    config.AllowOnly({"type", "directions", "sigma", "step_size", "weight_decay", "shaping"});
    ReadCommonKeys(config, 32, 0.02, 0.01);
    weight_decay_ = config.GetDouble("weight_decay", 0.005, 0.0, 1e6);
    ranks_ = config.GetString("shaping", "centered_ranks", {"centered_ranks", "none"}) ==
             "centered_ranks";
  }

  std::string Name() const override { return "openai_es"; }

  Vec Tell(std::span<const double> fitness) override {
    std::vector<double> plus;
    std::vector<double> minus;
    sampler_.Split(fitness, &plus, &minus);
    // Ranks are taken over all 2n returns together, as in the paper.
    const Vec shaped = ranks_ ? CenteredRanks(fitness)
                              : Eigen::Map<const Vec>(fitness.data(), fitness.size()).eval();
    // Candidate 2k carries +eps_k and 2k + 1 carries -eps_k.
    const double sigma = sampler_.Sigma();
    const double scale = 1.0 / (2.0 * pairs_ * sigma);
    Vec weights(pairs_);
    for (int k = 0; k < pairs_; ++k) {
      weights[k] = (shaped[2 * k] - shaped[2 * k + 1]) * scale;
    }
    Vec g = sampler_.Combine(weights);
    if (weight_decay_ > 0.0) g -= (weight_decay_ / sigma) * sampler_.Center();
    sampler_.Finish();
    return g;
  }

 private:
  double weight_decay_ = 0.0;  // L2 coefficient
  bool ranks_ = true;          // centered-rank shaping (else raw fitness)
};

}  // namespace

GradientEstimatorRegistry::Entry OpenAiEsEntry() {
  // 2: weight decay in the proportions of the authors' code (2026-11-29).
  return {"openai_es", "OpenAI-ES (antithetic pairs, centered ranks, weight decay)",
          [](const ConfigNode& c) { return std::make_unique<OpenAiEs>(c); }, 2};
}

}  // namespace mnemo

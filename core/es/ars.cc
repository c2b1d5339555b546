// Augmented Random Search (Mania, Guy & Recht 2018): antithetic directions,
// the top b of them by max(r+, r-), and the update divided by the standard
// deviation of the returns used. With plain SGD (step size alpha) as the
// updater this is ARS exactly: theta += alpha * g. V1 and V2 differ only by
// observation normalization (PolicySearchProblem's business), -t variants by b < N.
#include <string>
#include <vector>

#include "core/es/antithetic_estimator.h"
#include "core/es/fitness_shaping.h"
#include "core/es/search_method_list.h"

namespace mnemo {
namespace {

// The ARS gradient estimate g = 1/(b sigma_R) sum_top (r+ - r-) delta_k.
class Ars final : public AntitheticEstimator {
 public:
  explicit Ars(const ConfigNode& config) {
    config.AllowOnly({"type", "directions", "top_directions", "sigma", "step_size"});
    ReadCommonKeys(config, 8, 0.03, 0.02);
    top_ = static_cast<int>(config.GetInt("top_directions", pairs_, 1, 1 << 20));
    if (top_ > pairs_) {
      throw config.ErrorAt("top_directions",
                           "must not exceed directions (" + std::to_string(pairs_) + ")");
    }
  }

  std::string Name() const override { return "ars"; }

  Vec Tell(std::span<const double> fitness) override {
    sampler_.Split(fitness, &plus_, &minus_);
    const std::vector<int> top = TopDirections(plus_, minus_, top_);
    std::vector<double> used;
    used.reserve(2 * top.size());
    for (int k : top) {
      used.push_back(plus_[k]);
      used.push_back(minus_[k]);
    }
    double sigma_r = PopulationStd(used);
    // Equal returns give r+ - r- = 0 everywhere: any positive divisor works.
    if (!(sigma_r > 0.0)) sigma_r = 1.0;
    Vec weights = Vec::Zero(pairs_);
    for (int k : top) weights[k] = (plus_[k] - minus_[k]) / (top_ * sigma_r);
    sampler_.Finish();
    return sampler_.Combine(weights);
  }

 private:
  int top_ = 0;                // b
  std::vector<double> plus_;   // r+ per direction (scratch)
  std::vector<double> minus_;  // r- per direction (scratch)
};

}  // namespace

GradientEstimatorRegistry::Entry ArsEntry() {
  return {"ars", "Augmented Random Search (top-b antithetic directions)",
          [](const ConfigNode& c) { return std::make_unique<Ars>(c); }};
}

}  // namespace mnemo

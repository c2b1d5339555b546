#include "core/es/antithetic_estimator.h"

#include "core/es/state_header.h"

namespace mnemo {

void AntitheticEstimator::ReadCommonKeys(const ConfigNode& config, int directions, double sigma,
                                         double step_size) {
  pairs_ = static_cast<int>(config.GetInt("directions", directions, 1, 1 << 20));
  sigma_ = config.GetDouble("sigma", sigma, 1e-12, 1e6);
  step_size_ = config.GetDouble("step_size", step_size, 0.0, 1e6);
}

void AntitheticEstimator::SaveState(BinaryWriter& out) const {
  WriteStateHeader(out, Name(), sampler_.Dim());
  sampler_.SaveState(out);
}

void AntitheticEstimator::LoadState(BinaryReader& in) {
  ReadStateHeader(in, Name(), sampler_.Dim());
  sampler_.LoadState(in);
}

}  // namespace mnemo

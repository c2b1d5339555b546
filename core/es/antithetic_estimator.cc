#include "core/es/antithetic_estimator.h"

#include "core/es/state_header.h"

namespace mnemo {

void AntitheticEstimator::SaveState(BinaryWriter& out) const {
  WriteStateHeader(out, Name(), sampler_.Dim());
  sampler_.SaveState(out);
}

void AntitheticEstimator::LoadState(BinaryReader& in) {
  ReadStateHeader(in, Name(), sampler_.Dim());
  sampler_.LoadState(in);
}

}  // namespace mnemo

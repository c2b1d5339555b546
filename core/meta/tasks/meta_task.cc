#include "core/meta/tasks/meta_task.h"

#include <algorithm>
#include <cmath>

namespace mnemo {

double LogLossRatio(double loss, double initial) {
  if (!std::isfinite(loss)) return MaxNormalizedLoss();
  if (!(initial > 0.0)) return std::log(kMinLossRatio);
  const double ratio = std::clamp(loss / initial, kMinLossRatio, kMaxLossRatio);
  return std::log(ratio);
}

double MaxNormalizedLoss() { return std::log(kMaxLossRatio); }

}  // namespace mnemo

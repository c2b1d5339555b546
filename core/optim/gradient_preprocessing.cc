#include "core/optim/gradient_preprocessing.h"

#include <cmath>

namespace mnemo {

void LogSignEncode(const Eigen::Ref<const Vec>& g, double p, Eigen::Ref<Mat> out, int column) {
  const double threshold = std::exp(-p);
  const double gain = std::exp(p);
  for (Eigen::Index i = 0; i < g.size(); ++i) {
    const double x = g[i];
    const double magnitude = std::abs(x);
    if (magnitude >= threshold) {
      out(i, column) = std::log(magnitude) / p;
      out(i, column + 1) = x > 0.0 ? 1.0 : -1.0;
    } else {
      out(i, column) = -1.0;
      out(i, column + 1) = gain * x;
    }
  }
}

}  // namespace mnemo

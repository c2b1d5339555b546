#include "core/math/random_orthogonal.h"

namespace mnemo {

Mat RandomOrthogonal(int dim, Stream& rng) {
  Mat gaussian(dim, dim);
  rng.FillNormal({gaussian.data(), static_cast<std::size_t>(dim) * static_cast<std::size_t>(dim)});
  Eigen::HouseholderQR<Mat> qr(gaussian);
  Mat q = qr.householderQ();
  // Without the sign fix, Q would not be uniformly distributed.
  const Mat& r = qr.matrixQR();
  for (Eigen::Index c = 0; c < dim; ++c) {
    if (r(c, c) < 0.0) q.col(c) = -q.col(c);
  }
  return q;
}

}  // namespace mnemo

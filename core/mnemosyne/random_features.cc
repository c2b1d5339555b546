#include "core/mnemosyne/random_features.h"

#include <cmath>

#include "core/math/random_orthogonal.h"
#include "core/math/random_stream.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

// Stream iteration reserved for random-feature directions.
constexpr std::uint64_t kDirectionStream = 0xfea7;

}  // namespace

std::string RandomFeatureKindName(RandomFeatureKind kind) {
  return kind == RandomFeatureKind::kOrthogonal ? "orthogonal" : "iid";
}

RandomFeatureKind ParseRandomFeatureKind(const std::string& name) {
  if (name == "orthogonal") return RandomFeatureKind::kOrthogonal;
  if (name == "iid") return RandomFeatureKind::kIid;
  throw Error("unknown random feature kind '" + name + "' (known: orthogonal, iid)");
}

RandomFeatures::RandomFeatures(int dim, int count, RandomFeatureKind kind, std::uint64_t seed,
                               std::uint64_t index) {
  if (dim <= 0 || count <= 0 || count % 2 != 0) {
    throw Error(
        "random features need a positive dimension and a positive "
        "even count, got dim " +
        std::to_string(dim) + " and count " + std::to_string(count));
  }
  Stream rng(seed, kDirectionStream, index);
  const int directions = count / 2;
  directions_.resize(directions, dim);
  if (kind == RandomFeatureKind::kIid) {
    for (Eigen::Index r = 0; r < directions; ++r) {
      for (Eigen::Index c = 0; c < dim; ++c) directions_(r, c) = rng.Normal();
    }
    return;
  }
  for (int first = 0; first < directions; first += dim) {
    const Mat q = RandomOrthogonal(dim, rng);
    for (int i = 0; i < dim && first + i < directions; ++i) {
      // A Gaussian vector's norm keeps each direction marginally N(0, I).
      double norm_squared = 0.0;
      for (int k = 0; k < dim; ++k) {
        const double x = rng.Normal();
        norm_squared += x * x;
      }
      directions_.row(first + i) = std::sqrt(norm_squared) * q.col(i).transpose();
    }
  }
}

void RandomFeatures::Map(const Eigen::Ref<const Mat>& z, Mat* phi) const {
  const Eigen::Index half = directions_.rows();
  const double norm = 1.0 / std::sqrt(2.0 * static_cast<double>(half));
  const Eigen::ArrayXd shift = -0.5 * z.rowwise().squaredNorm().array();
  phi->resize(z.rows(), 2 * half);
  // The left half holds w.z, the right half -w.z; then both get the shift.
  phi->leftCols(half).noalias() = z * directions_.transpose();
  phi->rightCols(half) = -phi->leftCols(half);
  phi->array().colwise() += shift;
  phi->array() = norm * phi->array().exp();
}

Vec RandomFeatures::Map(const Vec& z) const {
  Mat phi;
  Map(z.transpose(), &phi);
  return phi.row(0).transpose();
}

}  // namespace mnemo

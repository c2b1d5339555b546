// Dense vector and matrix types shared by the whole toolkit.
#pragma once

#include <Eigen/Dense>

namespace mnemo {

// A flat parameter vector, a gradient, an observation.
using Vec = Eigen::VectorXd;
// A dense matrix (column-major, as Eigen's default).
using Mat = Eigen::MatrixXd;

}  // namespace mnemo

// The strategy parameters of CMA-ES (Hansen, "The CMA Evolution Strategy: A
// Tutorial", 2016, Table 1, positive recombination weights only), and the
// faster covariance learning rates of sep-CMA (Ros & Hansen 2008).
#pragma once

#include "core/math/types.h"

namespace mnemo {

// Everything CMA-ES derives from the dimension and the population size.
struct CmaParameters {
  int dim = 0;            // n
  int lambda = 0;         // population size
  int mu = 0;             // parents: floor(lambda / 2)
  bool diagonal = false;  // sep-CMA (diagonal covariance)
  Vec weights;            // mu positive recombination weights, sum 1
  double mu_eff = 0.0;    // variance-effective selection mass
  double cs = 0.0;        // step-size path learning rate
  double ds = 0.0;        // step-size damping
  double cc = 0.0;        // covariance path learning rate
  double c1 = 0.0;        // rank-one learning rate
  double cmu = 0.0;       // rank-mu learning rate
  double chi_n = 0.0;     // E|N(0, I)|
  int eigen_period = 1;   // generations between eigendecompositions

  // The default population 4 + floor(3 ln n).
  static int DefaultPopulation(int dim);
  // The parameters for dimension `dim` and population `lambda` (>= 2).
  static CmaParameters Make(int dim, int lambda, bool diagonal);
};

}  // namespace mnemo

// The discounted compact associative memory: it is exactly linear attention
// over the whole history with weights gamma^(t-i), and approaches softmax
// attention as the number of random features grows.
#include "core/mnemosyne/associative_memory.h"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/math/random_stream.h"
#include "core/mnemosyne/random_features.h"

namespace mnemo {
namespace {

constexpr int kKeyDim = 4;
constexpr int kValueDim = 3;

// A random matrix of `rows` x `cols` N(0, sd^2) numbers.
Mat RandomMat(int rows, int cols, double sd, Stream& rng) {
  Mat m(rows, cols);
  for (int c = 0; c < cols; ++c) {
    for (int r = 0; r < rows; ++r) m(r, c) = sd * rng.Normal();
  }
  return m;
}

// A history of keys, queries and values for `slots` slots over `steps` steps.
struct History {
  std::vector<Mat> keys, queries, values;  // per step: slots x dim
};

History MakeHistory(int slots, int steps, std::uint64_t seed) {
  Stream rng(seed);
  History h;
  for (int t = 0; t < steps; ++t) {
    h.keys.push_back(RandomMat(slots, kKeyDim, 0.5, rng));
    h.queries.push_back(RandomMat(slots, kKeyDim, 0.5, rng));
    h.values.push_back(RandomMat(slots, kValueDim, 1.0, rng));
  }
  return h;
}

// Attention of slot `s`'s query at step t over its steps 0..t with weights
// gamma^(t-i) * kernel(q_t, k_i), and `eps` in the denominator.
template <typename Kernel>
Vec ExplicitAttention(const History& h, int s, int t, double gamma, double eps, Kernel kernel) {
  Vec numerator = Vec::Zero(kValueDim);
  double denominator = eps;
  const Vec q = h.queries[t].row(s).transpose();
  for (int i = 0; i <= t; ++i) {
    const double w = std::pow(gamma, t - i) * kernel(q, Vec(h.keys[i].row(s).transpose()));
    numerator += w * h.values[i].row(s).transpose();
    denominator += w;
  }
  return numerator / denominator;
}

TEST_CASE("read-out equals explicit discounted attention over the history") {
  const int slots = 5;
  const int steps = 60;
  const double eps = 1e-6;
  const History h = MakeHistory(slots, steps, 11);
  for (double gamma : {0.0, 0.5, 0.9, 1.0}) {
    CAPTURE(gamma);
    const RandomFeatures rf(kKeyDim, 16, RandomFeatureKind::kOrthogonal, 3);
    AssociativeMemory memory(slots + 2, 16, kValueDim, gamma);
    const auto phi_kernel = [&](const Vec& q, const Vec& k) { return rf.Map(q).dot(rf.Map(k)); };
    double worst = 0.0;
    for (int t = 0; t < steps; ++t) {
      Mat phi_k, phi_q;
      rf.Map(h.keys[t], &phi_k);
      rf.Map(h.queries[t], &phi_q);
      // Slots 1..slots of the memory; slot 0 and the last stay untouched.
      memory.Write(1, phi_k, h.values[t]);
      Mat out(slots, kValueDim);
      memory.Read(1, phi_q, eps, out);
      for (int s = 0; s < slots; ++s) {
        const Vec expected = ExplicitAttention(h, s, t, gamma, eps, phi_kernel);
        worst = std::max(worst, (out.row(s).transpose() - expected).cwiseAbs().maxCoeff());
      }
    }
    CHECK(worst < 1e-10);
    CHECK(memory.MatrixOf(0).norm() == 0.0);
    CHECK(memory.NormalizerOf(slots + 1).norm() == 0.0);
    // The state is fixed-size whatever the history length.
    CHECK(memory.NumbersPerSlot() == 16 * (kValueDim + 1));
  }
}

TEST_CASE("as m grows the read-out approaches softmax attention") {
  const int steps = 30;
  const double gamma = 0.9;
  const auto softmax_kernel = [](const Vec& q, const Vec& k) { return std::exp(q.dot(k)); };
  std::vector<double> errors;
  for (int m : {8, 64, 512, 4096}) {
    double error = 0.0;
    for (int trial = 0; trial < 8; ++trial) {
      const History h = MakeHistory(1, steps, 100 + trial);
      const RandomFeatures rf(kKeyDim, m, RandomFeatureKind::kOrthogonal, 500 + trial);
      AssociativeMemory memory(1, m, kValueDim, gamma);
      Mat out(1, kValueDim);
      for (int t = 0; t < steps; ++t) {
        Mat phi_k, phi_q;
        rf.Map(h.keys[t], &phi_k);
        rf.Map(h.queries[t], &phi_q);
        memory.Write(0, phi_k, h.values[t]);
        memory.Read(0, phi_q, 1e-12, out);
      }
      const Vec exact = ExplicitAttention(h, 0, steps - 1, gamma, 0.0, softmax_kernel);
      error += (out.row(0).transpose() - exact).norm() / 8.0;
    }
    errors.push_back(error);
  }
  CAPTURE(errors[0]);
  CAPTURE(errors[3]);
  for (std::size_t i = 1; i < errors.size(); ++i) CHECK(errors[i] < errors[i - 1]);
  CHECK(errors.back() < errors.front() / 5.0);
  CHECK(errors.back() < 0.03);
}

TEST_CASE("a discount of 0 reads only the last value") {
  const History h = MakeHistory(3, 10, 5);
  const RandomFeatures rf(kKeyDim, 16, RandomFeatureKind::kIid, 9);
  AssociativeMemory memory(3, 16, kValueDim, 0.0);
  Mat out(3, kValueDim);
  for (int t = 0; t < 10; ++t) {
    Mat phi_k, phi_q;
    rf.Map(h.keys[t], &phi_k);
    rf.Map(h.queries[t], &phi_q);
    memory.Write(0, phi_k, h.values[t]);
    memory.Read(0, phi_q, 1e-12, out);
    CHECK((out - h.values[t]).cwiseAbs().maxCoeff() < 1e-9);
  }
}

TEST_CASE("a discount of 1 with one repeated key returns its value") {
  const RandomFeatures rf(kKeyDim, 16, RandomFeatureKind::kOrthogonal, 2);
  const Mat key = (Mat(1, kKeyDim) << 0.3, -0.2, 0.5, 0.1).finished();
  const Mat query = (Mat(1, kKeyDim) << -0.4, 0.2, 0.1, 0.3).finished();
  const Mat value = (Mat(1, kValueDim) << 1.5, -2.0, 0.25).finished();
  Mat phi_k, phi_q;
  rf.Map(key, &phi_k);
  rf.Map(query, &phi_q);
  AssociativeMemory memory(1, 16, kValueDim, 1.0);
  Mat out(1, kValueDim);
  for (int t = 0; t < 200; ++t) memory.Write(0, phi_k, value);
  memory.Read(0, phi_q, 1e-6, out);
  CHECK((out - value).cwiseAbs().maxCoeff() < 1e-7);

  // The same key with changing values: uniform attention, the mean value.
  AssociativeMemory mean_memory(1, 16, kValueDim, 1.0);
  Mat sum = Mat::Zero(1, kValueDim);
  for (int t = 0; t < 10; ++t) {
    const Mat v = value * (t + 1);
    mean_memory.Write(0, phi_k, v);
    sum += v;
  }
  mean_memory.Read(0, phi_q, 1e-12, out);
  CHECK((out - sum / 10.0).cwiseAbs().maxCoeff() < 1e-9);
}

TEST_CASE("an empty memory reads zero, not NaN") {
  AssociativeMemory memory(2, 8, kValueDim, 0.9);
  const Mat phi_q = Mat::Constant(2, 8, 0.3);
  Mat out(2, kValueDim);
  memory.Read(0, phi_q, 1e-6, out);
  CHECK(out.allFinite());
  CHECK(out.norm() == 0.0);
}

}  // namespace
}  // namespace mnemo

#include "core/math/running_stats.h"

#include <cassert>

#include "core/util/error.h"

namespace mnemo {

RunningStats::RunningStats(int dim) : mean_(Vec::Zero(dim)), m2_(Vec::Zero(dim)) {}

void RunningStats::Push(std::span<const double> x) {
  assert(static_cast<int>(x.size()) == Dim());
  ++count_;
  const double inv_n = 1.0 / static_cast<double>(count_);
  for (int i = 0; i < Dim(); ++i) {
    const double delta = x[i] - mean_[i];
    mean_[i] += delta * inv_n;
    m2_[i] += delta * (x[i] - mean_[i]);
  }
}

void RunningStats::Merge(const RunningStats& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  assert(other.Dim() == Dim());
  const double n_a = static_cast<double>(count_);
  const double n_b = static_cast<double>(other.count_);
  const double n = n_a + n_b;
  const Vec delta = other.mean_ - mean_;
  mean_ += delta * (n_b / n);
  m2_ += other.m2_ + delta.cwiseProduct(delta) * (n_a * n_b / n);
  count_ += other.count_;
}

Vec RunningStats::Variance() const {
  if (count_ < 2) return Vec::Zero(Dim());
  return m2_ / static_cast<double>(count_);
}

RunningStats RunningStats::FromMoments(std::int64_t count, Vec mean, Vec m2) {
  if (count < 0) throw Error("observation statistics: negative count");
  if (mean.size() != m2.size()) {
    throw Error("observation statistics: " + std::to_string(mean.size()) + " means but " +
                std::to_string(m2.size()) + " squared deviations");
  }
  if (!(m2.array() >= 0.0).all() || !m2.allFinite()) {
    throw Error("observation statistics: negative or non-finite squared deviations");
  }
  if (!mean.allFinite()) throw Error("observation statistics: non-finite means");
  RunningStats s;
  s.count_ = count;
  s.mean_ = std::move(mean);
  s.m2_ = std::move(m2);
  return s;
}

}  // namespace mnemo

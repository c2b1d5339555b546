#include "core/mnemosyne/controller_inputs.h"

#include <algorithm>
#include <cmath>

#include "core/util/error.h"

namespace mnemo {
namespace {

// Decays of the three sign averages.
constexpr double kSignDecays[3] = {0.5, 0.9, 0.99};
// Decays of the first and second moments.
constexpr double kFirstDecay = 0.9;
constexpr double kSecondDecay = 0.99;
// Bound of every ratio and z-score input.
constexpr double kInputBound = 5.0;

// x when finite, else 0, clipped to [-bound, bound].
double Bounded(double x, double bound = kInputBound) {
  return std::isfinite(x) ? std::clamp(x, -bound, bound) : 0.0;
}

// -1, 0 or 1.
double Sign(double x) { return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0); }

}  // namespace

void CoordinateInputs::Reset(const ParamLayout& layout) {
  layout_ = layout;
  const int n = layout.Size();
  sign_means_ = Mat::Zero(n, 3);
  first_moment_ = Vec::Zero(n);
  second_moment_ = Vec::Zero(n);
}

void CoordinateInputs::Next(const Vec& ascent, Mat* inputs) {
  const int n = layout_.Size();
  inputs->resize(n, kCoordinateInputs);
  for (const TensorSlice& tensor : layout_.Tensors()) {
    double squares = 0.0;
    for (int j = tensor.offset; j < tensor.offset + tensor.Size(); ++j) {
      if (std::isfinite(ascent[j])) squares += ascent[j] * ascent[j];
    }
    const double rms = std::sqrt(squares / std::max(1, tensor.Size()));
    for (int j = tensor.offset; j < tensor.offset + tensor.Size(); ++j) {
      const double g = std::isfinite(ascent[j]) ? ascent[j] : 0.0;
      const double s = Sign(g);
      for (int k = 0; k < 3; ++k) (*inputs)(j, k) = s * sign_means_(j, k);
      const double v = second_moment_[j];
      (*inputs)(j, 3) = v > 0.0 ? Bounded(std::abs(first_moment_[j]) / std::sqrt(v)) : 0.0;
      (*inputs)(j, 4) = rms > 0.0 ? Bounded(std::abs(g) / rms) : 0.0;
      for (int k = 0; k < 3; ++k) {
        sign_means_(j, k) = kSignDecays[k] * sign_means_(j, k) + (1.0 - kSignDecays[k]) * s;
      }
      first_moment_[j] = kFirstDecay * first_moment_[j] + (1.0 - kFirstDecay) * g;
      second_moment_[j] = kSecondDecay * second_moment_[j] + (1.0 - kSecondDecay) * g * g;
      if (!std::isfinite(second_moment_[j])) {
        first_moment_[j] = 0.0;
        second_moment_[j] = 0.0;
      }
    }
  }
}

void CoordinateInputs::Save(BinaryWriter& out) const {
  out.WriteMat(sign_means_);
  out.WriteVec(first_moment_);
  out.WriteVec(second_moment_);
}

void CoordinateInputs::Load(BinaryReader& in) {
  Mat signs = in.ReadMat();
  Vec first = in.ReadVec();
  Vec second = in.ReadVec();
  const int n = layout_.Size();
  if (signs.rows() != n || signs.cols() != 3 || first.size() != n || second.size() != n) {
    throw Error("mnemosyne state: coordinate statistics of the wrong size");
  }
  sign_means_ = std::move(signs);
  first_moment_ = std::move(first);
  second_moment_ = std::move(second);
}

void RunInputs::Reset() {
  count_ = 0;
  first_sigma_ = 0.0;
  mean_of_means_ = 0.0;
  squares_of_means_ = 0.0;
  last_mean_ = 0.0;
  best_so_far_ = 0.0;
  last_ascent_.resize(0);
}

Vec RunInputs::Next(const SearchSignal& signal) {
  Vec token = Vec::Zero(kRunInputs);
  const ReturnStats& r = signal.returns;
  const bool finite = std::isfinite(r.mean) && std::isfinite(r.best) && std::isfinite(r.spread);
  if (count_ == 0) first_sigma_ = signal.sigma;
  token[0] = Bounded(signal.budget_fraction, 1.0);
  if (count_ >= 2 && finite) {
    const double sd = std::sqrt(squares_of_means_ / double(count_));
    if (sd > 0.0) token[1] = Bounded((r.mean - mean_of_means_) / sd);
  }
  if (count_ >= 1 && finite && r.spread > 0.0) {
    token[2] = Bounded((r.best - best_so_far_) / r.spread);
    token[5] = Bounded((r.mean - last_mean_) / r.spread);
  }
  if (last_ascent_.size() == signal.ascent.size()) {
    const double norms = last_ascent_.norm() * signal.ascent.norm();
    if (norms > 0.0) token[3] = Bounded(last_ascent_.dot(signal.ascent) / norms, 1.0);
  }
  if (first_sigma_ > 0.0 && signal.sigma > 0.0) {
    token[4] = Bounded(std::log(signal.sigma / first_sigma_));
  }
  if (finite) {
    // Welford's update of the mean returns' mean and spread.
    ++count_;
    const double delta = r.mean - mean_of_means_;
    mean_of_means_ += delta / double(count_);
    squares_of_means_ += delta * (r.mean - mean_of_means_);
    best_so_far_ = count_ == 1 ? r.best : std::max(best_so_far_, r.best);
    last_mean_ = r.mean;
  }
  last_ascent_ = signal.ascent.allFinite() ? signal.ascent : Vec::Zero(signal.ascent.size());
  return token;
}

void RunInputs::Save(BinaryWriter& out) const {
  out.WriteI64(count_);
  for (double x : {first_sigma_, mean_of_means_, squares_of_means_, last_mean_, best_so_far_}) {
    out.WriteDouble(x);
  }
  out.WriteVec(last_ascent_);
}

void RunInputs::Load(BinaryReader& in) {
  count_ = in.ReadI64();
  first_sigma_ = in.ReadDouble();
  mean_of_means_ = in.ReadDouble();
  squares_of_means_ = in.ReadDouble();
  last_mean_ = in.ReadDouble();
  best_so_far_ = in.ReadDouble();
  last_ascent_ = in.ReadVec();
  if (count_ < 0) throw Error("mnemosyne state: negative iteration count");
}

}  // namespace mnemo

#include "core/mnemosyne/features.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/optim/gradient_preprocessing.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

// Gradients are clipped to this magnitude before squaring, so that the
// running mean square stays finite.
constexpr double kMaxSquaredInput = 1e150;
// Added to the RMS: tiny, so that the normalization is scale-free.
constexpr double kRmsEps = 1e-30;
// Time scales of the step embedding.
constexpr double kTimeScales[] = {10.0, 100.0, 1000.0};
// Decays of the momentum group's two running means.
constexpr double kFastMeanDecay = 0.9;
constexpr double kSlowMeanDecay = 0.99;

}  // namespace

FeatureSet FeatureSet::Parse(const std::string& text) {
  FeatureSet set{false, false, false, false, false};
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string name = text.substr(start, comma - start);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    bool* group = name == "log_sign"   ? &set.log_sign
                  : name == "rms"      ? &set.rms
                  : name == "tensor"   ? &set.tensor
                  : name == "time"     ? &set.time
                  : name == "momentum" ? &set.momentum
                                       : nullptr;
    if (group == nullptr) {
      throw Error("unknown feature group '" + name +
                  "' (known: log_sign, rms, tensor, time, momentum)");
    }
    if (*group) throw Error("feature group '" + name + "' is listed twice");
    *group = true;
    start = comma + 1;
  }
  if (!set.log_sign && !set.rms) {
    throw Error(
        "the features need log_sign or rms (something that carries "
        "the gradient)");
  }
  return set;
}

std::string FeatureSet::ToString() const {
  std::vector<std::string> names;
  if (log_sign) names.push_back("log_sign");
  if (rms) names.push_back("rms");
  if (tensor) names.push_back("tensor");
  if (time) names.push_back("time");
  if (momentum) names.push_back("momentum");
  std::string text;
  for (const auto& name : names) {
    if (!text.empty()) text += ',';
    text += name;
  }
  return text;
}

int FeatureSet::Count() const {
  return (log_sign ? 2 : 0) + (rms ? 1 : 0) + (tensor ? 2 : 0) + (time ? 3 : 0) +
         (momentum ? 2 : 0);
}

int FeatureSet::GradientColumn() const { return rms ? (log_sign ? 2 : 0) : 1; }

CoordinateFeatures::CoordinateFeatures(const FeatureSet& set, double rms_decay, double p)
    : set_(set), rms_decay_(rms_decay), p_(p) {}

void CoordinateFeatures::Reset(int size) {
  mean_square_ = Vec::Zero(set_.NeedsRms() ? size : 0);
  fast_mean_ = Vec::Zero(set_.momentum ? size : 0);
  slow_mean_ = Vec::Zero(set_.momentum ? size : 0);
}

Eigen::Vector2d CoordinateFeatures::Normalize(const CoordinateBlock& block, const Vec& gradient,
                                              std::int64_t t, Vec* normalized) {
  if (!set_.NeedsRms()) return Eigen::Vector2d::Zero();
  const int n = block.count;
  const auto g =
      gradient.segment(block.first, n).array().max(-kMaxSquaredInput).min(kMaxSquaredInput);
  auto v = mean_square_.segment(block.first, n).array();
  v = rms_decay_ * v + (1.0 - rms_decay_) * g.square();
  const double correction = 1.0 - std::pow(rms_decay_, static_cast<double>(t));
  auto r = normalized->segment(block.first, n).array();
  r = g / ((v / correction).sqrt() + kRmsEps);
  if (set_.momentum) {
    auto fast = fast_mean_.segment(block.first, n).array();
    auto slow = slow_mean_.segment(block.first, n).array();
    fast = kFastMeanDecay * fast + (1.0 - kFastMeanDecay) * g;
    slow = kSlowMeanDecay * slow + (1.0 - kSlowMeanDecay) * g;
  }
  return {r.sum(), r.square().sum()};
}

void CoordinateFeatures::Assemble(const CoordinateBlock& block, const Vec& gradient,
                                  const Vec& normalized, double tensor_mean, double tensor_rms,
                                  std::int64_t t, Mat* x) const {
  const int n = block.count;
  x->resize(n, set_.Count());
  int column = 0;
  if (set_.log_sign) {
    LogSignEncode(gradient.segment(block.first, n), p_, *x, column);
    column += 2;
  }
  if (set_.rms) x->col(column++) = normalized.segment(block.first, n);
  if (set_.tensor) {
    x->col(column++).setConstant(tensor_mean);
    x->col(column++).setConstant(tensor_rms);
  }
  if (set_.time) {
    for (double scale : kTimeScales) {
      x->col(column++).setConstant(std::tanh(static_cast<double>(t) / scale));
    }
  }
  if (set_.momentum) {
    // Bias-corrected means over the bias-corrected RMS.
    const double steps = static_cast<double>(t);
    const auto rms =
        (mean_square_.segment(block.first, n).array() / (1.0 - std::pow(rms_decay_, steps)))
            .sqrt() +
        kRmsEps;
    x->col(column++) =
        fast_mean_.segment(block.first, n).array() / (1.0 - std::pow(kFastMeanDecay, steps)) / rms;
    x->col(column++) =
        slow_mean_.segment(block.first, n).array() / (1.0 - std::pow(kSlowMeanDecay, steps)) / rms;
  }
}

void CoordinateFeatures::Save(BinaryWriter& out) const {
  out.WriteVec(mean_square_);
  if (set_.momentum) {
    out.WriteVec(fast_mean_);
    out.WriteVec(slow_mean_);
  }
}

void CoordinateFeatures::Load(BinaryReader& in) {
  for (Vec* state : {&mean_square_, &fast_mean_, &slow_mean_}) {
    if (state != &mean_square_ && !set_.momentum) continue;
    Vec v = in.ReadVec();
    if (v.size() != state->size()) {
      throw Error("Mnemosyne feature state has " + std::to_string(v.size()) +
                  " numbers, expected " + std::to_string(state->size()));
    }
    *state = std::move(v);
  }
}

}  // namespace mnemo

#include "core/meta/tasks/es_ascent.h"

#include "core/es/search_loop.h"

namespace mnemo {
namespace {

// An updater that takes no step: it records the ascent it is told, for a
// task whose inner run steps theta with its own (learned) updater.
class AscentRecorder final : public Updater {
 public:
  std::string Name() const override { return "ascent_recorder"; }
  void Reset(const ParamLayout& /*layout*/) override {}
  void Step(const SearchSignal& signal, Vec* /*theta*/, double* /*next_sigma*/) override {
    ascent_ = signal.ascent;
  }
  void SaveState(BinaryWriter& /*out*/) const override {}
  void LoadState(BinaryReader& /*in*/) override {}
  // The last ascent told.
  const Vec& Ascent() const { return ascent_; }

 private:
  Vec ascent_;
};

}  // namespace

EsAscent::EsAscent(std::unique_ptr<GradientEstimator> estimator, const ParamLayout& layout,
                   std::uint64_t seed)
    : layout_(layout),
      seed_(seed),
      ascent_(nullptr),
      strategy_(std::move(estimator), std::make_unique<AscentRecorder>()),
      sigma_(0.0) {
  strategy_.Reset(layout_, Vec::Zero(layout_.Size()));
  sigma_ = strategy_.Sigma();
  ascent_ = &static_cast<const AscentRecorder*>(strategy_.StepUpdater())->Ascent();
}

Vec EsAscent::Estimate(Problem& problem, const Vec& theta, std::int64_t step) {
  strategy_.Reset(layout_, theta);
  SearchIteration(problem, strategy_, seed_, static_cast<std::uint64_t>(step), 0.0, &candidates_,
                  &fitness_, nullptr);
  return *ascent_;
}

}  // namespace mnemo

// Small MLPs on synthetic data: regression onto a random tanh teacher
// network plus noise, or classification into the teacher's argmax classes.
// Gradients are exact (backpropagation) on random minibatches; the loss is
// the full training set's.
#include <cmath>
#include <string>

#include "core/meta/tasks/mlp.h"
#include "core/meta/tasks/task_family.h"
#include "core/meta/tasks/task_family_list.h"

namespace mnemo {
namespace {

// Stream indices of the task's random draws.
constexpr std::uint64_t kShapeIndex = 0;
constexpr std::uint64_t kDataIndex = 1;
constexpr std::uint64_t kTeacherIndex = 2;
constexpr std::uint64_t kInitIndex = 3;
constexpr std::uint64_t kBatchIndex = 4;
// Hidden width of the teacher network.
constexpr int kTeacherWidth = 16;
// Weight gain of the teacher (large enough for a non-linear target).
constexpr double kTeacherGain = 2.0;

// The sizes of one drawn MLP task.
struct MlpTaskSpec {
  MlpShape shape;  // the student network
  bool classification = false;
  int samples = 128;         // training set size
  int batch = 32;            // minibatch size
  double label_noise = 0.1;  // regression target noise
  double step_scale = 0.01;
};

// One MLP training problem.
class MlpTask final : public GradientTask {
 public:
  // Draws the data (from a teacher) and the initial weights from `seed`.
  MlpTask(const MlpTaskSpec& spec, std::uint64_t seed)
      : spec_(spec), net_(spec.shape), seed_(seed) {
    const int n = spec.samples;
    const int outputs = spec.shape.outputs;
    Stream data(seed, 0, kDataIndex);
    x_.resize(n, spec.shape.inputs);
    for (Eigen::Index i = 0; i < x_.size(); ++i) x_.data()[i] = data.Normal();
    Mlp teacher({spec.shape.inputs, {kTeacherWidth}, outputs});
    Stream teacher_rng(seed, 0, kTeacherIndex);
    const Mat y = teacher.Forward(teacher.RandomParams(teacher_rng, kTeacherGain), x_);
    if (spec.classification) {
      targets_ = Mat::Zero(n, outputs);
      for (int i = 0; i < n; ++i) {
        Eigen::Index best = 0;
        y.row(i).maxCoeff(&best);
        targets_(i, best) = 1.0;
      }
    } else {
      targets_ = y;
      for (Eigen::Index i = 0; i < targets_.size(); ++i) {
        targets_.data()[i] += spec.label_noise * data.Normal();
      }
    }
    Stream init(seed, 0, kInitIndex);
    initial_ = net_.RandomParams(init, 1.0);
    std::string text = "mlp[";
    text += std::to_string(spec.shape.inputs);
    for (int w : spec.shape.hidden) {
      text += '-';
      text += std::to_string(w);
    }
    text += '-';
    text += std::to_string(outputs);
    text += "] ";
    text += spec.classification ? "class" : "reg";
    describe_ = text;
  }

  ParamLayout Layout() const override { return net_.Layout(); }
  Vec Initial() const override { return initial_; }
  double StepScale() const override { return spec_.step_scale; }
  double Observe(const Vec& theta, std::int64_t step, Vec* ascent) override {
    const MlpLoss kind = spec_.classification ? MlpLoss::kCrossEntropy : MlpLoss::kSquared;
    const double loss = net_.Loss(theta, x_, targets_, kind, nullptr);
    if (spec_.batch >= spec_.samples) {
      net_.Loss(theta, x_, targets_, kind, ascent);
    } else {
      Stream rng(seed_, static_cast<std::uint64_t>(step), kBatchIndex);
      batch_x_.resize(spec_.batch, x_.cols());
      batch_targets_.resize(spec_.batch, targets_.cols());
      for (int i = 0; i < spec_.batch; ++i) {
        const auto row = static_cast<Eigen::Index>(rng.Below(spec_.samples));
        batch_x_.row(i) = x_.row(row);
        batch_targets_.row(i) = targets_.row(row);
      }
      net_.Loss(theta, batch_x_, batch_targets_, kind, ascent);
    }
    *ascent = -*ascent;
    return loss;
  }
  std::string Describe() const override { return describe_; }

 private:
  MlpTaskSpec spec_;
  Mlp net_;
  std::uint64_t seed_;
  Mat x_;        // inputs, samples x inputs
  Mat targets_;  // targets (one-hot for classification)
  Vec initial_;
  Mat batch_x_;           // scratch
  Mat batch_targets_;     // scratch
  std::string describe_;  // for logs
};

// Draws MLP tasks.
class MlpFamily final : public TaskFamily {
 public:
  // Keys: inputs, layers, width, classes (log ranges), classification (the
  // probability of a classification task), samples, batch, label_noise,
  // step_scale (log range).
  explicit MlpFamily(const ConfigNode& config) {
    AllowFamilyKeys(config, {"inputs", "layers", "width", "classes", "classification", "samples",
                             "batch", "label_noise", "step_scale"});
    inputs_ = GetLogRange(config, "inputs", {2, 8}, 1, 1e4);
    layers_ = GetLogRange(config, "layers", {1, 2}, 1, 8);
    width_ = GetLogRange(config, "width", {8, 32}, 1, 1e4);
    classes_ = GetLogRange(config, "classes", {2, 4}, 2, 1e3);
    classification_ = config.GetDouble("classification", 0.5, 0.0, 1.0);
    samples_ = static_cast<int>(config.GetInt("samples", 128, 1, 1 << 20));
    batch_ = static_cast<int>(config.GetInt("batch", 32, 1, 1 << 20));
    label_noise_ = config.GetDouble("label_noise", 0.1, 0.0, 1e3);
    step_scale_ = GetLogRange(config, "step_scale", {0.01, 0.01}, 1e-12, 1e6);
  }

  std::string Name() const override { return "mlp"; }
  std::unique_ptr<MetaTask> Sample(std::uint64_t seed) const override {
    Stream rng(seed, 0, kShapeIndex);
    MlpTaskSpec spec;
    spec.classification = rng.Uniform() < classification_;
    spec.shape.inputs = inputs_.SampleInt(rng);
    const int layers = layers_.SampleInt(rng);
    const int width = width_.SampleInt(rng);
    spec.shape.hidden.assign(layers, width);
    spec.shape.outputs = spec.classification ? classes_.SampleInt(rng) : 1;
    spec.samples = samples_;
    spec.batch = batch_;
    spec.label_noise = label_noise_;
    spec.step_scale = step_scale_.Sample(rng);
    return std::make_unique<MlpTask>(spec, seed);
  }

 private:
  LogRange inputs_;
  LogRange layers_;
  LogRange width_;
  LogRange classes_;
  double classification_ = 0.5;
  int samples_ = 128;
  int batch_ = 32;
  double label_noise_ = 0.1;
  LogRange step_scale_;
};

}  // namespace

TaskFamilyRegistry::Entry MlpFamilyEntry() {
  return {"mlp",
          "small tanh MLPs on synthetic regression and classification (exact minibatch gradients)",
          [](const ConfigNode& c) -> std::unique_ptr<TaskFamily> {
            return std::make_unique<MlpFamily>(c);
          }};
}

}  // namespace mnemo

// OptimizerCore: an updater (SGD, momentum, Adam, nominal, the learned
// mnemosyne, mnemosyne_coordinatewise and lstm) stepped on its own, on
// parameters it keeps, from ascent directions given by Python.
#include <pybind11/stl.h>

#include <limits>
#include <optional>

#include "core/es/learned_weights_check.h"
#include "core/optim/learned_updater.h"
#include "core/optim/learned_weights_file.h"
#include "core/optim/updater_list.h"
#include "core/util/error.h"
#include "python/src/bindings.h"
#include "python/src/convert.h"
#include "python/src/errors.h"

namespace mnemo::python {
namespace {

// An updater and the parameters it moves.
class OptimizerCore {
 public:
  // The updater of config section `config`, over `theta`.
  OptimizerCore(const ConfigNode& config, Vec theta)
      : updater_(MakeUpdater(config)), theta_(std::move(theta)) {
    // Learned weights: finite and bounded, as training checks them.
    CheckLearnedWeights(
        *updater_, config.Has("weights") ? ResolveWeightsPath(config, "weights") : "optimizer");
    updater_->Reset(ParamLayout::Flat(static_cast<int>(theta_.size())));
  }

  // Moves theta along `ascent` (the direction that improves: minus a
  // gradient); `sigma` is the step unit, `nominal` the estimator's own step
  // (default sigma * ascent), `fitness` the candidates' returns if any.
  // Returns the step taken.
  py::array_t<double> Step(const DoubleArray& ascent, double sigma,
                           std::optional<DoubleArray> nominal, std::optional<DoubleArray> fitness,
                           double budget_fraction) {
    const int dim = static_cast<int>(theta_.size());
    if (!(sigma > 0.0) || !std::isfinite(sigma)) throw Error("sigma must be a positive number");
    if (!(budget_fraction >= 0.0 && budget_fraction <= 1.0)) {
      throw Error("budget_fraction must be in [0, 1]");
    }
    SearchSignal signal = GradientSignal(ToVec(ascent, dim, "ascent"), sigma);
    if (nominal) signal.nominal_step = ToVec(*nominal, dim, "nominal_step");
    if (fitness) {
      const Vec f = ToVec(*fitness, -1, "fitness");
      signal.returns = SummarizeReturns({f.data(), static_cast<std::size_t>(f.size())});
      best_so_far_ = std::max(best_so_far_, signal.returns.best);
      signal.returns.best_so_far = best_so_far_;
    }
    signal.iteration = iteration_;
    signal.budget_fraction = budget_fraction;
    const Vec before = theta_;
    double next_sigma = sigma;
    updater_->Step(signal, &theta_, &next_sigma);
    sigma_ = next_sigma;
    ++iteration_;
    return ToArray(theta_ - before);
  }

  const Updater& GetUpdater() const { return *updater_; }
  const Vec& Theta() const { return theta_; }
  // Replaces the parameters (the updater's memory stays).
  void SetTheta(const DoubleArray& theta) {
    theta_ = ToVec(theta, static_cast<int>(theta_.size()), "theta");
  }
  // The learned updater's meta-parameters, flat, in MetaLayout's order.
  py::array_t<double> MetaParams() const { return ToArray(Learned().MetaParams()); }
  // Replaces them (finite numbers, as many as there are).
  void SetMetaParams(const DoubleArray& params) {
    LearnedUpdater& learned = Learned();
    const Vec p = ToVec(params, learned.MetaParamCount(), "meta_params");
    if (!p.allFinite()) throw Error("meta_params: every number must be finite");
    learned.SetMetaParams(p);
  }
  // The named tensors inside the meta-parameters: {name: (offset, rows, cols)}.
  py::dict MetaLayout() const {
    const ParamLayout layout = Learned().MetaLayout();
    py::dict tensors;
    for (const TensorSlice& t : layout.Tensors()) {
      tensors[py::str(t.name)] = py::make_tuple(t.offset, t.rows, t.cols);
    }
    return tensors;
  }
  // Writes the learned updater's weights file (its architecture and
  // meta-parameters) to `path`.
  void SaveWeights(const std::string& path) const { Learned().SaveWeights(path); }
  std::optional<double> Sigma() const { return sigma_; }
  std::int64_t Iteration() const { return iteration_; }

 private:
  // The updater as a learned one; an Error for the hand-designed ones.
  LearnedUpdater& Learned() const {
    auto* learned = dynamic_cast<LearnedUpdater*>(updater_.get());
    if (learned == nullptr) {
      throw Error("'" + updater_->Name() + "' is hand-designed: it has no meta-parameters");
    }
    return *learned;
  }

  std::unique_ptr<Updater> updater_;
  Vec theta_;
  std::optional<double> sigma_;  // the sigma the last step set
  std::int64_t iteration_ = 0;   // steps taken
  double best_so_far_ = -std::numeric_limits<double>::infinity();
};

// The updater `name` with `hyper` (its config keys, e.g. lr or weights)
// over `dim` numbers starting at `theta` (None: zeros).
std::unique_ptr<OptimizerCore> NewOptimizer(const std::string& name, int dim, py::handle theta,
                                            const py::dict& hyper) {
  if (dim < 1) throw Error("Optimizer: dim must be at least 1");
  YAML::Node root(YAML::NodeType::Map);
  root["optimizer"] = ToYaml(hyper);
  root["optimizer"]["type"] = name;
  Vec start =
      theta.is_none() ? Vec(Vec::Zero(dim)) : ToVec(theta.cast<DoubleArray>(), dim, "theta");
  const ConfigNode config = ToConfig(root, "<mnemo.Optimizer>").Child("optimizer");
  RequireFile(config, "weights");
  return std::make_unique<OptimizerCore>(config, std::move(start));
}

}  // namespace

void BindOptimizer(py::module_& m) {
  py::class_<OptimizerCore>(m, "OptimizerCore", "An updater on its own (use mnemo.Optimizer)")
      .def(py::init(&NewOptimizer), py::arg("name"), py::arg("dim"), py::arg("theta"),
           py::arg("hyper"))
      .def("step", &OptimizerCore::Step, py::arg("ascent"), py::arg("sigma") = 1.0,
           py::arg("nominal_step") = py::none(), py::arg("fitness") = py::none(),
           py::arg("budget_fraction") = 0.0)
      .def_property(
          "theta", [](const OptimizerCore& o) { return ToArray(o.Theta()); },
          &OptimizerCore::SetTheta)
      .def_property("meta_params", &OptimizerCore::MetaParams, &OptimizerCore::SetMetaParams)
      .def_property_readonly("meta_layout", &OptimizerCore::MetaLayout)
      .def("save_weights", &OptimizerCore::SaveWeights, py::arg("path"))
      .def_property_readonly("sigma", &OptimizerCore::Sigma)
      .def_property_readonly("iteration", &OptimizerCore::Iteration)
      .def_property_readonly("name", [](const OptimizerCore& o) { return o.GetUpdater().Name(); });
  m.def(
      "updaters", [] { return EntryNames(Updaters()); }, "The names of the updaters");
}

}  // namespace mnemo::python

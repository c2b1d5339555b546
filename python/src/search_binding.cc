// Search: the project's search methods (ARS, OpenAI-ES with any updater,
// CMA-ES) as ask/tell over any objective, built from a training config (then
// it asks what `mnemo train` asks, seed for seed) or from keyword arguments.
#include <pybind11/stl.h>

#include <optional>
#include <sstream>

#include "apps/lib/training/train_config.h"
#include "apps/lib/training/trainer.h"
#include "core/es/gradient_strategy.h"
#include "core/util/error.h"
#include "python/src/bindings.h"
#include "python/src/convert.h"
#include "python/src/errors.h"

namespace mnemo::python {
namespace {

// A strategy with the iteration counter, the seed and the budget that
// training keeps around it.
class SearchCore {
 public:
  // `strategy` started at `theta` for parameters of `layout`; candidates are
  // keyed by `seed`; the budgets (0: none) give tell's budget fraction.
  SearchCore(std::unique_ptr<Strategy> strategy, const ParamLayout& layout, Vec theta,
             std::uint64_t seed, std::int64_t max_iterations, std::int64_t max_evaluations)
      : strategy_(std::move(strategy)),
        dim_(layout.Size()),
        seed_(seed),
        max_iterations_(max_iterations),
        max_evaluations_(max_evaluations) {
    strategy_->Reset(layout, std::move(theta));
  }

  // The candidates of this iteration [K, dim].
  py::array_t<double> Ask() {
    strategy_->Ask(seed_, static_cast<std::uint64_t>(iteration_), &candidates_);
    asked_ = true;
    return RowsToArray(candidates_, dim_);
  }

  // Moves theta from the fitness of the asked candidates (larger is better).
  py::dict Tell(const DoubleArray& fitness, std::optional<double> budget_fraction,
                py::handle task_returns) {
    if (!asked_) throw Error("Search.tell: call ask() first");
    const Vec f = ToVec(fitness, static_cast<int>(candidates_.size()), "fitness");
    const Vec own = task_returns.is_none()
                        ? Vec()
                        : ToVec(task_returns.cast<DoubleArray>(),
                                static_cast<int>(candidates_.size()), "task_returns");
    const double fraction = budget_fraction ? *budget_fraction : FractionDone();
    if (!(fraction >= 0.0 && fraction <= 1.0)) throw Error("budget_fraction must be in [0, 1]");
    const StrategyStep step =
        strategy_->Tell({f.data(), static_cast<std::size_t>(f.size())},
                        {own.data(), static_cast<std::size_t>(own.size())}, fraction);
    ++iteration_;
    evaluations_ += f.size();
    asked_ = false;
    py::dict out;
    out["ascent_norm"] = step.ascent_norm;
    out["step_norm"] = step.step_norm;
    return out;
  }

  // The fraction of the budget spent, as the trainer tells it.
  double FractionDone() const {
    double f = 0;
    if (max_iterations_ > 0) f = std::max(f, double(iteration_) / double(max_iterations_));
    if (max_evaluations_ > 0) f = std::max(f, double(evaluations_) / double(max_evaluations_));
    return std::min(1.0, f);
  }

  // The next ask's sigma (None for strategies with their own, e.g. CMA-ES).
  std::optional<double> Sigma() const {
    const auto* gradient = dynamic_cast<const GradientStrategy*>(strategy_.get());
    return gradient != nullptr ? std::optional<double>(gradient->Sigma()) : std::nullopt;
  }

  // Everything needed to continue the search exactly.
  py::dict StateDict() const {
    std::ostringstream bytes;
    BinaryWriter out(bytes);
    strategy_->SaveState(out);
    py::dict d;
    d["method"] = strategy_->Name();
    d["dim"] = dim_;
    d["seed"] = seed_;
    d["iteration"] = iteration_;
    d["evaluations"] = evaluations_;
    d["theta"] = ToArray(strategy_->Theta());
    d["state"] = py::bytes(bytes.str());
    return d;
  }

  // Continues from what StateDict gave (of a search of the same method and size).
  void LoadStateDict(const py::dict& d) {
    const std::string method = d["method"].cast<std::string>();
    if (method != strategy_->Name() || d["dim"].cast<int>() != dim_) {
      throw Error("Search.load_state_dict: a state of " + method + " over " +
                  std::to_string(d["dim"].cast<int>()) + " numbers, this search is " +
                  strategy_->Name() + " over " + std::to_string(dim_));
    }
    std::istringstream bytes(d["state"].cast<std::string>());
    BinaryReader in(bytes, "<Search.load_state_dict>");
    in.RequireFiniteArrays();
    strategy_->LoadState(in);
    in.ExpectEnd();
    seed_ = d["seed"].cast<std::uint64_t>();
    iteration_ = d["iteration"].cast<std::int64_t>();
    evaluations_ = d["evaluations"].cast<std::int64_t>();
    asked_ = false;
  }

  const Strategy& GetStrategy() const { return *strategy_; }
  int Dim() const { return dim_; }
  std::uint64_t Seed() const { return seed_; }
  std::int64_t Iteration() const { return iteration_; }
  std::int64_t Evaluations() const { return evaluations_; }

 private:
  std::unique_ptr<Strategy> strategy_;
  int dim_;
  std::uint64_t seed_;
  std::int64_t max_iterations_;
  std::int64_t max_evaluations_;
  std::int64_t iteration_ = 0;    // tells so far
  std::int64_t evaluations_ = 0;  // candidates told so far
  std::vector<Vec> candidates_;   // of the last ask
  bool asked_ = false;            // an ask waits for its tell
};

// The search of a training config: what `mnemo train` runs, started where it starts.
std::unique_ptr<SearchCore> FromConfig(const std::string& path,
                                       const std::vector<std::string>& overrides) {
  const TrainConfig c = LoadTrainConfig(path, overrides);
  auto task = MakeTask(c.task, c.task_options);
  const PolicySpec spec{c.policy_kind,      task->ObsDim(), task->ActDim(), task->ActionLow(),
                        task->ActionHigh(), c.hidden,       c.clip_actions};
  const std::unique_ptr<Policy> policy = MakePolicy(spec, *c.policies);
  return std::make_unique<SearchCore>(MakeStrategy(c.search, c.optimizer), policy->Layout(),
                                      InitialRunParams(*policy, c.seed), c.seed, c.max_iterations,
                                      c.max_episodes);
}

// A search of `method` over `dim` numbers with `hyper` (the keys of a
// config's search section) and the updater `optimizer` (a section).
std::unique_ptr<SearchCore> FromArgs(const std::string& method, int dim, py::handle optimizer,
                                     std::uint64_t seed, py::handle theta,
                                     std::int64_t max_iterations, std::int64_t max_evaluations,
                                     const py::dict& hyper) {
  if (dim < 1) throw Error("Search: dim must be at least 1");
  YAML::Node root(YAML::NodeType::Map);
  root["search"] = ToYaml(hyper);
  root["search"]["type"] = method;
  if (py::isinstance<py::str>(optimizer)) {
    root["optimizer"]["type"] = optimizer.cast<std::string>();
  } else {
    root["optimizer"] = ToYaml(optimizer);
  }
  const ConfigNode config = ToConfig(root, "<mnemo.Search>");
  RequireFile(config.Child("optimizer"), "weights");
  Vec start =
      theta.is_none() ? Vec(Vec::Zero(dim)) : ToVec(theta.cast<DoubleArray>(), dim, "theta");
  return std::make_unique<SearchCore>(
      MakeStrategy(config.Child("search"), config.Child("optimizer")), ParamLayout::Flat(dim),
      std::move(start), seed, max_iterations, max_evaluations);
}

}  // namespace

void BindSearch(py::module_& m) {
  py::class_<SearchCore>(m, "SearchCore", "Ask/tell search (use mnemo.Search)")
      .def_static("from_config", &FromConfig, py::arg("path"), py::arg("overrides"))
      .def(py::init(&FromArgs), py::arg("method"), py::arg("dim"), py::arg("optimizer"),
           py::arg("seed"), py::arg("theta"), py::arg("max_iterations"), py::arg("max_evaluations"),
           py::arg("hyper"))
      .def("ask", &SearchCore::Ask)
      .def("tell", &SearchCore::Tell, py::arg("fitness"), py::arg("budget_fraction") = py::none(),
           py::arg("task_returns") = py::none())
      .def("state_dict", &SearchCore::StateDict)
      .def("load_state_dict", &SearchCore::LoadStateDict, py::arg("state"))
      .def_property_readonly("theta",
                             [](const SearchCore& s) { return ToArray(s.GetStrategy().Theta()); })
      .def_property_readonly("sigma", &SearchCore::Sigma)
      .def_property_readonly("method", [](const SearchCore& s) { return s.GetStrategy().Name(); })
      .def_property_readonly("dim", &SearchCore::Dim)
      .def_property_readonly("seed", &SearchCore::Seed)
      .def_property_readonly("iteration", &SearchCore::Iteration)
      .def_property_readonly("evaluations", &SearchCore::Evaluations)
      .def_property_readonly("budget_fraction", &SearchCore::FractionDone);
}

}  // namespace mnemo::python

// PolicyCore: a policy at given parameters, callable on observations (the
// C++ Act, after the policy's own observation normalization); loaded from a
// policy file or made for a task.
#include <pybind11/stl.h>

#include "apps/lib/training/run_files.h"
#include "core/util/error.h"
#include "policies/observation_normalizer.h"
#include "policies/policy_file.h"
#include "python/src/bindings.h"
#include "python/src/convert.h"
#include "python/src/task_args.h"

namespace mnemo::python {
namespace {

// A saved policy ready to act, with where it came from.
class PolicyCore {
 public:
  // `saved` run on `options` (its run's task options); `path` its file or "".
  PolicyCore(SavedPolicy saved, TaskOptions options, std::string path)
      : saved_(std::move(saved)),
        options_(std::move(options)),
        path_(std::move(path)),
        policy_(MakePolicy(saved_.spec)),
        normalizer_(saved_.spec.obs_dim),
        normalized_(saved_.spec.obs_dim),
        action_(saved_.spec.act_dim),
        scratch_(std::max(1, policy_->ScratchSize())) {
    if (saved_.params.size() != policy_->NumParams()) {
      throw Error("a " + saved_.spec.kind + " policy of task " + saved_.task + " has " +
                  std::to_string(policy_->NumParams()) + " parameters, got " +
                  std::to_string(saved_.params.size()));
    }
    if (saved_.normalize) normalizer_.SetStats(saved_.obs_stats);
  }

  // The action for observation `obs`.
  py::array_t<double> Act(const DoubleArray& obs) {
    const Vec o = ToVec(obs, saved_.spec.obs_dim, saved_.task + ": observation");
    const double* input = o.data();
    if (saved_.normalize) {
      normalizer_.Normalize(o.data(), normalized_.data());
      input = normalized_.data();
    }
    policy_->Act(saved_.params.data(), input, action_.data(), scratch_.data());
    return ToArray(action_);
  }

  const SavedPolicy& Saved() const { return saved_; }
  const TaskOptions& Options() const { return options_; }
  const std::string& Path() const { return path_; }

 private:
  SavedPolicy saved_;
  TaskOptions options_;
  std::string path_;
  std::unique_ptr<Policy> policy_;
  ObservationNormalizer normalizer_;  // the saved statistics, frozen
  Vec normalized_;                    // scratch: the normalized observation
  Vec action_;                        // scratch: the action
  Vec scratch_;                       // the policy's own scratch
};

// The policy file at `path`, on the task options of the run it lies in.
std::unique_ptr<PolicyCore> LoadPolicyCore(const std::string& path) {
  SavedPolicy saved = LoadPolicy(path);
  TaskOptions options = TaskOptionsOfPolicy(path, saved.task, nullptr);
  auto task = MakeTask(saved.task, options);
  CheckPolicyFits(saved, path, task->Name(), task->ObsDim(), task->ActDim());
  return std::make_unique<PolicyCore>(std::move(saved), std::move(options), path);
}

// A policy of `kind` for task `name` (with `options`) at `params`.
std::unique_ptr<PolicyCore> NewPolicyCore(const std::string& name, const py::dict& options,
                                          const DoubleArray& params, const std::string& kind,
                                          const std::vector<int>& hidden, py::handle obs_stats,
                                          bool normalize, bool clip_actions) {
  auto task = MakeTaskFromArgs(name, options, "<mnemo.Policy>");
  SavedPolicy saved;
  saved.task = task->Name();
  saved.spec =
      PolicySpec{kind,   task->ObsDim(), task->ActDim(), task->ActionLow(), task->ActionHigh(),
                 hidden, clip_actions};
  saved.params = ToVec(params, -1, "params");
  saved.normalize = normalize;
  saved.obs_stats = ToStats(obs_stats, task->ObsDim(), "obs_stats");
  return std::make_unique<PolicyCore>(std::move(saved), task->Options(), "");
}

}  // namespace

void BindPolicy(py::module_& m) {
  m.def("load_policy_core", &LoadPolicyCore, py::arg("path"));
  py::class_<PolicyCore>(m, "PolicyCore", "A policy at its parameters (use mnemo.Policy)")
      .def(py::init(&NewPolicyCore), py::arg("task"), py::arg("options"), py::arg("params"),
           py::arg("kind"), py::arg("hidden"), py::arg("obs_stats"), py::arg("normalize"),
           py::arg("clip_actions"))
      .def("__call__", &PolicyCore::Act, py::arg("obs"))
      .def("save",
           [](const PolicyCore& p, const std::string& path) { SavePolicy(p.Saved(), path); })
      .def_property_readonly("task", [](const PolicyCore& p) { return p.Saved().task; })
      .def_property_readonly("kind", [](const PolicyCore& p) { return p.Saved().spec.kind; })
      .def_property_readonly("hidden", [](const PolicyCore& p) { return p.Saved().spec.hidden; })
      .def_property_readonly("clip_actions",
                             [](const PolicyCore& p) { return p.Saved().spec.clip_actions; })
      .def_property_readonly("obs_dim", [](const PolicyCore& p) { return p.Saved().spec.obs_dim; })
      .def_property_readonly("act_dim", [](const PolicyCore& p) { return p.Saved().spec.act_dim; })
      .def_property_readonly("params",
                             [](const PolicyCore& p) { return ToArray(p.Saved().params); })
      .def_property_readonly("normalize", [](const PolicyCore& p) { return p.Saved().normalize; })
      .def_property_readonly("obs_stats", [](const PolicyCore& p) { return p.Saved().obs_stats; })
      .def_property_readonly("task_options",
                             [](const PolicyCore& p) { return TaskOptionsToDict(p.Options()); })
      .def_property_readonly("path", &PolicyCore::Path);
}

}  // namespace mnemo::python

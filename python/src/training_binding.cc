// load_config(): a training config resolved as `mnemo train` resolves it;
// train_core(): `mnemo train` itself (the same Trainer, run folder and
// lock), the GIL released, Ctrl-C abandoning the iteration under way so that
// the run folder keeps the last whole one.
#include <pybind11/stl.h>

#include <exception>
#include <nlohmann/json.hpp>

#include "apps/lib/training/run_files.h"
#include "apps/lib/training/trainer.h"
#include "core/util/error.h"
#include "python/src/bindings.h"
#include "python/src/convert.h"
#include "python/src/interruptible.h"

namespace mnemo::python {
namespace {

// `report` as a dict for the Python callback.
py::dict ReportDict(const IterationReport& r) {
  py::dict d;
  d["iteration"] = r.iteration;
  d["episodes"] = r.episodes;
  d["train_return_mean"] = r.train_return_mean;
  d["eval_return_mean"] = r.eval_return_mean;
  d["best_eval_return"] = r.best_eval_return;
  d["env_steps_per_second"] = r.env_steps_per_second;
  d["fraction_done"] = r.fraction_done;
  return d;
}

// The trainer of a new run (config, overrides, folder) or of a resumed one.
std::unique_ptr<Trainer> MakeTrainer(const std::string& config,
                                     const std::vector<std::string>& overrides,
                                     const std::string& out, const std::string& resume) {
  if (!resume.empty()) {
    if (!config.empty() || !overrides.empty() || !out.empty()) {
      throw Error(
          "resume continues a run in its own folder with its own config; drop config, overrides "
          "and out");
    }
    return Trainer::Resume(resume);
  }
  TrainConfig c = LoadTrainConfig(config, overrides);
  const std::string dir = out.empty() ? DefaultTrainRunDir(c) : out;
  return std::make_unique<Trainer>(std::move(c), dir);
}

// Trains; calls `callback` (None: nothing) with each iteration's report, on
// the training thread with the GIL (an exception it raises stops the run
// after that iteration and is raised here); returns summary.json's text and
// the run folder.
std::pair<std::string, std::string> Train(const std::string& config,
                                          const std::vector<std::string>& overrides,
                                          const std::string& out, const std::string& resume,
                                          py::object callback) {
  std::unique_ptr<Trainer> trainer = MakeTrainer(config, overrides, out, resume);
  std::exception_ptr callback_failure;
  const auto on_iteration = [&](const IterationReport& r) {
    if (callback.is_none() || callback_failure) return;
    py::gil_scoped_acquire gil;
    try {
      callback(ReportDict(r));
    } catch (const py::error_already_set&) {
      callback_failure = std::current_exception();
      trainer->Stop();
    }
  };
  TrainSummary summary;
  RunInterruptible([&] { summary = trainer->Run(on_iteration); }, [&] { trainer->Cancel(); });
  if (callback_failure) std::rethrow_exception(callback_failure);
  return {SummaryJson(summary).dump(), trainer->RunDir()};
}

}  // namespace

void BindTraining(py::module_& m) {
  m.def(
      "load_config",
      [](const std::string& path, const std::vector<std::string>& overrides) {
        return FromYaml(LoadTrainConfig(path, overrides).resolved);
      },
      py::arg("path"), py::arg("overrides"));
  m.def("train_core", &Train, py::arg("config"), py::arg("overrides"), py::arg("out"),
        py::arg("resume"), py::arg("callback"));
}

}  // namespace mnemo::python

// The parts of the extension _mnemo, each defined in its own file and added to
// the module by module.cc.
#pragma once

#include <pybind11/pybind11.h>

namespace mnemo::python {

namespace py = pybind11;

// mnemo::Error as ValueError (FileNotFoundError when it names a missing file).
void BindErrors(py::module_& m);
// RunningStats: observation statistics.
void BindRunningStats(py::module_& m);
// EnvCore: one episode of a task, stepped from Python; tasks().
void BindEnv(py::module_& m);
// PolicyCore: a policy at given parameters; load_policy_core().
void BindPolicy(py::module_& m);
// rollout_core(): batches of episodes on the C++ rollout engine.
void BindRollout(py::module_& m);
// Search: ask/tell over any objective.
void BindSearch(py::module_& m);
// Optimizer: an updater stepped on its own.
void BindOptimizer(py::module_& m);
// load_config(), train_core(): configs and the CLI's trainer.
void BindTraining(py::module_& m);

}  // namespace mnemo::python

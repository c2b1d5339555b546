// A task from Python arguments: its name and the options a config's `task:`
// section takes (xml, max_episode_steps, use_contact_forces,
// reset_noise_scale), checked the same way.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <string>

#include "envs/task.h"

namespace mnemo::python {

namespace py = pybind11;

// The options in `options` (a dict; None values are left out), checked as a
// config's task section; `source` names the call in errors ("<mnemo.make>").
// An unknown task `name` is the Error `mnemo` prints for one.
TaskOptions TaskOptionsFromArgs(const std::string& name, const py::dict& options,
                                const std::string& source);
// The task `name` built with those options.
std::shared_ptr<const Task> MakeTaskFromArgs(const std::string& name, const py::dict& options,
                                             const std::string& source);
// `options` as the dict TaskOptionsFromArgs reads (xml only when set,
// reset_noise_scale only when not the task's default).
py::dict TaskOptionsToDict(const TaskOptions& options);

}  // namespace mnemo::python

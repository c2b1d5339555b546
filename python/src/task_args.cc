#include "python/src/task_args.h"

#include "apps/lib/training/train_config.h"
#include "envs/task_list.h"
#include "python/src/convert.h"

namespace mnemo::python {

TaskOptions TaskOptionsFromArgs(const std::string& name, const py::dict& options,
                                const std::string& source) {
  // The message of `mnemo rollout-bench --task NAME` for an unknown name.
  if (!Tasks().Has(name)) MakeTask(name);
  YAML::Node task(YAML::NodeType::Map);
  for (auto [key, value] : options) {
    if (!value.is_none()) task[py::str(key).cast<std::string>()] = ToYaml(value);
  }
  YAML::Node root(YAML::NodeType::Map);
  root["task"] = task;
  const ConfigNode section = ToConfig(root, source).Child("task");
  section.AllowOnly({"xml", "max_episode_steps", "use_contact_forces", "reset_noise_scale"});
  TrainConfig config;
  ReadTaskSection(section, &config);
  return config.task_options;
}

std::shared_ptr<const Task> MakeTaskFromArgs(const std::string& name, const py::dict& options,
                                             const std::string& source) {
  return MakeTask(name, TaskOptionsFromArgs(name, options, source));
}

py::dict TaskOptionsToDict(const TaskOptions& options) {
  py::dict out;
  if (!options.xml_path.empty()) out["xml"] = options.xml_path;
  out["max_episode_steps"] = options.max_episode_steps;
  out["use_contact_forces"] = options.use_contact_forces;
  if (options.reset_noise_scale >= 0) out["reset_noise_scale"] = options.reset_noise_scale;
  return out;
}

}  // namespace mnemo::python

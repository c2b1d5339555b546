#include "envs/task.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "core/util/error.h"
#include "envs/mujoco_messages.h"
#include "envs/task_list.h"

namespace mnemo {

std::string AssetDir() {
  if (const char* dir = std::getenv("MNEMO_ASSET_DIR"); dir && *dir) return dir;
  return MNEMO_ASSET_DIR;
}

Task::Task(TaskSpec spec, const TaskOptions& options) : spec_(std::move(spec)), options_(options) {
  RouteMujocoMessages();
  xml_path_ = options.xml_path.empty() ? AssetDir() + "/" + spec_.asset : options.xml_path;
  if (!std::filesystem::exists(xml_path_)) {
    throw Error({xml_path_, 0, ""}, "MJCF file for task " + spec_.name + " not found");
  }
  char error[1024] = "";
  model_.reset(mj_loadXML(xml_path_.c_str(), nullptr, error, sizeof error));
  if (!model_) {
    throw Error({xml_path_, 0, ""},
                "MuJoCo could not load the model for task " + spec_.name + ": " + error);
  }
  if (model_->nu == 0) {
    throw Error({xml_path_, 0, ""}, "task " + spec_.name + ": the model has no actuators");
  }
  action_low_.resize(model_->nu);
  action_high_.resize(model_->nu);
  for (int i = 0; i < model_->nu; ++i) {
    const bool limited = model_->actuator_ctrllimited[i];
    action_low_[i] = limited ? model_->actuator_ctrlrange[2 * i] : -1e9;
    action_high_[i] = limited ? model_->actuator_ctrlrange[2 * i + 1] : 1e9;
  }
}

double Task::ResetNoiseScale() const {
  return options_.reset_noise_scale >= 0 ? options_.reset_noise_scale : spec_.reset_noise_scale;
}

void Task::ResetState(mjData* d, Stream& rng) const {
  const mjModel* m = model_.get();
  mj_resetData(m, d);
  const double s = ResetNoiseScale();
  for (int i = 0; i < m->nq; ++i) d->qpos[i] = m->qpos0[i] + rng.Uniform(-s, s);
  for (int i = 0; i < m->nv; ++i) {
    d->qvel[i] =
        spec_.velocity_noise == VelocityNoise::kNormal ? s * rng.Normal() : rng.Uniform(-s, s);
  }
  mj_forward(m, d);
}

int Task::RequireId(mjtObj type, const std::string& name) const {
  const int id = mj_name2id(model_.get(), type, name.c_str());
  if (id < 0) {
    const char* kind = type == mjOBJ_JOINT      ? "joint"
                       : type == mjOBJ_BODY     ? "body"
                       : type == mjOBJ_GEOM     ? "geom"
                       : type == mjOBJ_ACTUATOR ? "actuator"
                                                : "object";
    throw Error({xml_path_, 0, name}, std::string("task ") + spec_.name + " needs a " + kind +
                                          " named '" + name + "', which the model does not have");
  }
  return id;
}

int Task::JointQpos(const std::string& name) const {
  return model_->jnt_qposadr[RequireId(mjOBJ_JOINT, name)];
}

int Task::JointQvel(const std::string& name) const {
  return model_->jnt_dofadr[RequireId(mjOBJ_JOINT, name)];
}

double Task::SquaredActionNorm(const double* action) const {
  double sum = 0;
  for (int i = 0; i < model_->nu; ++i) sum += action[i] * action[i];
  return sum;
}

double Task::ClippedContactForceSquares(const mjData* d, double lo, double hi) const {
  double sum = 0;
  for (int i = 6; i < 6 * model_->nbody; ++i) {
    const double f = std::clamp(d->cfrc_ext[i], lo, hi);
    sum += f * f;
  }
  return sum;
}

std::shared_ptr<const Task> MakeTask(const std::string& name, const TaskOptions& options) {
  return Tasks().Create("task", name, options);
}

}  // namespace mnemo

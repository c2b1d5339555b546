// A MuJoCo locomotion task: the model (shared, read-only) and the task's
// rules (observation, reward terms, health). One Task serves many Envs.
#pragma once

#include <mujoco/mujoco.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "core/math/random_stream.h"
#include "core/math/types.h"
#include "core/util/registry.h"

namespace mnemo {

// Options a config can set on any task.
struct TaskOptions {
  std::string xml_path;            // another MJCF file (empty: the shipped one)
  int max_episode_steps = 1000;    // time limit of an episode
  bool use_contact_forces = true;  // Ant only: 105-D observation and contact cost
                                   // (Humanoid always uses them, as v5)
  double reset_noise_scale = -1;   // < 0: the task's published default
};

// Most reward terms a task reports.
inline constexpr int kMaxRewardTerms = 6;

// Why an episode ended.
enum class Termination {
  kTimeLimit,  // reached max_episode_steps
  kUnhealthy,  // the task's health check failed (e.g. a Hopper that fell)
  kUnstable,   // the simulation went bad (NaN, MuJoCo warning)
};

// How the body moved during one environment step.
struct Motion {
  double x_velocity = 0;  // of the task's tracked point, m/s
  double y_velocity = 0;
};

// The outcome of one environment step.
struct StepResult {
  double reward = 0;                            // sum of the terms
  std::array<double, kMaxRewardTerms> terms{};  // signed terms, as named
  bool terminated = false;                      // unhealthy
  bool unstable = false;                        // NaN or MuJoCo warning
};

// Owns an mjModel (freed with mj_deleteModel).
struct ModelDeleter {
  void operator()(mjModel* m) const { mj_deleteModel(m); }
};
// Owns an mjData (freed with mj_deleteData).
struct DataDeleter {
  void operator()(mjData* d) const { mj_deleteData(d); }
};
using ModelPtr = std::unique_ptr<mjModel, ModelDeleter>;
using DataPtr = std::unique_ptr<mjData, DataDeleter>;

// How a task perturbs the velocities at reset.
enum class VelocityNoise { kUniform, kNormal };

// Fixed facts of a task, given by each task to the base class.
struct TaskSpec {
  std::string name;                // registry name, e.g. "Hopper"
  std::string asset;               // shipped MJCF file in envs/assets
  int frame_skip = 1;              // mj_steps per environment step
  double reset_noise_scale = 0.1;  // published default
  VelocityNoise velocity_noise = VelocityNoise::kUniform;
  std::vector<std::string> reward_terms;  // names of StepResult::terms
  double solved_threshold = 0;            // ARS paper's threshold (0: none)
};

// Base of every task. Loads the model, resolves names, holds the rules.
// All methods are const and thread-safe: workers share one Task.
class Task {
 public:
  virtual ~Task() = default;
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;

  // Registry name.
  const std::string& Name() const { return spec_.name; }
  // The fixed facts.
  const TaskSpec& Spec() const { return spec_; }
  // The options it was built with.
  const TaskOptions& Options() const { return options_; }
  // The compiled model (shared by all workers).
  const mjModel* Model() const { return model_.get(); }
  // The MJCF file it was loaded from.
  const std::string& XmlPath() const { return xml_path_; }
  // Observation size.
  int ObsDim() const { return obs_dim_; }
  // Action size (number of actuators).
  int ActDim() const { return model_->nu; }
  // Lower control limit per actuator.
  const Vec& ActionLow() const { return action_low_; }
  // Upper control limit per actuator.
  const Vec& ActionHigh() const { return action_high_; }
  // Seconds per environment step (timestep * frame skip).
  double Dt() const { return model_->opt.timestep * spec_.frame_skip; }
  // Noise scale used at reset.
  double ResetNoiseScale() const;

  // Puts `d` in a fresh initial state drawn from `rng`, then runs mj_forward.
  virtual void ResetState(mjData* d, Stream& rng) const;
  // The planar position whose velocity is the forward reward.
  virtual Eigen::Vector2d TrackedPosition(const mjData* d) const = 0;
  // Writes the observation (ObsDim numbers) of state `d`.
  virtual void Observe(const mjData* d, double* obs) const = 0;
  // Fills the reward terms of a step that ended in state `d` (after action
  // `action` produced `motion`); returns their sum.
  virtual double Reward(const mjData* d, const Motion& motion, const double* action,
                        double* terms) const = 0;
  // Whether state `d` is healthy (tasks without a health check: always).
  virtual bool IsHealthy(const mjData* /*d*/) const { return true; }
  // Whether an unhealthy state ends the episode.
  virtual bool TerminatesWhenUnhealthy() const { return false; }
  // Whether Reward or Observe read cfrc_ext (then mj_rnePostConstraint runs).
  virtual bool NeedsContactForces() const { return false; }

 protected:
  // Loads the MJCF (options.xml_path or the shipped asset); a missing or
  // malformed file is an Error with MuJoCo's message and the path.
  Task(TaskSpec spec, const TaskOptions& options);
  // Sets the observation size (call once from the constructor).
  void SetObsDim(int dim) { obs_dim_ = dim; }
  // The id of a joint, body, geom or actuator; a missing name is an Error
  // naming the object, the task and the file.
  int RequireId(mjtObj type, const std::string& name) const;
  // qpos address of a named joint.
  int JointQpos(const std::string& name) const;
  // qvel address of a named joint.
  int JointQvel(const std::string& name) const;

  // Sum of squared actions (the control-cost base).
  double SquaredActionNorm(const double* action) const;
  // Sum of squared external contact forces of bodies 1.., each clipped to
  // [lo, hi] (the contact-cost base).
  double ClippedContactForceSquares(const mjData* d, double lo, double hi) const;

 private:
  TaskSpec spec_;         // the fixed facts
  TaskOptions options_;   // the options it was built with
  std::string xml_path_;  // the MJCF file loaded
  ModelPtr model_;        // the compiled model
  int obs_dim_ = 0;       // set by SetObsDim
  Vec action_low_;        // per actuator (-1e9 when unlimited)
  Vec action_high_;       // per actuator (1e9 when unlimited)
};

// Tasks by name, built from options.
using TaskRegistry = Registry<Task, const TaskOptions&>;

// Builds a task by name; an unknown name is an Error listing the known ones.
std::shared_ptr<const Task> MakeTask(const std::string& name, const TaskOptions& options = {});

// Folder of the shipped MJCF files ($MNEMO_ASSET_DIR overrides it).
std::string AssetDir();

}  // namespace mnemo

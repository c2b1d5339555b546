// Task-specific rules of Swimmer, Hopper and Walker2d: health and termination,
// the observation layout, name-based joints in variant MJCF files, and the
// errors for missing or broken model files.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/util/error.h"
#include "envs/env.h"
#include "envs/task.h"

namespace mnemo {
namespace {

namespace fs = std::filesystem;

// A scratch folder for variant MJCF files, removed when the test ends.
class ScratchDir {
 public:
  ScratchDir()
      : path_(fs::temp_directory_path() / ("mnemo_planar_walkers_" + std::to_string(getpid()))) {
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  // Writes `text` to `name` in the folder; returns its path.
  std::string Write(const std::string& name, const std::string& text) const {
    const fs::path file = path_ / name;
    std::ofstream(file) << text;
    return file.string();
  }

 private:
  fs::path path_;
};

// The text of a shipped MJCF file.
std::string ReadAsset(const std::string& file) {
  std::ifstream in(AssetDir() + "/" + file);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `text` with the one occurrence of `from` replaced by `to`.
std::string ReplaceOnce(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}

// The message of the Error that `f` throws ("" if it throws none).
std::string ErrorMessage(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// qpos address of a joint, looked up by name as the tasks do.
int QposOf(const Task& task, const char* joint) {
  const int id = mj_name2id(task.Model(), mjOBJ_JOINT, joint);
  REQUIRE(id >= 0);
  return task.Model()->jnt_qposadr[id];
}

// qvel address of a joint.
int QvelOf(const Task& task, const char* joint) {
  const int id = mj_name2id(task.Model(), mjOBJ_JOINT, joint);
  REQUIRE(id >= 0);
  return task.Model()->jnt_dofadr[id];
}

// Index of a reward term by name.
int TermIndex(const Task& task, const std::string& name) {
  const auto& names = task.Spec().reward_terms;
  const auto it = std::find(names.begin(), names.end(), name);
  REQUIRE(it != names.end());
  return static_cast<int>(it - names.begin());
}

// An env of `task_name`, reset with a fixed key.
struct Fixture {
  explicit Fixture(const std::string& task_name, const TaskOptions& options = {})
      : task(MakeTask(task_name, options)), env(task), obs(task->ObsDim()) {
    Stream rng(3);
    env.Reset(rng, obs.data());
  }
  // Moves the robot by hand and recomputes the derived quantities.
  void Place(const std::function<void(mjData*)>& edit) {
    edit(env.MutableData());
    mj_forward(task->Model(), env.MutableData());
  }
  std::shared_ptr<const Task> task;
  Env env;
  std::vector<double> obs;
};

TEST_CASE("Hopper and Walker2d that get no torque fall and terminate as unhealthy") {
  for (const char* name : {"Hopper", "Walker2d"}) {
    INFO("task ", name);
    Fixture f(name);
    CHECK(f.task->TerminatesWhenUnhealthy());
    const int healthy = TermIndex(*f.task, "healthy");
    const std::vector<double> zero(f.task->ActDim(), 0.0);
    int end = -1;
    for (int s = 0; s < 1000 && end < 0; ++s) {
      const StepResult r = f.env.Step(zero.data(), f.obs.data());
      REQUIRE_FALSE(r.unstable);
      if (r.terminated) {
        end = s;
        CHECK(r.terms[healthy] == 0.0);
        CHECK_FALSE(f.task->IsHealthy(f.env.Data()));
      } else {
        CHECK(r.terms[healthy] == 1.0);
      }
    }
    CHECK(end > 10);    // it stands for a moment...
    CHECK(end < 1000);  // ...but falls well before the time limit
  }
}

TEST_CASE("Hopper health follows the v5 bounds on height, pitch and state") {
  Fixture f("Hopper");
  const Task& t = *f.task;
  const int z = QposOf(t, "rootz");
  const int pitch = QposOf(t, "rooty");
  const int thigh_v = QvelOf(t, "thigh_joint");
  CHECK(t.IsHealthy(f.env.Data()));

  f.Place([&](mjData* d) { d->qpos[z] = 0.69; });
  CHECK_FALSE(t.IsHealthy(f.env.Data()));
  f.Place([&](mjData* d) { d->qpos[z] = 5.0; });  // no upper bound on z
  CHECK(t.IsHealthy(f.env.Data()));
  f.Place([&](mjData* d) {
    d->qpos[z] = 1.25;
    d->qpos[pitch] = 0.21;
  });
  CHECK_FALSE(t.IsHealthy(f.env.Data()));
  f.Place([&](mjData* d) { d->qpos[pitch] = -0.21; });
  CHECK_FALSE(t.IsHealthy(f.env.Data()));
  f.Place([&](mjData* d) { d->qpos[pitch] = 0.19; });
  CHECK(t.IsHealthy(f.env.Data()));
  f.Place([&](mjData* d) { d->qvel[thigh_v] = 100.5; });  // state range (-100, 100)
  CHECK_FALSE(t.IsHealthy(f.env.Data()));
  f.Place([&](mjData* d) { d->qvel[thigh_v] = 99.0; });
  CHECK(t.IsHealthy(f.env.Data()));
}

TEST_CASE("Walker2d health follows the v5 bounds on height and pitch") {
  Fixture f("Walker2d");
  const Task& t = *f.task;
  const int z = QposOf(t, "rootz");
  const int pitch = QposOf(t, "rooty");
  CHECK(t.IsHealthy(f.env.Data()));

  f.Place([&](mjData* d) { d->qpos[z] = 0.79; });
  CHECK_FALSE(t.IsHealthy(f.env.Data()));
  f.Place([&](mjData* d) { d->qpos[z] = 2.01; });
  CHECK_FALSE(t.IsHealthy(f.env.Data()));
  f.Place([&](mjData* d) {
    d->qpos[z] = 1.25;
    d->qpos[pitch] = 1.01;
  });
  CHECK_FALSE(t.IsHealthy(f.env.Data()));
  f.Place([&](mjData* d) { d->qpos[pitch] = -1.01; });
  CHECK_FALSE(t.IsHealthy(f.env.Data()));
  f.Place([&](mjData* d) { d->qpos[pitch] = 0.9; });
  CHECK(t.IsHealthy(f.env.Data()));
  // Walker2d has no state range: large velocities are still healthy.
  f.Place([&](mjData* d) { d->qvel[QvelOf(t, "thigh_joint")] = 500; });
  CHECK(t.IsHealthy(f.env.Data()));
}

TEST_CASE("a tilted walker terminates at once and earns no healthy reward") {
  for (const char* name : {"Hopper", "Walker2d"}) {
    INFO("task ", name);
    Fixture f(name);
    const int pitch = QposOf(*f.task, "rooty");
    f.Place([&](mjData* d) { d->qpos[pitch] = 1.3; });
    const std::vector<double> zero(f.task->ActDim(), 0.0);
    const StepResult r = f.env.Step(zero.data(), f.obs.data());
    CHECK(r.terminated);
    CHECK(r.terms[TermIndex(*f.task, "healthy")] == 0.0);
    CHECK(r.reward == doctest::Approx(r.terms[TermIndex(*f.task, "forward")] +
                                      r.terms[TermIndex(*f.task, "ctrl_cost")]));
  }
}

TEST_CASE("the walkers observe qpos without rootx and qvel clipped to +-10") {
  for (const char* name : {"Hopper", "Walker2d"}) {
    INFO("task ", name);
    Fixture f(name);
    const Task& t = *f.task;
    const int x = QposOf(t, "rootx");
    const int thigh_v = QvelOf(t, "thigh_joint");
    const int leg_v = QvelOf(t, "leg_joint");
    f.Place([&](mjData* d) {
      d->qpos[x] = 3.7;
      d->qvel[thigh_v] = 50;
      d->qvel[leg_v] = -50;
    });
    t.Observe(f.env.Data(), f.obs.data());
    const mjModel* m = t.Model();
    const mjData* d = f.env.Data();
    std::vector<double> expected;
    for (int i = 0; i < m->nq; ++i) {
      if (i != x) expected.push_back(d->qpos[i]);
    }
    for (int i = 0; i < m->nv; ++i) expected.push_back(std::clamp(d->qvel[i], -10.0, 10.0));
    CHECK(f.obs == expected);
    CHECK(f.obs[m->nq - 1 + thigh_v] == 10.0);
    CHECK(f.obs[m->nq - 1 + leg_v] == -10.0);
  }
}

TEST_CASE("Swimmer never terminates and tracks the front link's x and y") {
  Fixture f("Swimmer");
  const Task& t = *f.task;
  CHECK_FALSE(t.TerminatesWhenUnhealthy());
  const int x = QposOf(t, "slider1");
  const int y = QposOf(t, "slider2");
  Stream rng(21);
  std::vector<double> action(t.ActDim());
  for (int s = 0; s < 1000; ++s) {
    for (double& a : action) a = rng.Uniform(-1, 1);
    const StepResult r = f.env.Step(action.data(), f.obs.data());
    REQUIRE_FALSE(r.terminated);
    REQUIRE_FALSE(r.unstable);
  }
  const Eigen::Vector2d p = t.TrackedPosition(f.env.Data());
  CHECK(p.x() == f.env.Data()->qpos[x]);
  CHECK(p.y() == f.env.Data()->qpos[y]);
  // The observation leaves out both sliders.
  const mjModel* m = t.Model();
  std::vector<double> expected;
  for (int i = 0; i < m->nq; ++i) {
    if (i != x && i != y) expected.push_back(f.env.Data()->qpos[i]);
  }
  for (int i = 0; i < m->nv; ++i) expected.push_back(f.env.Data()->qvel[i]);
  CHECK(f.obs == expected);
}

// Shipped asset and a joint each task cannot do without.
struct NeededJoint {
  const char* task;
  const char* asset;
  const char* joint;
};
const NeededJoint kNeededJoints[] = {
    {"Swimmer", "swimmer.xml", "slider1"}, {"Swimmer", "swimmer.xml", "slider2"},
    {"Hopper", "hopper.xml", "rootx"},     {"Hopper", "hopper.xml", "rootz"},
    {"Walker2d", "walker2d.xml", "rooty"},
};

TEST_CASE("a variant MJCF lacking a needed joint is an Error naming the joint") {
  ScratchDir dir;
  for (const NeededJoint& n : kNeededJoints) {
    INFO("task ", n.task, ", joint ", n.joint);
    const std::string joint = std::string("name=\"") + n.joint + "\"";
    const std::string path = dir.Write(
        std::string("no_") + n.joint + "_" + n.asset,
        ReplaceOnce(ReadAsset(n.asset), joint, std::string("name=\"") + n.joint + "_renamed\""));
    TaskOptions options;
    options.xml_path = path;
    const std::string message = ErrorMessage([&] { MakeTask(n.task, options); });
    CHECK(message.find(std::string("'") + n.joint + "'") != std::string::npos);
    CHECK(message.find(path) != std::string::npos);
    CHECK(message.find(n.task) != std::string::npos);
  }
}

TEST_CASE("a variant MJCF with an extra joint in front of the robot still works") {
  // The extra body comes first, so every robot joint moves one qpos slot on:
  // a task that used fixed indices would read the wrong numbers.
  const std::string marker =
      "<worldbody>\n<body name=\"marker\" pos=\"0 3 0.5\">"
      "<joint name=\"marker_slide\" type=\"slide\" axis=\"1 0 0\" "
      "limited=\"false\"/>"
      "<geom type=\"sphere\" size=\"0.05\" contype=\"0\" "
      "conaffinity=\"0\"/></body>";
  ScratchDir dir;
  for (const NeededJoint& n : {kNeededJoints[0], kNeededJoints[2], kNeededJoints[4]}) {
    INFO("task ", n.task);
    const auto shipped = MakeTask(n.task);
    TaskOptions options;
    options.xml_path = dir.Write(std::string("marker_") + n.asset,
                                 ReplaceOnce(ReadAsset(n.asset), "<worldbody>", marker));
    Fixture f(n.task, options);
    const Task& t = *f.task;
    CHECK(t.ObsDim() == shipped->ObsDim() + 2);  // one more qpos, one more qvel
    CHECK(t.ActDim() == shipped->ActDim());
    const int x = QposOf(t, n.task == std::string("Swimmer") ? "slider1" : "rootx");
    CHECK(x == 1);
    CHECK(t.IsHealthy(f.env.Data()));
    const std::vector<double> zero(t.ActDim(), 0.0);
    for (int s = 0; s < 10; ++s) {
      const StepResult r = f.env.Step(zero.data(), f.obs.data());
      CHECK_FALSE(r.terminated);
      CHECK_FALSE(r.unstable);
    }
    CHECK(t.TrackedPosition(f.env.Data()).x() == f.env.Data()->qpos[x]);
    if (t.TerminatesWhenUnhealthy()) {
      // Height is read from rootz wherever it sits: lowering it is unhealthy.
      const int z = QposOf(t, "rootz");
      f.Place([&](mjData* d) { d->qpos[z] = 0.5; });
      CHECK_FALSE(t.IsHealthy(f.env.Data()));
    }
  }
}

TEST_CASE("a missing MJCF file is an Error with its path") {
  for (const char* name : {"Swimmer", "Hopper", "Walker2d"}) {
    INFO("task ", name);
    TaskOptions options;
    options.xml_path = "/nonexistent/mnemo/variant_robot.xml";
    const std::string message = ErrorMessage([&] { MakeTask(name, options); });
    CHECK(message.find(options.xml_path) != std::string::npos);
    CHECK(message.find("not found") != std::string::npos);
  }
}

TEST_CASE("a malformed MJCF file is an Error with its path and MuJoCo's message") {
  ScratchDir dir;
  TaskOptions options;
  options.xml_path = dir.Write("unknown_element.xml",
                               "<mujoco>\n<worldbody>\n<bogus/>\n</worldbody>\n</mujoco>\n");
  std::string message = ErrorMessage([&] { MakeTask("Hopper", options); });
  CHECK(message.find(options.xml_path) != std::string::npos);
  CHECK(message.find("unrecognized element") != std::string::npos);  // MuJoCo's words
  CHECK(message.find("bogus") != std::string::npos);

  options.xml_path = dir.Write("truncated.xml", "<mujoco><worldbody><body>\n");
  message = ErrorMessage([&] { MakeTask("Walker2d", options); });
  CHECK(message.find(options.xml_path) != std::string::npos);
  CHECK(message.find("XML") != std::string::npos);
}

}  // namespace
}  // namespace mnemo

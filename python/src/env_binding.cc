// EnvCore: one episode of a task stepped from Python, the C++ Env under the
// Gymnasium-style mnemo.Env (python/mnemo/env.py); tasks().
#include <pybind11/stl.h>

#include <optional>

#include "core/util/error.h"
#include "envs/env.h"
#include "envs/task_list.h"
#include "python/src/bindings.h"
#include "python/src/convert.h"
#include "python/src/renderer.h"
#include "python/src/task_args.h"

namespace mnemo::python {
namespace {

// An Env with the episode bookkeeping Gymnasium's API needs: seeding, the
// end of an episode, and the checks on actions.
class EnvCore {
 public:
  // An episode of `task` (not started: call Reset).
  explicit EnvCore(std::shared_ptr<const Task> task)
      : task_(std::move(task)), env_(task_), obs_(task_->ObsDim()) {}

  // Starts an episode: from Stream(seed) when a seed is given, else from the
  // next stream of the last seed (seed 0 when none was given); returns the
  // observation.
  py::array_t<double> Reset(std::optional<std::uint64_t> seed) {
    if (seed) {
      seed_ = *seed;
      episode_ = 0;
    } else {
      ++episode_;
    }
    Stream rng(seed_, 0, episode_);
    env_.Reset(rng, obs_.data());
    running_ = true;
    return ToArray(obs_);
  }

  // One step: (obs, reward, terminated, truncated, reward terms, unstable).
  py::tuple Step(const DoubleArray& action) {
    const std::string& name = task_->Name();
    if (!running_) {
      throw Error(name + ": the episode is over or not started; call reset() first");
    }
    const Vec a = ToVec(action, task_->ActDim(), name + ": action");
    const StepResult r = env_.Step(a.data(), obs_.data());
    const bool truncated = env_.TimeUp();
    running_ = !(r.terminated || r.unstable || truncated);
    py::dict terms;
    const auto& names = task_->Spec().reward_terms;
    for (std::size_t k = 0; k < names.size(); ++k) terms[py::str(names[k])] = r.terms[k];
    return py::make_tuple(ToArray(obs_), r.reward, r.terminated || r.unstable, truncated, terms,
                          r.unstable);
  }

  // The current state as an RGB picture [height, width, 3].
  py::array_t<unsigned char> Render(int width, int height) {
    if (!renderer_ || renderer_->Width() != width || renderer_->Height() != height) {
      renderer_.reset();
      renderer_ = std::make_unique<Renderer>(task_->Model(), width, height);
    }
    const std::vector<unsigned char> rgb = renderer_->Render(env_.Data());
    py::array_t<unsigned char> out({height, width, 3});
    std::copy(rgb.begin(), rgb.end(), out.mutable_data());
    return out;
  }

  // Frees the renderer (its OpenGL context).
  void Close() { renderer_.reset(); }
  const Task& GetTask() const { return *task_; }
  // Steps taken in this episode.
  int Steps() const { return env_.StepsTaken(); }

 private:
  std::shared_ptr<const Task> task_;
  Env env_;
  Vec obs_;                             // the current observation
  std::uint64_t seed_ = 0;              // the last seed given to Reset
  std::uint64_t episode_ = 0;           // resets since that seed
  bool running_ = false;                // an episode is under way
  std::unique_ptr<Renderer> renderer_;  // made by the first Render
};

}  // namespace

void BindEnv(py::module_& m) {
  m.def(
      "tasks", [] { return EntryNames(Tasks()); }, "The names of the tasks");
  py::class_<EnvCore>(m, "EnvCore", "One episode of a task (use mnemo.make)")
      .def(py::init([](const std::string& name, const py::dict& options) {
             return std::make_unique<EnvCore>(MakeTaskFromArgs(name, options, "<mnemo.make>"));
           }),
           py::arg("task"), py::arg("options"))
      .def("reset", &EnvCore::Reset, py::arg("seed") = py::none())
      .def("step", &EnvCore::Step, py::arg("action"))
      .def("render", &EnvCore::Render, py::arg("width"), py::arg("height"))
      .def("close", &EnvCore::Close)
      .def_property_readonly("steps", &EnvCore::Steps)
      .def_property_readonly("name", [](const EnvCore& e) { return e.GetTask().Name(); })
      .def_property_readonly("obs_dim", [](const EnvCore& e) { return e.GetTask().ObsDim(); })
      .def_property_readonly("act_dim", [](const EnvCore& e) { return e.GetTask().ActDim(); })
      .def_property_readonly("action_low",
                             [](const EnvCore& e) { return ToArray(e.GetTask().ActionLow()); })
      .def_property_readonly("action_high",
                             [](const EnvCore& e) { return ToArray(e.GetTask().ActionHigh()); })
      .def_property_readonly("dt", [](const EnvCore& e) { return e.GetTask().Dt(); })
      .def_property_readonly("reward_terms",
                             [](const EnvCore& e) { return e.GetTask().Spec().reward_terms; })
      .def_property_readonly(
          "options", [](const EnvCore& e) { return TaskOptionsToDict(e.GetTask().Options()); })
      .def_property_readonly("xml_path", [](const EnvCore& e) { return e.GetTask().XmlPath(); });
}

}  // namespace mnemo::python

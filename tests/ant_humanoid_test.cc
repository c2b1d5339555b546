// Ant and Humanoid: sizes, reward terms, health and termination, stability.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/util/error.h"
#include "envs/env.h"
#include "envs/task.h"

namespace mnemo {
namespace {

// Index of the reward term called `name` in `task`'s StepResult::terms.
int TermIndex(const Task& task, const std::string& name) {
  const auto& names = task.Spec().reward_terms;
  for (int i = 0; i < static_cast<int>(names.size()); ++i) {
    if (names[i] == name) return i;
  }
  FAIL("task " << task.Name() << " has no reward term " << name);
  return -1;
}

// Sum of the reported terms of a step.
double TermSum(const StepResult& r) {
  double sum = 0;
  for (double t : r.terms) sum += t;
  return sum;
}

// Whether all numbers of `v` are finite.
bool AllFinite(const std::vector<double>& v) {
  for (double x : v) {
    if (!std::isfinite(x)) return false;
  }
  return true;
}

// Centre of mass x of state `d` (mass-weighted body xipos).
double CenterOfMassX(const mjModel* m, const mjData* d) {
  double mass = 0;
  double sum = 0;
  for (int b = 0; b < m->nbody; ++b) {
    mass += m->body_mass[b];
    sum += m->body_mass[b] * d->xipos[3 * b];
  }
  return sum / mass;
}

// Places the root of `env`'s robot at height `z`, at rest, and recomputes
// the derived quantities.
void PlaceRootAt(Env& env, double z) {
  const mjModel* m = env.GetTask().Model();
  mjData* d = env.MutableData();
  const int root = m->jnt_qposadr[mj_name2id(m, mjOBJ_JOINT, "root")];
  d->qpos[root + 2] = z;
  for (int i = 0; i < m->nv; ++i) d->qvel[i] = 0;
  mj_forward(m, d);
}

// Writes a copy of `task_name`'s shipped MJCF with the first `from` replaced
// by `to` into the build folder; returns its path.
std::string WriteVariant(const std::string& task_name, const std::string& from,
                         const std::string& to) {
  const std::filesystem::path asset =
      std::filesystem::path(AssetDir()) / MakeTask(task_name)->Spec().asset;
  std::ifstream in(asset);
  std::stringstream text;
  text << in.rdbuf();
  std::string xml = text.str();
  const auto at = xml.find(from);
  REQUIRE(at != std::string::npos);
  xml.replace(at, from.size(), to);
  const std::filesystem::path path =
      std::filesystem::path(MNEMO_BINARY_DIR) / (task_name + "_variant_test.xml");
  std::ofstream(path) << xml;
  return path.string();
}

TEST_CASE("Ant and Humanoid have the published sizes") {
  const auto ant = MakeTask("Ant");
  CHECK(ant->ObsDim() == 105);
  CHECK(ant->ActDim() == 8);
  CHECK(ant->Dt() == doctest::Approx(0.05));
  CHECK(ant->Spec().solved_threshold == 3580);
  for (int i = 0; i < ant->ActDim(); ++i) {
    CHECK(ant->ActionLow()[i] == -1.0);
    CHECK(ant->ActionHigh()[i] == 1.0);
  }

  TaskOptions no_contact;
  no_contact.use_contact_forces = false;
  const auto ant27 = MakeTask("Ant", no_contact);
  CHECK(ant27->ObsDim() == 27);
  CHECK(ant27->ActDim() == 8);

  const auto humanoid = MakeTask("Humanoid");
  CHECK(humanoid->ObsDim() == 348);
  CHECK(humanoid->ActDim() == 17);
  CHECK(humanoid->Dt() == doctest::Approx(0.015));
  CHECK(humanoid->Spec().solved_threshold == 6000);
  CHECK(humanoid->ActionLow()[0] == doctest::Approx(-0.4));
  CHECK(humanoid->ActionHigh()[16] == doctest::Approx(0.4));

  for (const auto& task : {ant, humanoid}) {
    CHECK(task->NeedsContactForces());
    CHECK(task->TerminatesWhenUnhealthy());
    for (const char* term : {"forward", "healthy", "ctrl_cost", "contact_cost"}) {
      CHECK(TermIndex(*task, term) >= 0);
    }
  }
}

TEST_CASE("reset puts the robots near their initial pose, healthy") {
  for (const char* name : {"Ant", "Humanoid"}) {
    CAPTURE(name);
    const auto task = MakeTask(name);
    const mjModel* m = task->Model();
    const double scale = task->ResetNoiseScale();
    CHECK(scale == doctest::Approx(std::string(name) == "Ant" ? 0.1 : 0.01));
    Env env(task);
    std::vector<double> obs(task->ObsDim());
    Stream rng(3);
    env.Reset(rng, obs.data());
    for (int i = 0; i < m->nq; ++i) {
      CHECK(std::abs(env.Data()->qpos[i] - m->qpos0[i]) <= scale);
    }
    CHECK(task->IsHealthy(env.Data()));
    // The observation starts with the root height (x and y are left out).
    CHECK(obs[0] == env.Data()->qpos[2]);
    CHECK(obs[m->nq - 2] == env.Data()->qvel[0]);
  }
}

TEST_CASE("Ant contact cost is zero without contact forces and appears with them") {
  TaskOptions no_contact;
  no_contact.use_contact_forces = false;
  const auto off = MakeTask("Ant", no_contact);
  CHECK_FALSE(off->NeedsContactForces());
  const auto on = MakeTask("Ant");
  const int off_term = TermIndex(*off, "contact_cost");
  const int on_term = TermIndex(*on, "contact_cost");

  const std::vector<double> action(8, 0.5);
  Env env_off(off);
  Env env_on(on);
  std::vector<double> obs_off(off->ObsDim());
  std::vector<double> obs_on(on->ObsDim());
  Stream rng_off(11);
  Stream rng_on(11);
  env_off.Reset(rng_off, obs_off.data());
  env_on.Reset(rng_on, obs_on.data());

  double most_contact_cost = 0;
  double largest_contact_obs = 0;
  for (int step = 0; step < 40; ++step) {
    const StepResult r_off = env_off.Step(action.data(), obs_off.data());
    const StepResult r_on = env_on.Step(action.data(), obs_on.data());
    REQUIRE_FALSE(r_off.unstable);
    REQUIRE_FALSE(r_on.unstable);
    CHECK(r_off.terms[off_term] == 0.0);
    CHECK(r_on.terms[on_term] <= 0.0);
    // At most 78 clipped forces of magnitude 1, weighted 5e-4.
    CHECK(r_on.terms[on_term] >= -5e-4 * 78 - 1e-12);
    most_contact_cost = std::min(most_contact_cost, r_on.terms[on_term]);
    for (int i = 27; i < on->ObsDim(); ++i) {
      CHECK(std::abs(obs_on[i]) <= 1.0);
      largest_contact_obs = std::max(largest_contact_obs, std::abs(obs_on[i]));
    }
    // Same state, same rules for everything but the contact term.
    CHECK(r_on.reward - r_on.terms[on_term] == doctest::Approx(r_off.reward));
  }
  // The ant lands on the floor: contacts are felt and cost something.
  CHECK(most_contact_cost < -1e-4);
  CHECK(largest_contact_obs > 0.1);
}

TEST_CASE("Ant outside the healthy height range terminates with no healthy reward") {
  const auto task = MakeTask("Ant");
  const int healthy = TermIndex(*task, "healthy");
  Env env(task);
  std::vector<double> obs(task->ObsDim());
  const std::vector<double> zero(8, 0.0);
  Stream rng(5);

  SUBCASE("a healthy step pays the healthy reward and goes on") {
    env.Reset(rng, obs.data());
    const StepResult r = env.Step(zero.data(), obs.data());
    CHECK_FALSE(r.terminated);
    CHECK(r.terms[healthy] == 1.0);
    CHECK(r.reward == doctest::Approx(TermSum(r)));
  }
  SUBCASE("dropped from above 1.0") {
    env.Reset(rng, obs.data());
    PlaceRootAt(env, 1.6);
    const StepResult r = env.Step(zero.data(), obs.data());
    CHECK(env.Data()->qpos[2] > 1.0);
    CHECK(r.terminated);
    CHECK_FALSE(r.unstable);
    CHECK(r.terms[healthy] == 0.0);
    CHECK(r.reward == doctest::Approx(TermSum(r)));
  }
  SUBCASE("flipped onto its back below 0.2 is unhealthy") {
    env.Reset(rng, obs.data());
    mjData* d = env.MutableData();
    // Upside down: half a turn about x.
    d->qpos[3] = 0;
    d->qpos[4] = 1;
    d->qpos[5] = 0;
    d->qpos[6] = 0;
    PlaceRootAt(env, 0.15);
    CHECK_FALSE(task->IsHealthy(env.Data()));
    PlaceRootAt(env, 0.3);
    CHECK(task->IsHealthy(env.Data()));
  }
}

TEST_CASE("Ant that falls below 0.2 terminates with no healthy reward") {
  // A variant without a floor to stand on: the ant drops freely.
  TaskOptions options;
  options.xml_path = WriteVariant("Ant", "conaffinity=\"1\"", "conaffinity=\"0\"");
  const auto task = MakeTask("Ant", options);
  std::filesystem::remove(options.xml_path);
  const int healthy = TermIndex(*task, "healthy");
  Env env(task);
  std::vector<double> obs(task->ObsDim());
  const std::vector<double> zero(8, 0.0);
  Stream rng(5);
  env.Reset(rng, obs.data());
  int ended_at = -1;
  for (int step = 0; step < 40; ++step) {
    const StepResult r = env.Step(zero.data(), obs.data());
    REQUIRE_FALSE(r.unstable);
    const double z = env.Data()->qpos[2];
    if (r.terminated) {
      CHECK(z < 0.2);
      CHECK(r.terms[healthy] == 0.0);
      CHECK(r.terms[TermIndex(*task, "contact_cost")] == 0.0);
      ended_at = step;
      break;
    }
    CHECK(z >= 0.2);
    CHECK(r.terms[healthy] == 1.0);
  }
  // Free fall from about 0.75 m takes about 0.33 s, i.e. about 7 steps.
  CHECK(ended_at >= 4);
  CHECK(ended_at <= 10);
}

TEST_CASE("Ant forward term is the torso's x velocity") {
  const auto task = MakeTask("Ant");
  const int forward = TermIndex(*task, "forward");
  const int torso = mj_name2id(task->Model(), mjOBJ_BODY, "torso");
  Env env(task);
  std::vector<double> obs(task->ObsDim());
  Stream rng(8);
  env.Reset(rng, obs.data());
  Stream actions(9);
  for (int step = 0; step < 20; ++step) {
    std::vector<double> a(8);
    for (double& x : a) x = actions.Uniform(-1, 1);
    const double before = env.Data()->xpos[3 * torso];
    const StepResult r = env.Step(a.data(), obs.data());
    REQUIRE_FALSE(r.unstable);
    const double after = env.Data()->xpos[3 * torso];
    CHECK(r.terms[forward] == doctest::Approx((after - before) / task->Dt()));
  }
}

TEST_CASE("Humanoid with zero action falls and terminates") {
  const auto task = MakeTask("Humanoid");
  const int healthy = TermIndex(*task, "healthy");
  Env env(task);
  std::vector<double> obs(task->ObsDim());
  const std::vector<double> zero(17, 0.0);
  Stream rng(2);
  env.Reset(rng, obs.data());
  int ended_at = -1;
  for (int step = 0; step < 300; ++step) {
    const StepResult r = env.Step(zero.data(), obs.data());
    REQUIRE_FALSE(r.unstable);
    CHECK(r.reward == doctest::Approx(TermSum(r)));
    if (r.terminated) {
      CHECK(r.terms[healthy] == 0.0);
      CHECK(env.Data()->qpos[2] <= 1.0);
      ended_at = step;
      break;
    }
    CHECK(r.terms[healthy] == 5.0);
  }
  CHECK(ended_at > 0);
}

TEST_CASE("Humanoid forward term is 1.25 times the centre-of-mass x velocity") {
  const auto task = MakeTask("Humanoid");
  const mjModel* m = task->Model();
  const int forward = TermIndex(*task, "forward");
  const int contact = TermIndex(*task, "contact_cost");
  Env env(task);
  std::vector<double> obs(task->ObsDim());
  Stream rng(4);
  env.Reset(rng, obs.data());
  Stream actions(6);
  int checked = 0;
  for (int step = 0; step < 15; ++step) {
    std::vector<double> a(17);
    for (double& x : a) x = actions.Uniform(-0.4, 0.4);
    const double before = CenterOfMassX(m, env.Data());
    const StepResult r = env.Step(a.data(), obs.data());
    REQUIRE_FALSE(r.unstable);
    if (r.terminated) break;
    ++checked;
    const double after = CenterOfMassX(m, env.Data());
    CHECK(r.terms[forward] == doctest::Approx(1.25 * (after - before) / task->Dt()));

    // The contact cost is 5e-7 |cfrc_ext|^2, capped at 10.
    const mjData* d = env.Data();
    double squares = 0;
    for (int i = 0; i < 6 * m->nbody; ++i) squares += d->cfrc_ext[i] * d->cfrc_ext[i];
    CHECK(r.terms[contact] == doctest::Approx(-std::min(5e-7 * squares, 10.0)));

    // The tail of the observation is the bodies' external forces, and
    // qfrc_actuator without the root's six dofs comes just before it.
    const int tail = task->ObsDim() - 6 * (m->nbody - 1);
    for (int i = 0; i < 6 * (m->nbody - 1); ++i) CHECK(obs[tail + i] == d->cfrc_ext[6 + i]);
    for (int i = 0; i < m->nv - 6; ++i) {
      CHECK(obs[tail - (m->nv - 6) + i] == d->qfrc_actuator[6 + i]);
    }
  }
  CHECK(checked >= 5);  // the checks ran on several steps before any fall
}

TEST_CASE("Humanoid contact cost is capped at 10") {
  const auto task = MakeTask("Humanoid");
  const int contact = TermIndex(*task, "contact_cost");
  Env env(task);
  std::vector<double> obs(task->ObsDim());
  const std::vector<double> zero(17, 0.0);
  Stream rng(1);
  env.Reset(rng, obs.data());
  // Dropped from high up, the landing is hard.
  PlaceRootAt(env, 6.0);
  double most = 0;
  for (int step = 0; step < 120; ++step) {
    const StepResult r = env.Step(zero.data(), obs.data());
    if (r.unstable) break;
    CHECK(r.terms[contact] >= -10.0);
    most = std::min(most, r.terms[contact]);
  }
  CHECK(most == -10.0);
}

TEST_CASE("control cost is the weight times |a|^2") {
  {
    const auto task = MakeTask("Ant");
    Env env(task);
    std::vector<double> obs(task->ObsDim());
    Stream rng(1);
    env.Reset(rng, obs.data());
    const std::vector<double> a = {0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8};
    const StepResult r = env.Step(a.data(), obs.data());
    // |a|^2 = 0.01 + 0.04 + ... + 0.64 = 2.04.
    CHECK(r.terms[TermIndex(*task, "ctrl_cost")] == doctest::Approx(-0.5 * 2.04));
  }
  {
    const auto task = MakeTask("Humanoid");
    Env env(task);
    std::vector<double> obs(task->ObsDim());
    Stream rng(1);
    env.Reset(rng, obs.data());
    const std::vector<double> a(17, 0.2);
    const StepResult r = env.Step(a.data(), obs.data());
    CHECK(r.terms[TermIndex(*task, "ctrl_cost")] == doctest::Approx(-0.1 * 17 * 0.04));
  }
}

TEST_CASE("1000 random-action steps stay finite or end cleanly") {
  for (const char* name : {"Ant", "Humanoid"}) {
    CAPTURE(name);
    const auto task = MakeTask(name);
    Env env(task);
    std::vector<double> obs(task->ObsDim());
    std::vector<double> a(task->ActDim());
    Stream rng(21);
    Stream actions(22);
    env.Reset(rng, obs.data());
    int unhealthy_ends = 0;
    for (int step = 0; step < 1000; ++step) {
      // Twice the control range: MuJoCo clamps, the cost still counts it.
      for (int i = 0; i < task->ActDim(); ++i) {
        a[i] = 2 * actions.Uniform(task->ActionLow()[i], task->ActionHigh()[i]);
      }
      const StepResult r = env.Step(a.data(), obs.data());
      REQUIRE(std::isfinite(r.reward));
      REQUIRE(AllFinite(obs));
      if (!r.unstable) {
        CHECK(r.reward == doctest::Approx(TermSum(r)));
        CHECK(r.terminated == !task->IsHealthy(env.Data()));
      }
      if (r.terminated) ++unhealthy_ends;
      if (r.terminated || r.unstable || env.TimeUp()) env.Reset(rng, obs.data());
    }
    // A humanoid flailing at random falls over again and again.
    if (std::string(name) == "Humanoid") CHECK(unhealthy_ends >= 5);
  }
}

TEST_CASE("a variant MJCF without the root joint is refused by name") {
  for (const char* name : {"Ant", "Humanoid"}) {
    CAPTURE(name);
    TaskOptions options;
    options.xml_path = WriteVariant(name, "name=\"root\"", "name=\"base\"");
    try {
      MakeTask(name, options);
      FAIL("a model without 'root' was accepted");
    } catch (const Error& e) {
      CHECK(std::string(e.what()).find("'root'") != std::string::npos);
    }
    std::filesystem::remove(options.xml_path);
  }
}

}  // namespace
}  // namespace mnemo

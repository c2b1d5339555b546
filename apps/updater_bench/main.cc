// Time per step and bytes of state per parameter of Mnemosyne, the LSTM
// optimizer and Adam, for 10^3 .. 10^6 parameters, with ratios to Adam; and
// one Mnemosyne step for 10^4 parameters against one ES iteration's
// HalfCheetah rollouts.
//
//   updater_bench [--sizes 1000,10000,100000,1000000] [--threads N]
//                 [--min-seconds S] [--rollouts K] [--json PATH|-]   (--help)
//
// The updaters are timed in interleaved rounds (Adam, LSTM, Mnemosyne, Adam,
// ...) and compared by their medians, so that the ratios come from the same
// moments of a noisy machine.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <streambuf>
#include <string>
#include <vector>

#include "apps/lib/run_program.h"
#include "core/io/binary_io.h"
#include "core/io/config_node.h"
#include "core/math/random_stream.h"
#include "core/mnemosyne/mnemosyne_updater.h"
#include "core/optim/updater.h"
#include "core/util/error.h"
#include "envs/env.h"
#include "envs/task.h"

namespace mnemo {
namespace {

using Clock = std::chrono::steady_clock;

// Command-line options.
struct Options {
  std::vector<long long> sizes = {1000, 10000, 100000, 1000000};
  int threads = 1;           // threads of the learned updaters
  double min_seconds = 1.5;  // timing budget per size
  int rollouts = 64;         // rollouts per ES iteration (ARS on HalfCheetah)
  std::string json;          // "" none, "-" stdout, else a file
};

// The updaters compared, as config sections.
struct Contender {
  std::string label;
  std::string yaml;
};

// A policy-like layout of `size` parameters: four tensors.
ParamLayout BenchLayout(int size) {
  ParamLayout layout;
  layout.Add("layer0.weight", size / 2);
  layout.Add("layer0.bias", size / 8);
  layout.Add("layer1.weight", size / 4);
  layout.Add("layer1.bias", size - size / 2 - size / 8 - size / 4);
  return layout;
}

// A stream buffer that only counts the bytes written to it.
class CountingBuffer : public std::streambuf {
 public:
  // Bytes written so far.
  std::size_t Count() const { return count_; }

 protected:
  int_type overflow(int_type c) override {
    ++count_;
    return c;
  }
  std::streamsize xsputn(const char*, std::streamsize n) override {
    count_ += static_cast<std::size_t>(n);
    return n;
  }

 private:
  std::size_t count_ = 0;
};

// Bytes that `u`'s SaveState writes.
std::size_t StateBytes(const Updater& u) {
  CountingBuffer buffer;
  std::ostream out(&buffer);
  BinaryWriter writer(out);
  u.SaveState(writer);
  return buffer.Count();
}

// The median of `v`.
double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Seconds of one simulated HalfCheetah episode (1000 steps, zero actions,
// no policy: a lower bound of a rollout's cost), median of three.
double HalfCheetahRolloutSeconds() {
  const auto task = MakeTask("HalfCheetah");
  Env env(task);
  std::vector<double> obs(task->ObsDim());
  const std::vector<double> action(task->ActDim(), 0.0);
  std::vector<double> times;
  for (int trial = 0; trial < 3; ++trial) {
    Stream rng(trial);
    env.Reset(rng, obs.data());
    const auto start = Clock::now();
    for (int t = 0; t < task->Options().max_episode_steps; ++t) {
      const StepResult r = env.Step(action.data(), obs.data());
      if (r.terminated || r.unstable) break;
    }
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  return Median(times);
}

// The coordinate-wise Mnemosyne's architecture and state size, as JSON.
nlohmann::json ArchitectureJson() {
  auto probe = MnemosyneUpdater::FromConfig(
      ConfigNode::FromString("type: mnemosyne_coordinatewise", "bench"));
  const auto& a = probe->Architecture();
  return {{"heads", a.heads},
          {"random_features", a.random_features},
          {"value_dim", a.value_dim},
          {"key_dim", a.key_dim},
          {"embed_dim", a.embed_dim},
          {"features", a.features.ToString()},
          {"state_numbers_per_parameter", a.StateNumbersPerCoordinate()},
          {"meta_parameters", probe->MetaParamCount()}};
}

// One contender's cost at one size.
struct Timing {
  double seconds = 0;      // median seconds per step
  double state_bytes = 0;  // state per parameter
  std::size_t steps = 0;   // timed steps
};

// Times every contender's step on one gradient of `size` parameters: one
// warm-up step each (first-touch of the state), then rounds of one step
// each until `min_seconds` have passed (at least three rounds).
std::vector<Timing> TimeContenders(const std::vector<Contender>& contenders, long long size,
                                   double min_seconds) {
  const ParamLayout layout = BenchLayout(static_cast<int>(size));
  std::vector<std::unique_ptr<Updater>> updaters;
  std::vector<Vec> thetas;
  for (const auto& c : contenders) {
    updaters.push_back(MakeUpdater(ConfigNode::FromString(c.yaml, "bench")));
    updaters.back()->Reset(layout);
    thetas.push_back(Vec::Zero(size));
  }
  Vec gradient(size);
  Stream rng(static_cast<std::uint64_t>(size));
  for (auto& g : gradient) g = rng.Normal();
  // A typical ES sigma as the learned updaters' unit.
  const SearchSignal signal = GradientSignal(gradient, 0.01);
  double sigma = signal.sigma;
  for (std::size_t u = 0; u < updaters.size(); ++u) updaters[u]->Step(signal, &thetas[u], &sigma);
  std::vector<std::vector<double>> times(updaters.size());
  const auto start = Clock::now();
  for (int round = 0; round < 1000; ++round) {
    for (std::size_t u = 0; u < updaters.size(); ++u) {
      const auto t0 = Clock::now();
      updaters[u]->Step(signal, &thetas[u], &sigma);
      times[u].push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    }
    const double spent = std::chrono::duration<double>(Clock::now() - start).count();
    if (round >= 2 && spent > min_seconds) break;
  }
  std::vector<Timing> out;
  for (std::size_t u = 0; u < updaters.size(); ++u) {
    out.push_back(
        {Median(times[u]), static_cast<double>(StateBytes(*updaters[u])) / size, times[u].size()});
  }
  return out;
}

// The coordinate-wise Mnemosyne step's share of a HalfCheetah ES iteration
// of `rollouts` episodes, printed to `table`, as JSON.
nlohmann::json HalfCheetahShare(double step_seconds, int rollouts, std::FILE* table) {
  const double rollout = HalfCheetahRolloutSeconds();
  const double iteration = rollout * rollouts;
  const double share = step_seconds / iteration;
  std::fprintf(table,
               "\nHalfCheetah: one 1000-step episode (simulation only) %.1f ms; an ES "
               "iteration of %d rollouts (ARS, 32 directions x 2) %.0f ms on one "
               "core.\nOne step of Mnemosyne's coordinate-wise rule for 10^4 parameters: %.2f ms "
               "= %.3f%% of that iteration (target <= 5%%).\n",
               1e3 * rollout, rollouts, 1e3 * iteration, 1e3 * step_seconds, 100.0 * share);
  return {{"episode_seconds", rollout},
          {"rollouts_per_iteration", rollouts},
          {"iteration_seconds", iteration},
          {"mnemosyne_coordinatewise_1e4_step_seconds", step_seconds},
          {"mnemosyne_coordinatewise_share_of_iteration", share}};
}

int Run(const Options& options) {
  const std::string threads = "\nthreads: " + std::to_string(options.threads);
  const std::vector<Contender> contenders = {
      {"adam", "type: adam"},
      {"lstm", "type: lstm" + threads},
      {"mnemosyne_coordinatewise", "type: mnemosyne_coordinatewise" + threads},
  };
  nlohmann::json report;
  report["threads"] = options.threads;
  report["mnemosyne_coordinatewise_architecture"] = ArchitectureJson();
  // With the JSON on stdout, the human-readable table goes to stderr.
  std::FILE* table = options.json == "-" ? stderr : stdout;
  std::fprintf(table, "%10s  %-10s %14s %12s %14s %12s\n", "params", "updater", "ms/step", "x adam",
               "state B/param", "x adam");
  double mnemosyne_1e4_seconds = -1.0;
  for (long long size : options.sizes) {
    const std::vector<Timing> timings = TimeContenders(contenders, size, options.min_seconds);
    const Timing& adam = timings[0];
    for (std::size_t u = 0; u < timings.size(); ++u) {
      const Timing& t = timings[u];
      std::fprintf(table, "%10lld  %-10s %14.4f %12.1f %14.1f %12.1f\n", size,
                   contenders[u].label.c_str(), 1e3 * t.seconds, t.seconds / adam.seconds,
                   t.state_bytes, t.state_bytes / adam.state_bytes);
      report["rows"].push_back({{"params", size},
                                {"updater", contenders[u].label},
                                {"seconds_per_step", t.seconds},
                                {"time_ratio_to_adam", t.seconds / adam.seconds},
                                {"state_bytes_per_param", t.state_bytes},
                                {"state_ratio_to_adam", t.state_bytes / adam.state_bytes},
                                {"timed_steps", t.steps}});
      if (contenders[u].label == "mnemosyne_coordinatewise" && size == 10000) {
        mnemosyne_1e4_seconds = t.seconds;
      }
    }
  }
  if (mnemosyne_1e4_seconds >= 0.0) {
    report["halfcheetah"] = HalfCheetahShare(mnemosyne_1e4_seconds, options.rollouts, table);
  }
  if (options.json == "-") {
    std::cout << report.dump(2) << "\n";
  } else if (!options.json.empty()) {
    std::ofstream out(options.json);
    out << report.dump(2) << "\n";
    if (!out) throw Error("cannot write " + options.json);
  }
  return 0;
}

}  // namespace
}  // namespace mnemo

int main(int argc, char** argv) {
  CLI::App app{
      "updater_bench: time per step and state bytes per parameter of Adam, the LSTM optimizer "
      "and Mnemosyne, with ratios to Adam"};
  mnemo::Options options;
  app.add_option("--sizes", options.sizes, "Parameter counts (default 1000,10000,100000,1000000)")
      ->delimiter(',')
      ->check(CLI::Range(8LL, 100000000LL));
  app.add_option("--threads", options.threads, "Threads of the learned updaters (default 1)")
      ->check(CLI::Range(1, 1024));
  app.add_option("--min-seconds", options.min_seconds, "Timing budget per size (default 1.5)")
      ->check(CLI::PositiveNumber);
  app.add_option("--rollouts", options.rollouts,
                 "Rollouts of the ES iteration Mnemosyne's step is compared with (default 64)")
      ->check(CLI::PositiveNumber);
  app.add_option(
      "--json", options.json,
      "Also write the figures as JSON to this file (- : stdout, and the table to stderr)");
  return mnemo::RunProgram(app, argc, argv, "updater_bench", [&] { return mnemo::Run(options); });
}

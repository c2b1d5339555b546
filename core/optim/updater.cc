#include "core/optim/updater.h"

#include <cmath>

#include "core/io/create_from_config.h"
#include "core/optim/updater_list.h"

namespace mnemo {

std::unique_ptr<Updater> MakeUpdater(const ConfigNode& config, const UpdaterRegistry& registry) {
  return CreateFromConfig(registry, "updater", config, "sgd");
}

std::unique_ptr<Updater> MakeUpdater(const ConfigNode& config) {
  return MakeUpdater(config, Updaters());
}

void AllowUpdaterKeys(const ConfigNode& config, std::vector<std::string> own) {
  own.push_back("type");
  config.AllowOnly(own);
}

void SetTensorStepNorms(const ParamLayout& layout, const std::vector<double>& squared_sums,
                        UpdaterView* view) {
  view->tensor_names.clear();
  view->tensor_step_norms.clear();
  for (std::size_t t = 0; t < layout.Tensors().size(); ++t) {
    view->tensor_names.push_back(layout.Tensors()[t].name);
    view->tensor_step_norms.push_back(t < squared_sums.size() ? std::sqrt(squared_sums[t]) : 0.0);
  }
}

void CheckStepSizes(const std::string& name, int expected, const SearchSignal& signal,
                    const Vec& theta) {
  if (signal.ascent.size() != expected || signal.nominal_step.size() != expected ||
      theta.size() != expected) {
    throw Error(
        "updater '" + name + "': Step got vectors of size " + std::to_string(signal.ascent.size()) +
        " (ascent), " + std::to_string(signal.nominal_step.size()) + " (nominal step) and " +
        std::to_string(theta.size()) + " (theta), Reset was for size " + std::to_string(expected));
  }
}

}  // namespace mnemo

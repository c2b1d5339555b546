#include "core/es/strategy.h"

#include <algorithm>

#include "core/es/gradient_estimator.h"
#include "core/es/gradient_strategy.h"
#include "core/es/learned_weights_check.h"
#include "core/es/search_method_list.h"
#include "core/io/create_from_config.h"
#include "core/optim/learned_weights_file.h"

namespace mnemo {
namespace {

// The type of a `search:` section when it names none.
constexpr const char* kDefaultSearch = "ars";

}  // namespace

std::string SearchType(const ConfigNode& search) {
  return search.GetString("type", kDefaultSearch);
}

std::unique_ptr<Strategy> MakeStrategy(const ConfigNode& search, const ConfigNode& optimizer) {
  const std::string type = SearchType(search);
  if (Strategies().Has(type)) {
    return CreateFromConfig(Strategies(), "search method", search, kDefaultSearch);
  }
  if (!GradientEstimators().Has(type)) {
    std::string known;
    for (const auto& [name, description] : SearchMethodDescriptions()) {
      known += (known.empty() ? "" : ", ") + name;
    }
    throw search.ErrorAt("type", "unknown search method '" + type + "' (known: " + known + ")");
  }
  auto estimator = MakeGradientEstimator(search);
  std::unique_ptr<Updater> updater = MakeUpdater(optimizer);
  // Learned weights: finite and bounded, whatever the file's checksum says.
  CheckLearnedWeights(
      *updater, optimizer.Has("weights") ? ResolveWeightsPath(optimizer, "weights") : "optimizer");
  return std::make_unique<GradientStrategy>(std::move(estimator), std::move(updater));
}

bool SearchUsesUpdater(const std::string& type) { return !Strategies().Has(type); }

int SearchRevision(const std::string& type) {
  return SearchUsesUpdater(type) ? GradientEstimators().Revision(type)
                                 : Strategies().Revision(type);
}

std::vector<std::pair<std::string, std::string>> SearchMethodDescriptions() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : GradientEstimators().Entries()) {
    out.emplace_back(e.name, e.description);
  }
  for (const auto& e : Strategies().Entries()) {
    out.emplace_back(e.name, e.description);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace mnemo

#include "core/mnemosyne/mnemosyne_weights_file.h"

#include "core/mnemosyne/mnemosyne_params.h"
#include "core/optim/learned_weights_file.h"

namespace mnemo {
namespace {

// The Mnemosyne inside generic learned weights read from `path`.
MnemosyneWeights FromLearned(const LearnedWeights& learned, const std::string& path) {
  MnemosyneWeights weights;
  weights.architecture = MnemosyneArchitecture::FromRecord(learned.architecture, path);
  // Refuses entries this code does not know (an empty config sets nothing).
  CheckArchitectureMatches(ConfigNode(), weights.architecture.ToRecord(), learned.architecture,
                           path);
  weights.random_feature_seed = learned.seed;
  weights.numbers = learned.numbers;
  CheckWeightCount(learned, MnemosyneParams::Count(weights.architecture), path);
  return weights;
}

}  // namespace

void SaveMnemosyneWeights(const std::string& path, const MnemosyneWeights& weights) {
  WriteLearnedWeights(path, {kMnemosyneKind, weights.architecture.ToRecord(),
                             weights.random_feature_seed, weights.numbers});
}

MnemosyneWeights LoadMnemosyneWeights(const std::string& path) {
  return FromLearned(ReadLearnedWeights(path, kMnemosyneKind), path);
}

MnemosyneWeights LoadMnemosyneWeights(const ConfigNode& config) {
  const MnemosyneArchitecture expected = MnemosyneArchitecture::FromConfig(config);
  std::string path;
  const LearnedWeights learned =
      ReadConfiguredWeights(config, kMnemosyneKind, expected.ToRecord(), &path);
  MnemosyneWeights weights = FromLearned(learned, path);
  if (config.Has("random_feature_seed") &&
      static_cast<std::uint64_t>(config.GetInt("random_feature_seed", 0, 0)) !=
          weights.random_feature_seed) {
    throw config.ErrorAt("random_feature_seed", "does not match the weights file '" + path +
                                                    "', which has random_feature_seed = " +
                                                    std::to_string(weights.random_feature_seed));
  }
  return weights;
}

}  // namespace mnemo

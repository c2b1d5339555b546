// Fuzz target: the config loaders (train, meta-training, bench and
// meta-eval configs) on YAML text; the variant picks the loader. A train
// config that parses also builds its search strategy, as `mnemo train` does
// next. Its structure-aware mutation changes the YAML's structure (alias
// bombs, merge keys, duplicate keys, deep nesting, anchor chains).
#include <filesystem>
#include <string>

#include "apps/lib/bench/bench_config.h"
#include "apps/lib/meta/task_family_list.h"
#include "apps/lib/training/train_config.h"
#include "core/es/strategy.h"
#include "core/io/config_node.h"
#include "core/io/text_file.h"
#include "core/meta/outer/meta_config.h"
#include "core/meta/outer/meta_eval.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/yaml_mutator.h"

namespace mnemo::fuzz {
namespace {

// The loaders, in variant order.
enum Variant { kTrain, kMeta, kBench, kMetaEval, kVariants };

}  // namespace

void WriteSeeds(const std::string& dir) {
  namespace fs = std::filesystem;
  const fs::path configs = fs::path(MNEMO_SOURCE_DIR) / "configs";
  for (const auto& [folder, variant] :
       {std::pair<const char*, int>{"train", kTrain}, {"meta", kMeta}, {"bench", kBench}}) {
    for (const auto& entry : fs::directory_iterator(configs / folder)) {
      if (entry.path().extension() != ".yaml") continue;
      const std::string name = entry.path().stem().string();
      const int v = name.starts_with("meta_eval") ? kMetaEval : variant;
      WriteBytes(dir + "/" + folder + "_" + name,
                 ModeByte(v, true) + ReadTextFile(entry.path().string()));
    }
  }
}

bool MutateStructure(std::string& input, std::uint64_t seed) {
  FuzzInput split = SplitInput(input, kVariants);
  Rng rng{seed};
  const std::size_t rounds = 1 + rng.Below(3);
  for (std::size_t r = 0; r < rounds; ++r) MutateYaml(split.rest, rng);
  input = ModeByte(split.variant, true) + split.rest;
  return true;
}

}  // namespace mnemo::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) { return 0; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mnemo;
  const fuzz::FuzzInput input = fuzz::SplitInput(data, size, fuzz::kVariants);
  const std::string source = std::string(MNEMO_SOURCE_DIR) + "/configs/fuzz.yaml";
  try {
    switch (input.variant) {
      case fuzz::kTrain: {
        const TrainConfig config = ParseTrainConfig(input.rest, source);
        MakeStrategy(config.search, config.optimizer);
        break;
      }
      case fuzz::kMeta:
        ParseMetaConfig(ConfigNode::FromString(input.rest, source), TaskFamilies());
        break;
      case fuzz::kBench:
        ParseBenchConfig(input.rest, source, std::string(MNEMO_SOURCE_DIR) + "/configs/bench");
        break;
      default:
        ParseMetaEvalConfig(ConfigNode::FromString(input.rest, source), TaskFamilies());
        break;
    }
  } catch (const Error& e) {
    // A refusal with a message: the expected outcome for bad input.
    fuzz::NoteRefusal(e.what());
  }
  return 0;
}

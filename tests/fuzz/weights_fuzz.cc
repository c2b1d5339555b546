// Fuzz target: the learned optimizers' weights files (Mnemosyne v1, v2 and
// the LSTM; the variant picks the kind). Weights that load drive a short ES
// run on a sphere, as a training run does next. Its structure-aware
// mutation writes hostile numbers (NaN, infinities, 1e300, negative and
// huge counts, "nan" as an architecture entry) into the payload, which the
// target seals again.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/es/search_loop.h"
#include "core/es/strategy.h"
#include "core/es/synthetic_problem.h"
#include "core/io/config_node.h"
#include "core/optim/learned_weights_file.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/hostile_numbers.h"

namespace mnemo::fuzz {
namespace {

// The kinds that weights files record, in variant order, and the
// optimizers (registry names) that load them.
const char* const kKinds[] = {"mnemosyne", "mnemosyne_v2", "lstm"};
const char* const kOptimizers[] = {"mnemosyne_coordinatewise", "mnemosyne", "lstm"};
constexpr int kVariants = 3;

}  // namespace

void WriteSeeds(const std::string& dir) {
  // The shipped weights, whole and as payloads to be re-sealed.
  const std::string weights = std::string(MNEMO_SOURCE_DIR) + "/configs/weights/";
  const std::pair<const char*, int> shipped[] = {
      {"mnemosyne_coordinatewise", 0}, {"mnemosyne", 1}, {"lstm", 2}};
  for (const auto& [name, variant] : shipped) {
    const std::string bytes = ReadBytes(weights + name + ".weights");
    WriteBytes(dir + "/" + name + "_file", ModeByte(variant, true) + bytes);
    WriteBytes(dir + "/" + name + "_payload", ModeByte(variant, false) + WeightsPayload(bytes));
  }
}

bool MutateStructure(std::string& input, std::uint64_t seed) {
  const FuzzInput split = SplitInput(input, kVariants);
  std::string payload = split.raw ? WeightsPayload(split.rest) : split.rest;
  if (payload.empty()) return false;
  Rng rng{seed};
  WriteHostileNumbers(payload, rng);
  input = ModeByte(split.variant, false) + payload;
  return true;
}

}  // namespace mnemo::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) { return 0; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mnemo;
  const fuzz::FuzzInput input = fuzz::SplitInput(data, size, fuzz::kVariants);
  const std::string kind = fuzz::kKinds[input.variant];
  const std::string bytes = input.raw ? input.rest : FrameWeightsPayload(input.rest);
  try {
    ParseLearnedWeights(bytes, "fuzz.weights", kind);
  } catch (const Error& e) {
    fuzz::NoteRefusal(e.what());
    return 0;  // refused with a message: the expected outcome for bad input
  }
  // Loaded: as a training run uses them (architecture checks included).
  const std::string path = fuzz::ScratchDir() + "/fuzz.weights";
  fuzz::WriteBytes(path, bytes);
  try {
    const auto strategy = MakeStrategy(
        ConfigNode::FromString("type: ars\ndirections: 2\ntop_directions: 2\nsigma: 0.1\n",
                               "search.yaml"),
        ConfigNode::FromString(
            std::string("type: ") + fuzz::kOptimizers[input.variant] + "\nweights: " + path + "\n",
            "optimizer.yaml"));
    SyntheticSpec spec;
    spec.dim = 6;
    SyntheticProblem problem(spec);
    RunEs(problem, *strategy, Vec::Ones(spec.dim), 3, 1, 1e300);
  } catch (const Error& e) {
    fuzz::NoteRefusal(e.what());
  }
  return 0;
}

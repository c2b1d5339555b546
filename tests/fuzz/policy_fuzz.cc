// Fuzz target: the policy file loader on JSON text; a policy that loads is
// also built and run on one observation, as `mnemo eval` does next.
#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/math/random_stream.h"
#include "core/math/running_stats.h"
#include "core/util/error.h"
#include "policies/policy.h"
#include "policies/policy_file.h"
#include "policies/policy_list.h"
#include "tests/fuzz/fuzz_target.h"

namespace mnemo::fuzz {

void WriteSeeds(const std::string& dir) {
  // One policy of each kind, sized like the robots' (Swimmer, Hopper,
  // HalfCheetah), with small random parameters and observation statistics.
  struct Seed {
    const char* task;
    const char* kind;
    int obs, act;
    std::vector<int> hidden;
  };
  const Seed seeds[] = {{"Swimmer", "linear", 8, 2, {}},
                        {"Hopper", "mlp", 11, 3, {16}},
                        {"HalfCheetah", "toeplitz", 17, 6, {8, 8}}};
  for (const Seed& s : seeds) {
    SavedPolicy p;
    p.task = s.task;
    p.spec =
        PolicySpec{s.kind,   s.obs, s.act, Vec::Constant(s.act, -1.0), Vec::Constant(s.act, 1.0),
                   s.hidden, false};
    const auto policy = MakePolicy(p.spec);
    Stream stream(7, 1, 0);
    p.params = policy->InitialParams(stream);
    RunningStats stats(s.obs);
    for (int k = 0; k < 3; ++k) {
      const Vec x = Vec::LinSpaced(s.obs, k, k + 1.0);
      stats.Push({x.data(), static_cast<std::size_t>(x.size())});
    }
    p.obs_stats = stats;
    const std::string path = ScratchDir() + "/seed.json";
    SavePolicy(p, path);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    WriteBytes(dir + "/" + std::string(s.kind), ModeByte(0, true) + text.str());
  }
}

bool MutateStructure(std::string&, std::uint64_t) {
  return false;  // byte mutations only
}

}  // namespace mnemo::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) { return 0; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mnemo;
  const fuzz::FuzzInput input = fuzz::SplitInput(data, size, 1);
  try {
    const SavedPolicy p = ParsePolicy(input.rest, "fuzz.json");
    const auto policy = MakePolicy(p.spec);
    // One observation, normalized with the file's statistics.
    const Vec obs = (Vec::Ones(p.spec.obs_dim) - p.obs_stats.Mean())
                        .cwiseQuotient((p.obs_stats.Variance().array() + 1e-8).sqrt().matrix());
    Vec action(p.spec.act_dim);
    Vec scratch(std::max(1, policy->ScratchSize()));
    policy->Act(p.params.data(), obs.data(), action.data(), scratch.data());
  } catch (const Error& e) {
    // A refusal with a message: the expected outcome for bad input.
    fuzz::NoteRefusal(e.what());
  }
  return 0;
}

// Mnemosyne, the coordinate-wise learned optimizer whose memory is a
// Performer-style linear attention over each coordinate's gradient history
// (docs/MNEMOSYNE.md). Per coordinate and
// step: features x -> embedding e = tanh(W_e x + b_e) -> per head
// k, q, v = W_k e, W_q e, W_v e -> positive random features -> discounted
// associative memory (write k, v; read with q) -> decoder MLP on
// [e, o_1..o_H] -> (a, b) -> step = scale * a * exp(c * b).
// Computed block by block over coordinates (structures of arrays), on
// threads for large vectors, with the same result for any thread count.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/mnemosyne/architecture.h"
#include "core/mnemosyne/associative_memory.h"
#include "core/mnemosyne/features.h"
#include "core/mnemosyne/inspection.h"
#include "core/mnemosyne/mnemosyne_params.h"
#include "core/mnemosyne/mnemosyne_weights_file.h"
#include "core/mnemosyne/random_features.h"
#include "core/optim/coordinate_blocks.h"
#include "core/optim/learned_updater.h"

namespace mnemo {

// The coordinate-wise Mnemosyne updater.
class MnemosyneUpdater : public LearnedUpdater {
 public:
  // Attention history kept per focus coordinate while inspecting.
  static constexpr int kDefaultInspectHistory = 32;

  // A Mnemosyne of `arch` whose random features come from
  // `random_feature_seed`, in its sane initial state (small random weights
  // from `init_seed`; see MnemosyneParams::InitSane), on `threads` threads
  // (0: all cores) for large vectors.
  MnemosyneUpdater(const MnemosyneArchitecture& arch, std::uint64_t random_feature_seed,
                   std::uint64_t init_seed, int threads,
                   int inspect_history = kDefaultInspectHistory);
  // A Mnemosyne with the architecture, seed and meta-parameters of `weights`.
  MnemosyneUpdater(const MnemosyneWeights& weights, int threads,
                   int inspect_history = kDefaultInspectHistory);
  // Built from a config section: `weights` (a file; absent: the sane
  // initialisation), `threads`, `init_seed`,
  // `random_feature_seed`, `inspect_history` and the architecture keys.
  static std::unique_ptr<MnemosyneUpdater> FromConfig(const ConfigNode& config);

  const MnemosyneArchitecture& Architecture() const { return arch_; }
  // The seed of the random-feature directions.
  std::uint64_t RandomFeatureSeed() const { return random_feature_seed_; }
  // Head h's random features.
  const RandomFeatures& HeadFeatures(int h) const { return random_features_[h]; }
  // Head h's memories (one slot per coordinate).
  const AssociativeMemory& Memory(int h) const { return memories_[h]; }
  // Architecture, seed and meta-parameters together.
  MnemosyneWeights Weights() const;

  std::string Name() const override { return kCoordinatewiseName; }
  void Reset(const ParamLayout& layout) override;
  // Steps in units of the signal's sigma.
  void Step(const SearchSignal& signal, Vec* theta, double* next_sigma) override;
  void SetInspection(bool on) override;
  void SetInspectionFocus(const std::vector<int>& coordinates) override;
  UpdaterView Inspect() const override;
  void SaveState(BinaryWriter& out) const override;
  void LoadState(BinaryReader& in) override;

  int MetaParamCount() const override;
  Vec MetaParams() const override;
  void SetMetaParams(const Vec& params) override;
  ParamLayout MetaLayout() const override;
  void SaveWeights(const std::string& path) const override;

 private:
  // Scratch matrices of one worker (rows = the block's coordinates).
  struct Workspace {
    Mat x;                    // features, n x F
    Mat decoder_input;        // [e, o_1 .. o_H], n x (d + H d_v)
    Mat key;                  // n x d_k
    Mat query;                // n x d_k
    Mat value;                // n x d_v
    Mat key_features;         // phi(k), n x m
    Mat query_features;       // phi(q), n x m
    std::vector<Mat> hidden;  // decoder activations
  };

  // The network pass over block `b`: reads the features, writes and reads
  // the memories, and adds the block's steps to theta.
  void StepBlock(int worker, int b, const Vec& ascent, Vec* theta);

  MnemosyneArchitecture arch_;
  std::uint64_t random_feature_seed_;            // stored with the weights
  std::uint64_t init_seed_;                      // of the initial weights
  MnemosyneParams params_;                       // learnable
  std::vector<RandomFeatures> random_features_;  // one draw per head
  CoordinateFeatures features_;                  // and their RMS state
  double step_scale_ = 1.0;                      // the current step's unit (the signal's sigma)

  ParamLayout layout_;                       // of theta, from Reset
  std::vector<CoordinateBlock> blocks_;      // the layout cut into blocks
  std::vector<AssociativeMemory> memories_;  // one per head
  std::int64_t t_ = 0;                       // steps since Reset

  BlockRunner runner_;                      // inline or on threads
  std::vector<Workspace> work_;             // one per worker
  Vec normalized_;                          // RMS-normalized gradient, scratch
  std::vector<double> block_sums_;          // per block: sum of r
  std::vector<double> block_squares_;       // per block: sum of r^2
  std::vector<double> tensor_mean_;         // per tensor: mean of r
  std::vector<double> tensor_rms_;          // per tensor: RMS of r
  std::vector<double> block_step_squares_;  // per block: sum of step^2

  bool inspect_ = false;                     // whether Inspect shows state
  std::vector<int> requested_focus_;         // as asked (empty: default)
  MemoryInspector inspector_;                // ring buffers of keys
  std::vector<double> last_tensor_squares_;  // per tensor, last step
};

}  // namespace mnemo

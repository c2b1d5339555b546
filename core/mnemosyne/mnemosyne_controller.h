// Mnemosyne, the anchored controller (docs/MNEMOSYNE.md): it reads the
// history of the search through FAVOR+ discounted associative memories, per
// coordinate and per run, and sets gains on the estimator's own (known-good)
// step, never the step itself:
//   step_j     = nominal_j exp(clip(u_j + U, -L, L)) + rho tanh(r_j) |nominal_j|
// (with `center_gains`, u_j minus its mean over the coordinates)
//   next sigma = sigma exp(clip(V, -L_s, L_s)), kept within [s_lo, s_hi] sigma_0
// (with `sigma_level`, sigma_0 exp(V) within the same bounds)
// Every output layer starts at zero, so the untrained controller takes the
// nominal step exactly (with ARS: ARS V2-t, bit for bit).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/io/config_node.h"
#include "core/mnemosyne/associative_memory.h"
#include "core/mnemosyne/controller_inputs.h"
#include "core/mnemosyne/inspection.h"
#include "core/mnemosyne/mnemosyne_params.h"
#include "core/mnemosyne/random_features.h"
#include "core/optim/adaptive_step_size.h"
#include "core/optim/dense_layer.h"
#include "core/optim/learned_updater.h"
#include "core/optim/learned_weights_file.h"
#include "core/optim/lstm_layer.h"

namespace mnemo {

// The registry name of the anchored controller.
inline constexpr char kControllerName[] = "mnemosyne";

// The fixed sizes and bounds of the controller, recorded in its weights file.
struct ControllerArchitecture {
  int embed_dim = 8;                            // d of the coordinate path
  int heads = 2;                                // coordinate memories
  int random_features = 8;                      // m (even), both paths
  int key_dim = 4;                              // d_k (queries too), both paths
  int value_dim = 4;                            // d_v, both paths
  std::vector<double> discounts = {0.5, 0.95};  // gamma per coordinate head
  int decoder_width = 8;                        // hidden units of each decoder
  int run_embed_dim = 8;                        // d of the run path
  double run_discount = 0.9;                    // gamma of the run memory
  double gain_limit = 1.5;                      // L: log-gain bound of the step
  double sigma_limit = 0.1;                     // L_s: log-gain bound of sigma per iteration
  double sigma_low = 0.05;                      // s_lo: sigma never below s_lo sigma_0
  double sigma_high = 3.0;                      // s_hi: sigma never above s_hi sigma_0
  double residual = 0.1;                        // rho: bound of the residual, times |nominal|
  double readout_eps = 1e-6;                    // read-out denominator floor
  // Whether the per-coordinate log-gains are centred (their mean over the
  // coordinates subtracted), so that they only share the step out among the
  // coordinates and its size is the run-level gain's alone. Off in files
  // written before the entry existed.
  bool center_gains = false;
  // Whether V sets sigma's level, next sigma = sigma_0 exp(V) (within the
  // clamp), instead of its rate, next sigma = sigma exp(clip(V, -L_s, L_s)):
  // a steady V then keeps sigma steady, however long the run. Off in files
  // written before the entry existed.
  bool sigma_level = false;
  // Whether the gains apply to the adaptive step (the rule of
  // core/optim/adaptive_step_size.h, with `anchor_settings`: what the
  // untrained controller then takes, bit for bit the nominal_adaptive
  // updater) instead of the estimator's own step. Off in files written
  // before the entry existed.
  bool adaptive_anchor = false;
  AdaptiveStepSettings anchor_settings;  // the rule's settings (with adaptive_anchor)
  // Whether the controller has its run path alone: no coordinate memories,
  // u_j = r_j = 0, and only the run path's numbers are meta-parameters (a
  // few hundred). Off in files written before the entry existed.
  bool run_path_only = false;
  // Whether an LSTM layer stands where the FAVOR+ memories are, in both
  // paths (the coordinate path's of heads * value_dim units per coordinate,
  // the run path's of value_dim): the baseline of the memory, with the same
  // inputs, outputs and bounds. Off in files written before the entry
  // existed.
  bool lstm_memory = false;

  // The record of a weights file.
  WeightsArchitecture ToRecord() const;
  // The architecture a record describes; a missing or bad entry is an Error
  // naming `source`.
  static ControllerArchitecture FromRecord(const WeightsArchitecture& record,
                                           const std::string& source);
};

// The controller's learnable numbers, in the order of its flat vector.
struct ControllerParams {
  DenseLayer embed;        // e = tanh(W_e x + b_e), coordinate path
  std::vector<Mat> key;    // per head: d_k x d
  std::vector<Mat> query;  // per head: d_k x d
  std::vector<Mat> value;  // per head: d_v x d
  DenseLayer decoder;      // tanh([e, o_1..o_H]) -> hidden
  DenseLayer output;       // hidden -> (u, r); starts at zero
  DenseLayer run_embed;    // run path: token -> e_r
  Mat run_key;             // d_k x d_r
  Mat run_query;           // d_k x d_r
  Mat run_value;           // d_v x d_r
  DenseLayer run_decoder;  // tanh([e_r, o_r]) -> hidden
  DenseLayer run_output;   // hidden -> (U, V); starts at zero
  LstmLayer lstm;          // with lstm_memory: e -> the coordinate path's read-out
  LstmLayer run_lstm;      // with lstm_memory: e_r -> the run path's read-out
  bool coordinate_path;    // whether the coordinate path's blocks are used and meta-parameters
  bool lstm_memory;        // whether the LSTM layers stand for key, query and value

  // Zero weights shaped for `arch`.
  explicit ControllerParams(const ControllerArchitecture& arch);
  // The untrained controller: small random weights from `seed` everywhere
  // but the two output layers, which are zero (the nominal step exactly).
  void InitNeutral(const ControllerArchitecture& arch, std::uint64_t seed);

  // Lists every block, in the flat vector's order, to a meta-parameter
  // visitor (see core/optim/meta_param_vector.h).
  template <typename Self, typename Visitor>
  static void VisitBlocks(Self& self, Visitor& visit) {
    if (self.coordinate_path) {
      DenseLayer::VisitBlocks(self.embed, "embed", visit);
      if (self.lstm_memory) {
        LstmLayer::VisitBlocks(self.lstm, "lstm", visit);
      } else {
        VisitAttentionHeads(self.key, self.query, self.value, visit);
      }
      DenseLayer::VisitBlocks(self.decoder, "decoder", visit);
      DenseLayer::VisitBlocks(self.output, "output", visit);
    }
    DenseLayer::VisitBlocks(self.run_embed, "run.embed", visit);
    if (self.lstm_memory) {
      LstmLayer::VisitBlocks(self.run_lstm, "run.lstm", visit);
    } else {
      visit("run.key", self.run_key);
      visit("run.query", self.run_query);
      visit("run.value", self.run_value);
    }
    DenseLayer::VisitBlocks(self.run_decoder, "run.decoder", visit);
    DenseLayer::VisitBlocks(self.run_output, "run.output", visit);
  }
};

// What the controller did at its last step (for the viewer and tests).
struct ControllerOutputs {
  double run_log_gain = 0.0;    // U, clipped
  double sigma_log_gain = 0.0;  // V, clipped
  Vec log_gains;                // u_j (centred if asked) + U, clipped, per coordinate
};

// The updater "mnemosyne".
class MnemosyneController : public LearnedUpdater {
 public:
  // The updater `config` describes: `weights` (a weights file of the
  // controller; without it the untrained controller), `init_seed` and
  // `random_feature_seed` (both only without weights), and the switches
  // `center_gains` and `sigma_level` (the untrained architecture's; with a
  // weights file they must match what the file records).
  static std::unique_ptr<MnemosyneController> FromConfig(const ConfigNode& config);
  // An untrained controller of `arch` (random features from
  // `random_feature_seed`, weights from `init_seed`).
  MnemosyneController(const ControllerArchitecture& arch, std::uint64_t random_feature_seed,
                      std::uint64_t init_seed);

  std::string Name() const override { return kControllerName; }
  void Reset(const ParamLayout& layout) override;
  // Gains on the signal's nominal step, and the next sigma (see the top of
  // this file). Always finite: a coordinate whose nominal step is not
  // finite does not move.
  void Step(const SearchSignal& signal, Vec* theta, double* next_sigma) override;
  void SaveState(BinaryWriter& out) const override;
  void LoadState(BinaryReader& in) override;
  // While on, records what Inspect shows (the keys of the focus coordinates
  // and of the run path over the last kInspectHistory iterations).
  void SetInspection(bool on) override;
  void SetInspectionFocus(const std::vector<int>& coordinates) override;
  // Per focus coordinate and head, the memory S and the attention over its
  // last gradients ("head<h>.S[...]", "head<h>.attention[...]"); for the run
  // path, the attention of this iteration's query over the last iterations'
  // tokens ("run.attention"), and the last step's multipliers (1 x 1): on
  // the step exp(U) ("run.step_gain"), on sigma exp(V) ("run.sigma_gain")
  // and the mean over coordinates of exp(clip(u_j + U)) ("run.mean_gain").
  // The attention panels are a viewer-only record that restarts after a
  // resume; everything else follows from the state.
  UpdaterView Inspect() const override;

  // Iterations whose keys the inspection keeps.
  static constexpr int kInspectHistory = 64;

  int MetaParamCount() const override;
  Vec MetaParams() const override;
  void SetMetaParams(const Vec& params) override;
  ParamLayout MetaLayout() const override;
  void SaveWeights(const std::string& path) const override;

  // What the last step did.
  const ControllerOutputs& LastOutputs() const { return last_; }
  // Its architecture (as its weights file records it).
  const ControllerArchitecture& Architecture() const { return arch_; }

 private:
  // The run path's outputs this iteration: U (the step's log-gain) and V
  // (sigma's), clipped.
  Vec RunPath(const SearchSignal& signal);
  // The coordinate path's outputs this iteration: per coordinate (rows) the
  // log-gain u_j and the residual's pre-activation.
  Mat CoordinatePath(const SearchSignal& signal);

  ControllerArchitecture arch_;
  std::uint64_t random_feature_seed_;
  ControllerParams params_;
  std::vector<RandomFeatures> features_;  // per coordinate head
  RandomFeatures run_features_;

  // State.
  ParamLayout layout_;
  CoordinateInputs coordinate_inputs_;
  RunInputs run_inputs_;
  std::vector<AssociativeMemory> memories_;  // per head, one slot per coordinate
  AssociativeMemory run_memory_;             // one slot
  Mat lstm_hidden_, lstm_cell_;              // with lstm_memory: coordinates x heads * value_dim
  Mat run_lstm_hidden_, run_lstm_cell_;      // with lstm_memory: 1 x value_dim
  Mat lstm_gates_;                           // scratch of the LSTM layers
  std::optional<AdaptiveStepSize> anchor_;   // the adaptive step (with adaptive_anchor)
  double first_sigma_ = 0.0;                 // sigma of the first step
  ControllerOutputs last_;

  // Inspection (not part of the state: it restarts empty after a resume).
  bool inspect_ = false;                  // whether Step records
  long long steps_ = 0;                   // steps since Reset (or a resume)
  std::vector<int> requested_focus_;      // focus asked for (empty: default)
  MemoryInspector coordinate_inspector_;  // keys of the focus coordinates, per head
  MemoryInspector run_inspector_;         // keys of the run tokens
};

}  // namespace mnemo

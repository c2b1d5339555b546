// The learned optimizer of Andrychowicz et al. (2016), "Learning to learn by
// gradient descent by gradient descent": a coordinate-wise LSTM (two layers
// of 20 units) reads each gradient coordinate, in their log-magnitude/sign
// preprocessing, and a linear output gives the step. It is the baseline that
// Mnemosyne must generalise better than.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/optim/coordinate_blocks.h"
#include "core/optim/dense_layer.h"
#include "core/optim/gradient_preprocessing.h"
#include "core/optim/learned_updater.h"
#include "core/optim/learned_weights_file.h"
#include "core/optim/lstm_layer.h"

namespace mnemo {

// The fixed choices of the LSTM optimizer (what its weights file records).
struct LstmArchitecture {
  int layers = 2;                   // stacked LSTM layers
  int hidden = 20;                  // units per layer
  double preprocess_p = kLogSignP;  // the preprocessing constant p

  // Reads `layers`, `hidden` and `preprocess_p` (defaults for missing keys).
  static LstmArchitecture FromConfig(const ConfigNode& config);
  // Reads the entries of a weights file (`source` names it in errors).
  static LstmArchitecture FromRecord(const WeightsArchitecture& record, const std::string& source);
  // The entries a weights file records (keys as in the config).
  WeightsArchitecture ToRecord() const;
};

// The coordinate-wise LSTM updater: step_j = scale * (w . h_L,j + b).
class LstmUpdater : public LearnedUpdater {
 public:
  // An LSTM in its initial state (see InitSane), on `threads` threads (0: all
  // cores) for large vectors.
  LstmUpdater(const LstmArchitecture& arch, std::uint64_t init_seed, int threads);
  // Built from a config section: `weights` (a file; absent: the initial
  // state), `threads`, `init_seed` and the architecture keys.
  static std::unique_ptr<LstmUpdater> FromConfig(const ConfigNode& config);

  const LstmArchitecture& Architecture() const { return arch_; }

  std::string Name() const override { return "lstm"; }
  void Reset(const ParamLayout& layout) override;
  // Steps in units of the signal's sigma.
  void Step(const SearchSignal& signal, Vec* theta, double* next_sigma) override;
  void SetInspection(bool on) override { inspect_ = on; }
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
  // Scratch matrices of one worker.
  struct Workspace {
    Mat input;   // the current layer's input, coordinates x width
    Mat gates;   // coordinates x 4*hidden
    Mat output;  // coordinates x 1
  };

  // Lists every learnable block, in the flat vector's order, to `visit`.
  template <typename Self, typename Visitor>
  static void VisitBlocks(Self& self, Visitor& visit);
  // Weights under which the untrained LSTM takes steps of about
  // scale * sign(g): unit 0 of each layer carries the gradient's sign with
  // an almost closed forget gate, the output reads unit 0 alone; all other
  // weights are small random numbers drawn from `init_seed_`.
  void InitSane();
  // Advances the LSTM over one block and adds its steps to theta.
  void StepBlock(int worker, int block, const Vec& ascent, Vec* theta);

  LstmArchitecture arch_;
  std::uint64_t init_seed_;        // seed of the initial weights
  std::vector<LstmLayer> layers_;  // learnable
  DenseLayer output_;              // learnable: h_L -> step
  double step_scale_ = 1.0;        // the current step's unit (the signal's sigma)

  ParamLayout layout_;                   // of theta, from Reset
  std::vector<CoordinateBlock> blocks_;  // the layout cut into blocks
  std::vector<Mat> h_;                   // per layer: coordinates x hidden
  std::vector<Mat> c_;                   // per layer: cell states, coordinates x hidden
  std::int64_t t_ = 0;                   // steps since Reset

  BlockRunner runner_;                       // inline or on threads
  std::vector<Workspace> work_;              // one per worker
  std::vector<double> block_step_squares_;   // per block: sum of step^2
  bool inspect_ = false;                     // whether Inspect shows state
  std::vector<int> requested_focus_;         // as asked (empty: the default)
  std::vector<int> focus_;                   // the valid ones, or the default
  std::vector<double> last_tensor_squares_;  // per tensor, last step
};

}  // namespace mnemo

#include "core/mnemosyne/mnemosyne_updater.h"

#include <cmath>

#include "core/optim/meta_param_vector.h"
#include "core/optim/updater_list.h"

namespace mnemo {
namespace {

// c * b is clipped to this magnitude, so that the step stays finite even
// for meta-parameters far from any trained ones.
constexpr double kMaxLogMagnitude = 30.0;
// The random-feature seed of an untrained Mnemosyne.
constexpr std::uint64_t kDefaultRandomFeatureSeed = 1;
// Tensors whose mean memory Inspect shows.
constexpr std::size_t kInspectTensors = 8;

// `arch`, after checking that it is consistent (an Error otherwise).
const MnemosyneArchitecture& Validated(const MnemosyneArchitecture& arch) {
  arch.Validate("Mnemosyne");
  return arch;
}

}  // namespace

UpdaterRegistry::Entry MnemosyneEntry() {
  return {kCoordinatewiseName,
          "Mnemosyne's coordinate-wise rule (as in the paper): each coordinate's step decoded "
          "from a Performer-style associative memory over its gradient history",
          [](const ConfigNode& c) -> std::unique_ptr<Updater> {
            return MnemosyneUpdater::FromConfig(c);
          }};
}

MnemosyneUpdater::MnemosyneUpdater(const MnemosyneArchitecture& arch,
                                   std::uint64_t random_feature_seed, std::uint64_t init_seed,
                                   int threads, int inspect_history)
    : arch_(Validated(arch)),
      random_feature_seed_(random_feature_seed),
      init_seed_(init_seed),
      params_(arch_),
      features_(arch_.features, arch_.rms_decay, arch_.preprocess_p),
      runner_(threads, kParallelMinSize),
      inspector_(arch_.heads, arch_.random_features, inspect_history) {
  params_.InitSane(arch_, init_seed_);
  for (int h = 0; h < arch_.heads; ++h) {
    random_features_.emplace_back(arch_.key_dim, arch_.random_features, arch_.random_feature_kind,
                                  random_feature_seed_, h);
  }
  work_.resize(runner_.Workers());
  for (Workspace& w : work_) w.hidden.resize(params_.decoder.size());
}

MnemosyneUpdater::MnemosyneUpdater(const MnemosyneWeights& weights, int threads,
                                   int inspect_history)
    : MnemosyneUpdater(weights.architecture, weights.random_feature_seed, 0, threads,
                       inspect_history) {
  SetMetaParams(weights.numbers);
}

std::unique_ptr<MnemosyneUpdater> MnemosyneUpdater::FromConfig(const ConfigNode& config) {
  AllowUpdaterKeys(
      config, {"weights", "threads", "init_seed", "random_feature_seed", "inspect_history",
               "features", "embed_dim", "heads", "random_features", "key_dim", "value_dim",
               "discounts", "decoder_widths", "magnitude_scale", "random_feature_kind", "rms_decay",
               "preprocess_p", "readout_eps"});
  const int threads = static_cast<int>(config.GetInt("threads", 0, 0, 1024));
  const int history =
      static_cast<int>(config.GetInt("inspect_history", kDefaultInspectHistory, 1, 4096));
  std::unique_ptr<MnemosyneUpdater> updater;
  if (config.Has("weights")) {
    updater = std::make_unique<MnemosyneUpdater>(LoadMnemosyneWeights(config), threads, history);
  } else {
    const auto seed = static_cast<std::uint64_t>(
        config.GetInt("random_feature_seed", kDefaultRandomFeatureSeed, 0));
    const auto init_seed = static_cast<std::uint64_t>(config.GetInt("init_seed", 0, 0));
    updater = std::make_unique<MnemosyneUpdater>(MnemosyneArchitecture::FromConfig(config), seed,
                                                 init_seed, threads, history);
  }
  return updater;
}

MnemosyneWeights MnemosyneUpdater::Weights() const {
  return {arch_, random_feature_seed_, MetaParams()};
}

void MnemosyneUpdater::Reset(const ParamLayout& layout) {
  layout_ = layout;
  blocks_ = CutIntoBlocks(layout, kCoordinateBlockSize);
  const int size = layout.Size();
  memories_.clear();
  for (int h = 0; h < arch_.heads; ++h) {
    memories_.emplace_back(size, arch_.random_features, arch_.value_dim, arch_.discounts[h]);
  }
  features_.Reset(size);
  t_ = 0;
  normalized_ = Vec::Zero(arch_.features.NeedsRms() ? size : 0);
  block_sums_.assign(blocks_.size(), 0.0);
  block_squares_.assign(blocks_.size(), 0.0);
  block_step_squares_.assign(blocks_.size(), 0.0);
  tensor_mean_.assign(layout.Tensors().size(), 0.0);
  tensor_rms_.assign(layout.Tensors().size(), 0.0);
  last_tensor_squares_.clear();
  SetInspectionFocus(requested_focus_);
}

void MnemosyneUpdater::StepBlock(int worker, int b, const Vec& ascent, Vec* theta) {
  const CoordinateBlock& block = blocks_[b];
  const int n = block.count;
  const int d = arch_.embed_dim;
  const int dv = arch_.value_dim;
  Workspace& w = work_[worker];

  features_.Assemble(block, ascent, normalized_, tensor_mean_[block.tensor],
                     tensor_rms_[block.tensor], t_, &w.x);
  w.decoder_input.resize(n, arch_.DecoderInputs());
  params_.embed.Forward(w.x, /*use_tanh=*/true, w.decoder_input.leftCols(d));
  const auto embedding = w.decoder_input.leftCols(d);
  for (int h = 0; h < arch_.heads; ++h) {
    w.key.noalias() = embedding * params_.key[h].transpose();
    w.query.noalias() = embedding * params_.query[h].transpose();
    w.value.noalias() = embedding * params_.value[h].transpose();
    random_features_[h].Map(w.key, &w.key_features);
    random_features_[h].Map(w.query, &w.query_features);
    memories_[h].Write(block.first, w.key_features, w.value);
    memories_[h].Read(block.first, w.query_features, arch_.readout_eps,
                      w.decoder_input.middleCols(d + h * dv, dv));
    if (inspect_) {
      inspector_.Record(b, block, h, w.key_features, w.query_features);
    }
  }
  const Mat* input = &w.decoder_input;
  for (std::size_t l = 0; l < params_.decoder.size(); ++l) {
    const bool hidden_layer = l + 1 < params_.decoder.size();
    params_.decoder[l].Forward(*input, hidden_layer, &w.hidden[l]);
    input = &w.hidden[l];
  }
  // input now holds (a, b) per coordinate.
  const auto a = input->col(0).array();
  const auto log_magnitude =
      (arch_.magnitude_scale * input->col(1).array()).max(-kMaxLogMagnitude).min(kMaxLogMagnitude);
  auto target = theta->segment(block.first, n);
  const Eigen::ArrayXd step = step_scale_ * a * log_magnitude.exp();
  target.array() += step;
  block_step_squares_[b] = step.square().sum();
}

void MnemosyneUpdater::Step(const SearchSignal& signal, Vec* theta, double* /*next_sigma*/) {
  CheckStepSizes(Name(), layout_.Size(), signal, *theta);
  const Vec& ascent = signal.ascent;
  step_scale_ = signal.sigma;
  ++t_;
  const int blocks = static_cast<int>(blocks_.size());
  const int size = layout_.Size();
  runner_.Run(blocks, size, [&](int /*worker*/, int b) {
    const Eigen::Vector2d sums = features_.Normalize(blocks_[b], ascent, t_, &normalized_);
    block_sums_[b] = sums[0];
    block_squares_[b] = sums[1];
  });
  if (arch_.features.tensor) {
    const int tensors = static_cast<int>(layout_.Tensors().size());
    const auto sums = SumByTensor(blocks_, block_sums_, tensors);
    const auto squares = SumByTensor(blocks_, block_squares_, tensors);
    for (int t = 0; t < tensors; ++t) {
      const double count = std::max(1, layout_.Tensors()[t].Size());
      tensor_mean_[t] = sums[t] / count;
      tensor_rms_[t] = std::sqrt(squares[t] / count);
    }
  }
  runner_.Run(blocks, size, [&](int worker, int b) { StepBlock(worker, b, ascent, theta); });
  if (inspect_) {
    last_tensor_squares_ =
        SumByTensor(blocks_, block_step_squares_, static_cast<int>(layout_.Tensors().size()));
  }
}

void MnemosyneUpdater::SetInspection(bool on) {
  if (on && !inspect_) inspector_.Clear();
  inspect_ = on;
}

void MnemosyneUpdater::SetInspectionFocus(const std::vector<int>& coordinates) {
  requested_focus_ = coordinates;
  inspector_.SetFocus(coordinates.empty() ? DefaultInspectionFocus(layout_) : coordinates, blocks_);
}

UpdaterView MnemosyneUpdater::Inspect() const {
  UpdaterView view;
  view.kind = Name();
  view.iteration = t_;
  view.discounts = arch_.discounts;
  if (!inspect_) return view;
  AppendFocusPanels(layout_, inspector_, memories_, arch_.readout_eps, &view);
  const auto& tensors = layout_.Tensors();
  for (std::size_t t = 0; t < std::min(tensors.size(), kInspectTensors); ++t) {
    if (tensors[t].Size() == 0) continue;
    for (int h = 0; h < arch_.heads; ++h) {
      view.panels.push_back({"head" + std::to_string(h) + ".S[" + tensors[t].name + " mean]",
                             memories_[h].MeanMatrix(tensors[t].offset, tensors[t].Size())});
    }
  }
  SetTensorStepNorms(layout_, last_tensor_squares_, &view);
  return view;
}

void MnemosyneUpdater::SaveState(BinaryWriter& out) const {
  out.WriteI64(t_);
  features_.Save(out);
  for (const AssociativeMemory& memory : memories_) memory.Save(out);
}

void MnemosyneUpdater::LoadState(BinaryReader& in) {
  const std::int64_t t = in.ReadI64();
  if (t < 0) throw Error("Mnemosyne state has a negative step count");
  features_.Load(in);
  for (AssociativeMemory& memory : memories_) memory.Load(in);
  t_ = t;
  inspector_.Clear();
}

int MnemosyneUpdater::MetaParamCount() const { return MnemosyneParams::Count(arch_); }

Vec MnemosyneUpdater::MetaParams() const {
  return GatherBlocks([&](auto& visitor) { MnemosyneParams::VisitBlocks(params_, visitor); });
}

void MnemosyneUpdater::SetMetaParams(const Vec& params) {
  ScatterBlocks(params, kCoordinatewiseName,
                [&](auto& visitor) { MnemosyneParams::VisitBlocks(params_, visitor); });
}

ParamLayout MnemosyneUpdater::MetaLayout() const {
  return LayoutOfBlocks([&](auto& visitor) { MnemosyneParams::VisitBlocks(params_, visitor); });
}

void MnemosyneUpdater::SaveWeights(const std::string& path) const {
  SaveMnemosyneWeights(path, Weights());
}

}  // namespace mnemo

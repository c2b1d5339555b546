#include "core/optim/lstm_updater.h"

#include <cmath>

#include "core/optim/gradient_preprocessing.h"
#include "core/optim/meta_param_vector.h"
#include "core/optim/updater_list.h"

namespace mnemo {
namespace {

// Kind name in the registry and in weights files.
constexpr char kKind[] = "lstm";
// Initial gate biases of the sign-carrying unit: open, closed, open.
constexpr double kOpenBias = 5.0;
// Initial weight from the sign (or the previous layer's unit 0) into unit 0.
constexpr double kCarryWeight = 2.0;
// Scale of the small random initial weights.
constexpr double kInitGain = 0.3;

// The logistic function of one number.
double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

UpdaterRegistry::Entry LstmEntry() {
  return {
      kKind, "coordinate-wise two-layer LSTM learned optimizer (Andrychowicz et al. 2016)",
      [](const ConfigNode& c) -> std::unique_ptr<Updater> { return LstmUpdater::FromConfig(c); }};
}

LstmArchitecture LstmArchitecture::FromConfig(const ConfigNode& config) {
  LstmArchitecture arch;
  arch.layers = static_cast<int>(config.GetInt("layers", arch.layers, 1, 8));
  arch.hidden = static_cast<int>(config.GetInt("hidden", arch.hidden, 1, 512));
  arch.preprocess_p = config.GetDouble("preprocess_p", arch.preprocess_p, 1.0, 100.0);
  return arch;
}

LstmArchitecture LstmArchitecture::FromRecord(const WeightsArchitecture& record,
                                              const std::string& source) {
  LstmArchitecture arch;
  arch.layers = static_cast<int>(record.Int("layers", source));
  arch.hidden = static_cast<int>(record.Int("hidden", source));
  arch.preprocess_p = record.Double("preprocess_p", source);
  if (arch.layers < 1 || arch.layers > 8 || arch.hidden < 1 || arch.hidden > 512 ||
      !(arch.preprocess_p >= 1.0)) {
    throw Error({source, 0, ""}, "LSTM architecture out of range");
  }
  return arch;
}

WeightsArchitecture LstmArchitecture::ToRecord() const {
  WeightsArchitecture record;
  record.PutInt("layers", layers);
  record.PutInt("hidden", hidden);
  record.PutDouble("preprocess_p", preprocess_p);
  return record;
}

LstmUpdater::LstmUpdater(const LstmArchitecture& arch, std::uint64_t init_seed, int threads)
    : arch_(arch), init_seed_(init_seed), runner_(threads, kParallelMinSize) {
  if (arch_.layers < 1 || arch_.hidden < 1) {
    throw Error("lstm: needs at least one layer of at least one unit");
  }
  for (int l = 0; l < arch_.layers; ++l) {
    const int inputs = l == 0 ? 2 : arch_.hidden;
    layers_.emplace_back(inputs, arch_.hidden);
  }
  output_ = DenseLayer(arch_.hidden, 1);
  work_.resize(runner_.Workers());
  InitSane();
}

std::unique_ptr<LstmUpdater> LstmUpdater::FromConfig(const ConfigNode& config) {
  AllowUpdaterKeys(config, {"weights", "threads", "init_seed", "layers", "hidden", "preprocess_p"});
  LstmArchitecture arch = LstmArchitecture::FromConfig(config);
  const int threads = static_cast<int>(config.GetInt("threads", 0, 0, 1024));
  std::uint64_t seed = static_cast<std::uint64_t>(config.GetInt("init_seed", 0, 0));
  LearnedWeights weights;
  std::string path;
  if (config.Has("weights")) {
    weights = ReadConfiguredWeights(config, kKind, arch.ToRecord(), &path);
    arch = LstmArchitecture::FromRecord(weights.architecture, path);
    seed = weights.seed;
  }
  auto updater = std::make_unique<LstmUpdater>(arch, seed, threads);
  if (!path.empty()) {
    CheckWeightCount(weights, updater->MetaParamCount(), path);
    updater->SetMetaParams(weights.numbers);
  }
  return updater;
}

template <typename Self, typename Visitor>
void LstmUpdater::VisitBlocks(Self& self, Visitor& visit) {
  for (std::size_t l = 0; l < self.layers_.size(); ++l) {
    LstmLayer::VisitBlocks(self.layers_[l], "lstm" + std::to_string(l), visit);
  }
  DenseLayer::VisitBlocks(self.output_, "output", visit);
}

void LstmUpdater::InitSane() {
  const int h = arch_.hidden;
  Stream rng(init_seed_, /*iteration=*/0x15717);
  double carried = 1.0;  // steady |h| of unit 0 for a gradient of one sign
  for (int l = 0; l < arch_.layers; ++l) {
    LstmLayer& layer = layers_[l];
    layer.input.InitRandom(rng, kInitGain);
    for (Eigen::Index r = 0; r < layer.recurrent.rows(); ++r) {
      for (Eigen::Index c = 0; c < layer.recurrent.cols(); ++c) {
        layer.recurrent(r, c) = kInitGain / std::sqrt(h) * rng.Normal();
      }
    }
    layer.input.bias.segment(kLstmForgetGate * h, h).setOnes();
    for (int gate = 0; gate < 4; ++gate) {
      layer.input.weight.row(gate * h).setZero();
      layer.recurrent.row(gate * h).setZero();
    }
    layer.input.bias[kLstmInputGate * h] = kOpenBias;
    layer.input.bias[kLstmForgetGate * h] = -kOpenBias;
    layer.input.bias[kLstmCellGate * h] = 0.0;
    layer.input.bias[kLstmOutputGate * h] = kOpenBias;
    // Layer 0 reads the sign column of the preprocessing; later layers read
    // unit 0 of the layer below.
    layer.input.weight(kLstmCellGate * h, l == 0 ? 1 : 0) = kCarryWeight;
    const double gate_open = Sigmoid(kOpenBias);
    const double cell = gate_open * std::tanh(kCarryWeight * carried) / (1.0 - Sigmoid(-kOpenBias));
    carried = gate_open * std::tanh(cell);
  }
  output_.weight.setZero();
  output_.bias.setZero();
  output_.weight(0, 0) = 1.0 / carried;
}

void LstmUpdater::Reset(const ParamLayout& layout) {
  layout_ = layout;
  blocks_ = CutIntoBlocks(layout, kCoordinateBlockSize);
  h_.assign(arch_.layers, Mat::Zero(layout.Size(), arch_.hidden));
  c_.assign(arch_.layers, Mat::Zero(layout.Size(), arch_.hidden));
  t_ = 0;
  block_step_squares_.assign(blocks_.size(), 0.0);
  last_tensor_squares_.clear();
  SetInspectionFocus(requested_focus_);
}

void LstmUpdater::StepBlock(int worker, int b, const Vec& ascent, Vec* theta) {
  const CoordinateBlock& block = blocks_[b];
  const int n = block.count;
  Workspace& w = work_[worker];
  w.input.resize(n, 2);
  LogSignEncode(ascent.segment(block.first, n), arch_.preprocess_p, w.input, 0);
  for (int l = 0; l < arch_.layers; ++l) {
    auto hidden = h_[l].middleRows(block.first, n);
    layers_[l].Advance(w.input, hidden, c_[l].middleRows(block.first, n), &w.gates);
    w.input = hidden;
  }
  output_.Forward(w.input, /*use_tanh=*/false, &w.output);
  theta->segment(block.first, n) += step_scale_ * w.output.col(0);
  block_step_squares_[b] = step_scale_ * step_scale_ * w.output.squaredNorm();
}

void LstmUpdater::Step(const SearchSignal& signal, Vec* theta, double* /*next_sigma*/) {
  CheckStepSizes(Name(), layout_.Size(), signal, *theta);
  const Vec& ascent = signal.ascent;
  step_scale_ = signal.sigma;
  ++t_;
  runner_.Run(static_cast<int>(blocks_.size()), layout_.Size(),
              [&](int worker, int b) { StepBlock(worker, b, ascent, theta); });
  if (inspect_) {
    last_tensor_squares_ =
        SumByTensor(blocks_, block_step_squares_, static_cast<int>(layout_.Tensors().size()));
  }
}

void LstmUpdater::SetInspectionFocus(const std::vector<int>& coordinates) {
  requested_focus_ = coordinates;
  focus_.clear();
  for (int j : coordinates) {
    if (j >= 0 && j < layout_.Size()) focus_.push_back(j);
  }
  if (coordinates.empty()) focus_ = DefaultInspectionFocus(layout_);
}

UpdaterView LstmUpdater::Inspect() const {
  UpdaterView view;
  view.kind = Name();
  view.iteration = t_;
  if (!inspect_) return view;
  for (int j : focus_) {
    for (int l = 0; l < arch_.layers; ++l) {
      view.panels.push_back({"lstm" + std::to_string(l) + ".h[" + CoordinateLabel(layout_, j) + "]",
                             h_[l].row(j).transpose()});
    }
  }
  SetTensorStepNorms(layout_, last_tensor_squares_, &view);
  return view;
}

void LstmUpdater::SaveState(BinaryWriter& out) const {
  out.WriteI64(t_);
  for (int l = 0; l < arch_.layers; ++l) {
    out.WriteMat(h_[l]);
    out.WriteMat(c_[l]);
  }
}

void LstmUpdater::LoadState(BinaryReader& in) {
  const std::int64_t t = in.ReadI64();
  std::vector<Mat> h(arch_.layers);
  std::vector<Mat> c(arch_.layers);
  for (int l = 0; l < arch_.layers; ++l) {
    h[l] = in.ReadMat();
    c[l] = in.ReadMat();
    if (h[l].rows() != layout_.Size() || h[l].cols() != arch_.hidden ||
        c[l].rows() != layout_.Size() || c[l].cols() != arch_.hidden) {
      throw Error("lstm state does not match the updater's size " + std::to_string(layout_.Size()));
    }
  }
  t_ = t;
  h_ = std::move(h);
  c_ = std::move(c);
}

int LstmUpdater::MetaParamCount() const { return MetaLayout().Size(); }

Vec LstmUpdater::MetaParams() const {
  return GatherBlocks([&](auto& visitor) { VisitBlocks(*this, visitor); });
}

void LstmUpdater::SetMetaParams(const Vec& params) {
  ScatterBlocks(params, "lstm", [&](auto& visitor) { VisitBlocks(*this, visitor); });
}

ParamLayout LstmUpdater::MetaLayout() const {
  return LayoutOfBlocks([&](auto& visitor) { VisitBlocks(*this, visitor); });
}

void LstmUpdater::SaveWeights(const std::string& path) const {
  WriteLearnedWeights(path, {kKind, arch_.ToRecord(), init_seed_, MetaParams()});
}

}  // namespace mnemo

#include "core/mnemosyne/mnemosyne_controller.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/math/random_stream.h"
#include "core/optim/meta_param_vector.h"
#include "core/optim/updater_list.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

// The kind its weights files record (a format tag older than the name).
constexpr const char* kWeightsKind = "mnemosyne_v2";
// Gain of the random initial weights.
constexpr double kInitGain = 0.5;
// Default seed of the random-feature directions.
constexpr std::uint64_t kDefaultRandomFeatureSeed = 0x5eed2;

// x clipped to [-limit, limit]; 0 when not finite.
double Clip(double x, double limit) {
  return std::isfinite(x) ? std::clamp(x, -limit, limit) : 0.0;
}

// Checks the sizes and bounds of `arch` (an Error naming `source` otherwise).
void Validate(const ControllerArchitecture& arch, const std::string& source) {
  const bool sizes = arch.embed_dim > 0 && arch.heads > 0 && arch.random_features > 0 &&
                     arch.random_features % 2 == 0 && arch.key_dim > 0 && arch.value_dim > 0 &&
                     arch.decoder_width > 0 && arch.run_embed_dim > 0 &&
                     static_cast<int>(arch.discounts.size()) == arch.heads;
  bool discounts = arch.run_discount >= 0.0 && arch.run_discount <= 1.0;
  for (double g : arch.discounts) discounts = discounts && g >= 0.0 && g <= 1.0;
  const bool bounds = arch.gain_limit >= 0.0 && arch.sigma_limit >= 0.0 && arch.sigma_low > 0.0 &&
                      arch.sigma_low <= 1.0 && arch.sigma_high >= 1.0 && arch.residual >= 0.0 &&
                      arch.readout_eps > 0.0 && std::isfinite(arch.gain_limit) &&
                      std::isfinite(arch.sigma_limit) && std::isfinite(arch.sigma_high);
  const AdaptiveStepSettings& s = arch.anchor_settings;
  const bool anchor =
      !arch.adaptive_anchor ||
      (s.max_gain >= 1.0 && std::isfinite(s.max_gain) && s.initial_gain * s.max_gain >= 1.0 &&
       s.initial_gain <= s.max_gain && s.agreement_rate >= 0.0 && s.agreement_rate <= 10.0 &&
       s.agreement_smoothing > 0.0 && s.agreement_smoothing <= 1.0 &&
       std::abs(s.agreement_target) <= 1.0 && s.collapse_spreads >= 0.0 &&
       std::isfinite(s.collapse_spreads) && s.start_growth >= 1.0 && s.start_growth <= 10.0 &&
       s.start_exit_errors >= 0.0 && s.start_exit_errors <= 100.0 && s.rank_collapse_z >= 0.0 &&
       s.rank_collapse_z <= 100.0 && s.rank_min_returns >= 2 && s.rank_min_returns <= (1 << 20));
  if (!sizes || !discounts || !bounds || !anchor) {
    throw Error(source + ": not a valid architecture of the mnemosyne controller");
  }
}

// The architecture switches a config may name.
constexpr std::pair<const char*, bool ControllerArchitecture::*> kSwitches[] = {
    {"center_gains", &ControllerArchitecture::center_gains},
    {"sigma_level", &ControllerArchitecture::sigma_level},
    {"adaptive_anchor", &ControllerArchitecture::adaptive_anchor},
    {"run_path_only", &ControllerArchitecture::run_path_only},
    {"lstm_memory", &ControllerArchitecture::lstm_memory}};

// Sets the switches `config` names on an untrained architecture.
void SetSwitches(const ConfigNode& config, ControllerArchitecture* arch) {
  for (const auto& [key, member] : kSwitches) arch->*member = config.GetBool(key, arch->*member);
}

// Checks that the switches `config` names match those a weights file
// recorded: a weights file defines its controller, a config cannot change it.
void CheckSwitches(const ConfigNode& config, const ControllerArchitecture& arch,
                   const std::string& path) {
  for (const auto& [key, member] : kSwitches) {
    if (config.Has(key) && config.GetBool(key, false) != arch.*member) {
      throw config.ErrorAt(key, std::string("does not match the weights file ") + path +
                                    ", which records " + (arch.*member ? "true" : "false") +
                                    " (drop the key)");
    }
  }
}

// The mean of the coordinate path's log-gains u_j (column 0 of `out`) over
// the coordinates that move (finite nominal step and gain); 0 when none does.
double MeanCoordinateLogGain(const Mat& out, const SearchSignal& signal) {
  double sum = 0.0;
  int count = 0;
  for (Eigen::Index j = 0; j < out.rows(); ++j) {
    if (!std::isfinite(signal.nominal_step[j]) || !std::isfinite(out(j, 0))) continue;
    sum += out(j, 0);
    ++count;
  }
  return count > 0 ? sum / count : 0.0;
}

}  // namespace

UpdaterRegistry::Entry MnemosyneControllerEntry() {
  return {kControllerName,
          "Mnemosyne, the anchored controller: learned, bounded gains on the estimator's own "
          "step and on sigma, from associative memories over each coordinate's and the run's "
          "history",
          [](const ConfigNode& c) -> std::unique_ptr<Updater> {
            return MnemosyneController::FromConfig(c);
          }};
}

WeightsArchitecture ControllerArchitecture::ToRecord() const {
  WeightsArchitecture r;
  r.PutInt("embed_dim", embed_dim);
  r.PutInt("heads", heads);
  r.PutInt("random_features", random_features);
  r.PutInt("key_dim", key_dim);
  r.PutInt("value_dim", value_dim);
  r.PutDoubles("discounts", discounts);
  r.PutInt("decoder_width", decoder_width);
  r.PutInt("run_embed_dim", run_embed_dim);
  r.PutDouble("run_discount", run_discount);
  r.PutDouble("gain_limit", gain_limit);
  r.PutDouble("sigma_limit", sigma_limit);
  r.PutDouble("sigma_low", sigma_low);
  r.PutDouble("sigma_high", sigma_high);
  r.PutDouble("residual", residual);
  r.PutDouble("readout_eps", readout_eps);
  r.PutInt("center_gains", center_gains ? 1 : 0);
  r.PutInt("sigma_level", sigma_level ? 1 : 0);
  // Only a run-path-only controller records the switch, and only an
  // anchored one its anchor (the others' files stay as they were).
  if (run_path_only) r.PutInt("run_path_only", 1);
  if (lstm_memory) r.PutInt("lstm_memory", 1);
  if (adaptive_anchor) {
    r.PutInt("adaptive_anchor", 1);
    r.PutDouble("anchor_initial_gain", anchor_settings.initial_gain);
    r.PutDouble("anchor_agreement_rate", anchor_settings.agreement_rate);
    r.PutDouble("anchor_agreement_smoothing", anchor_settings.agreement_smoothing);
    r.PutDouble("anchor_agreement_target", anchor_settings.agreement_target);
    r.PutDouble("anchor_collapse_spreads", anchor_settings.collapse_spreads);
    r.PutDouble("anchor_max_gain", anchor_settings.max_gain);
    r.PutDouble("anchor_start_growth", anchor_settings.start_growth);
    r.PutDouble("anchor_start_exit_errors", anchor_settings.start_exit_errors);
    r.PutDouble("anchor_rank_collapse_z", anchor_settings.rank_collapse_z);
    r.PutInt("anchor_rank_min_returns", anchor_settings.rank_min_returns);
  }
  return r;
}

ControllerArchitecture ControllerArchitecture::FromRecord(const WeightsArchitecture& r,
                                                          const std::string& source) {
  ControllerArchitecture a;
  a.embed_dim = static_cast<int>(r.Int("embed_dim", source));
  a.heads = static_cast<int>(r.Int("heads", source));
  a.random_features = static_cast<int>(r.Int("random_features", source));
  a.key_dim = static_cast<int>(r.Int("key_dim", source));
  a.value_dim = static_cast<int>(r.Int("value_dim", source));
  a.discounts = r.Doubles("discounts", source);
  a.decoder_width = static_cast<int>(r.Int("decoder_width", source));
  a.run_embed_dim = static_cast<int>(r.Int("run_embed_dim", source));
  a.run_discount = r.Double("run_discount", source);
  a.gain_limit = r.Double("gain_limit", source);
  a.sigma_limit = r.Double("sigma_limit", source);
  a.sigma_low = r.Double("sigma_low", source);
  a.sigma_high = r.Double("sigma_high", source);
  a.residual = r.Double("residual", source);
  a.readout_eps = r.Double("readout_eps", source);
  // Files written before these entries existed have them off.
  std::size_t missing = 0;
  for (auto [key, flag] :
       {std::pair{"center_gains", &a.center_gains}, std::pair{"sigma_level", &a.sigma_level}}) {
    if (!r.Has(key)) {
      ++missing;
      continue;
    }
    const long long value = r.Int(key, source);
    if (value != 0 && value != 1) throw Error(source + ": " + key + " must be 0 or 1");
    *flag = value == 1;
  }
  for (auto [key, flag] :
       {std::pair{"run_path_only", &a.run_path_only}, std::pair{"lstm_memory", &a.lstm_memory}}) {
    if (!r.Has(key)) continue;
    if (r.Int(key, source) != 1) throw Error(source + ": " + key + " must be 1");
    *flag = true;
  }
  if (r.Has("adaptive_anchor")) {
    if (r.Int("adaptive_anchor", source) != 1) throw Error(source + ": adaptive_anchor must be 1");
    a.adaptive_anchor = true;
    AdaptiveStepSettings& s = a.anchor_settings;
    s.initial_gain = r.Double("anchor_initial_gain", source);
    s.agreement_rate = r.Double("anchor_agreement_rate", source);
    s.agreement_smoothing = r.Double("anchor_agreement_smoothing", source);
    // Files written before the target existed have it at 0.
    if (r.Has("anchor_agreement_target")) {
      s.agreement_target = r.Double("anchor_agreement_target", source);
    } else {
      ++missing;
    }
    s.collapse_spreads = r.Double("anchor_collapse_spreads", source);
    s.max_gain = r.Double("anchor_max_gain", source);
    // Files written before the slow start and the rank test existed have
    // neither.
    if (!r.Has("anchor_start_growth")) {
      s.start_growth = 1.0;
      s.rank_collapse_z = 0.0;
      missing += 4;
    } else {
      s.start_growth = r.Double("anchor_start_growth", source);
      s.start_exit_errors = r.Double("anchor_start_exit_errors", source);
      s.rank_collapse_z = r.Double("anchor_rank_collapse_z", source);
      s.rank_min_returns = static_cast<int>(r.Int("anchor_rank_min_returns", source));
    }
  }
  if (r.Entries().size() + missing != a.ToRecord().Entries().size()) {
    throw Error(source +
                ": the mnemosyne controller's architecture has entries this build does not know");
  }
  Validate(a, source);
  return a;
}

ControllerParams::ControllerParams(const ControllerArchitecture& arch)
    : embed(kCoordinateInputs, arch.embed_dim),
      decoder(arch.embed_dim + arch.heads * arch.value_dim, arch.decoder_width),
      output(arch.decoder_width, 2),
      run_embed(kRunInputs, arch.run_embed_dim),
      run_key(Mat::Zero(arch.key_dim, arch.run_embed_dim)),
      run_query(Mat::Zero(arch.key_dim, arch.run_embed_dim)),
      run_value(Mat::Zero(arch.value_dim, arch.run_embed_dim)),
      run_decoder(arch.run_embed_dim + arch.value_dim, arch.decoder_width),
      run_output(arch.decoder_width, 2),
      lstm(arch.embed_dim, arch.heads * arch.value_dim),
      run_lstm(arch.run_embed_dim, arch.value_dim),
      coordinate_path(!arch.run_path_only),
      lstm_memory(arch.lstm_memory) {
  for (int h = 0; h < arch.heads; ++h) {
    key.push_back(Mat::Zero(arch.key_dim, arch.embed_dim));
    query.push_back(Mat::Zero(arch.key_dim, arch.embed_dim));
    value.push_back(Mat::Zero(arch.value_dim, arch.embed_dim));
  }
}

void ControllerParams::InitNeutral(const ControllerArchitecture& arch, std::uint64_t seed) {
  Stream rng(seed, /*iteration=*/0xc0de);
  embed.InitRandom(rng, kInitGain);
  for (int h = 0; h < arch.heads; ++h) {
    key[h] = RandomWeights(arch.key_dim, arch.embed_dim, kInitGain, rng);
    query[h] = RandomWeights(arch.key_dim, arch.embed_dim, kInitGain, rng);
    value[h] = RandomWeights(arch.value_dim, arch.embed_dim, kInitGain, rng);
  }
  decoder.InitRandom(rng, kInitGain);
  output = DenseLayer(arch.decoder_width, 2);
  run_embed.InitRandom(rng, kInitGain);
  run_key = RandomWeights(arch.key_dim, arch.run_embed_dim, kInitGain, rng);
  run_query = RandomWeights(arch.key_dim, arch.run_embed_dim, kInitGain, rng);
  run_value = RandomWeights(arch.value_dim, arch.run_embed_dim, kInitGain, rng);
  run_decoder.InitRandom(rng, kInitGain);
  run_output = DenseLayer(arch.decoder_width, 2);
  if (!arch.lstm_memory) return;
  // Drawn after the rest, so that the other blocks start as the FAVOR+
  // controller's; the forget gates start half open.
  for (LstmLayer* layer : {&lstm, &run_lstm}) {
    layer->input.InitRandom(rng, kInitGain);
    const int h = layer->Hidden();
    layer->recurrent = RandomWeights(4 * h, h, kInitGain, rng);
    layer->input.bias.segment(kLstmForgetGate * h, h).setOnes();
  }
}

std::unique_ptr<MnemosyneController> MnemosyneController::FromConfig(const ConfigNode& config) {
  // `threads` is accepted for the meta-trainer's copies; the controller's
  // work per step is small and runs on the calling thread.
  AllowUpdaterKeys(config,
                   {"weights", "threads", "init_seed", "random_feature_seed", "center_gains",
                    "sigma_level", "adaptive_anchor", "run_path_only", "lstm_memory"});
  if (config.Has("weights")) {
    const std::string path = ResolveWeightsPath(config, "weights");
    const LearnedWeights w = ReadLearnedWeights(path, kWeightsKind);
    const ControllerArchitecture arch = ControllerArchitecture::FromRecord(w.architecture, path);
    CheckSwitches(config, arch, path);
    auto updater = std::make_unique<MnemosyneController>(arch, w.seed, 0);
    if (w.numbers.size() != updater->MetaParamCount() || !w.numbers.allFinite()) {
      throw Error({path, 0, ""}, "holds " + std::to_string(w.numbers.size()) +
                                     " meta-parameters (finite ones expected: " +
                                     std::to_string(updater->MetaParamCount()) + ")");
    }
    updater->SetMetaParams(w.numbers);
    return updater;
  }
  const auto seed = static_cast<std::uint64_t>(
      config.GetInt("random_feature_seed", static_cast<long long>(kDefaultRandomFeatureSeed), 0));
  const auto init_seed = static_cast<std::uint64_t>(config.GetInt("init_seed", 0, 0));
  ControllerArchitecture arch;
  SetSwitches(config, &arch);
  return std::make_unique<MnemosyneController>(arch, seed, init_seed);
}

MnemosyneController::MnemosyneController(const ControllerArchitecture& arch,
                                         std::uint64_t random_feature_seed, std::uint64_t init_seed)
    : arch_(arch),
      random_feature_seed_(random_feature_seed),
      params_(arch),
      coordinate_inspector_(arch.heads, arch.random_features, kInspectHistory),
      run_inspector_(1, arch.random_features, kInspectHistory) {
  Validate(arch_, kWeightsKind);
  params_.InitNeutral(arch_, init_seed);
  for (int h = 0; h < arch_.heads; ++h) {
    features_.emplace_back(arch_.key_dim, arch_.random_features, RandomFeatureKind::kOrthogonal,
                           random_feature_seed_, h);
  }
  run_features_ = RandomFeatures(arch_.key_dim, arch_.random_features,
                                 RandomFeatureKind::kOrthogonal, random_feature_seed_, arch_.heads);
  if (arch_.adaptive_anchor) anchor_.emplace(arch_.anchor_settings);
}

void MnemosyneController::Reset(const ParamLayout& layout) {
  layout_ = layout;
  coordinate_inputs_.Reset(layout);
  run_inputs_.Reset();
  memories_.clear();
  const bool favor_coordinates = !arch_.run_path_only && !arch_.lstm_memory;
  for (int h = 0; h < (favor_coordinates ? arch_.heads : 0); ++h) {
    memories_.emplace_back(layout.Size(), arch_.random_features, arch_.value_dim,
                           arch_.discounts[h]);
  }
  run_memory_ = AssociativeMemory(1, arch_.random_features, arch_.value_dim, arch_.run_discount);
  const int lstm_rows = arch_.lstm_memory && !arch_.run_path_only ? layout.Size() : 0;
  lstm_hidden_ = lstm_cell_ = Mat::Zero(lstm_rows, arch_.heads * arch_.value_dim);
  run_lstm_hidden_ = run_lstm_cell_ = Mat::Zero(arch_.lstm_memory ? 1 : 0, arch_.value_dim);
  if (anchor_) anchor_->Reset(layout.Size());
  first_sigma_ = 0.0;
  last_ = ControllerOutputs();
  steps_ = 0;
  SetInspectionFocus(requested_focus_);
  run_inspector_.SetFocus({0}, {CoordinateBlock{0, 0, 1}});
}

void MnemosyneController::SetInspection(bool on) {
  if (on && !inspect_) {
    coordinate_inspector_.Clear();
    run_inspector_.Clear();
  }
  inspect_ = on;
}

void MnemosyneController::SetInspectionFocus(const std::vector<int>& coordinates) {
  requested_focus_ = coordinates;
  coordinate_inspector_.SetFocus(
      coordinates.empty() ? DefaultInspectionFocus(layout_) : coordinates,
      {CoordinateBlock{0, 0, layout_.Size()}});
}

UpdaterView MnemosyneController::Inspect() const {
  UpdaterView view;
  view.kind = Name();
  view.iteration = steps_;
  view.discounts = arch_.discounts;
  if (!inspect_) return view;
  // Attention only where there are FAVOR+ memories.
  if (!memories_.empty()) {
    AppendFocusPanels(layout_, coordinate_inspector_, memories_, arch_.readout_eps, &view);
  }
  if (!arch_.lstm_memory) {
    view.panels.push_back(
        {"run.attention", run_inspector_.AttentionWeights(0, 0, run_memory_, arch_.readout_eps)});
  }
  const double mean_gain = last_.log_gains.size() > 0 ? last_.log_gains.array().exp().mean() : 1.0;
  view.panels.push_back({"run.step_gain", Mat::Constant(1, 1, std::exp(last_.run_log_gain))});
  view.panels.push_back({"run.sigma_gain", Mat::Constant(1, 1, std::exp(last_.sigma_log_gain))});
  view.panels.push_back({"run.mean_gain", Mat::Constant(1, 1, mean_gain)});
  if (anchor_) view.panels.push_back({"run.anchor_gain", Mat::Constant(1, 1, anchor_->Gain())});
  return view;
}

Vec MnemosyneController::RunPath(const SearchSignal& signal) {
  // One token, one memory slot (or one LSTM row).
  const Vec token = run_inputs_.Next(signal);
  Mat run_e;
  params_.run_embed.Forward(token.transpose(), true, &run_e);
  Mat run_read(1, arch_.value_dim);
  if (arch_.lstm_memory) {
    params_.run_lstm.Advance(run_e, run_lstm_hidden_, run_lstm_cell_, &lstm_gates_);
    run_read = run_lstm_hidden_;
  } else {
    const Mat run_k = run_e * params_.run_key.transpose();
    const Mat run_q = run_e * params_.run_query.transpose();
    const Mat run_v = run_e * params_.run_value.transpose();
    Mat phi_k, phi_q;
    run_features_.Map(run_k, &phi_k);
    run_features_.Map(run_q, &phi_q);
    if (inspect_) run_inspector_.Record(0, CoordinateBlock{0, 0, 1}, 0, phi_k, phi_q);
    run_memory_.Write(0, phi_k, run_v);
    run_memory_.Read(0, phi_q, arch_.readout_eps, run_read);
  }
  Mat run_in(1, arch_.run_embed_dim + arch_.value_dim);
  run_in << run_e, run_read;
  Mat run_hidden, run_out;
  params_.run_decoder.Forward(run_in, true, &run_hidden);
  params_.run_output.Forward(run_hidden, false, &run_out);
  Vec gains(2);
  gains[0] = Clip(run_out(0, 0), arch_.gain_limit);
  // A level sets ln(sigma / sigma_0) within the clamp of Step; a rate is
  // bounded per iteration.
  gains[1] = Clip(run_out(0, 1), arch_.sigma_level ? std::log(arch_.sigma_high / arch_.sigma_low)
                                                   : arch_.sigma_limit);
  return gains;
}

Mat MnemosyneController::CoordinatePath(const SearchSignal& signal) {
  // One memory slot per coordinate and head.
  const int n = layout_.Size();
  Mat inputs;
  coordinate_inputs_.Next(signal.ascent, &inputs);
  Mat e;
  params_.embed.Forward(inputs, true, &e);
  Mat decoder_in(n, arch_.embed_dim + arch_.heads * arch_.value_dim);
  decoder_in.leftCols(arch_.embed_dim) = e;
  if (arch_.lstm_memory) {
    params_.lstm.Advance(e, lstm_hidden_, lstm_cell_, &lstm_gates_);
    decoder_in.rightCols(arch_.heads * arch_.value_dim) = lstm_hidden_;
  }
  Mat phi_k, phi_q;
  for (int h = 0; h < static_cast<int>(memories_.size()); ++h) {
    features_[h].Map(e * params_.key[h].transpose(), &phi_k);
    memories_[h].Write(0, phi_k, e * params_.value[h].transpose());
    features_[h].Map(e * params_.query[h].transpose(), &phi_q);
    memories_[h].Read(
        0, phi_q, arch_.readout_eps,
        decoder_in.middleCols(arch_.embed_dim + h * arch_.value_dim, arch_.value_dim));
    if (inspect_) coordinate_inspector_.Record(0, CoordinateBlock{0, 0, n}, h, phi_k, phi_q);
  }
  Mat hidden, out;
  params_.decoder.Forward(decoder_in, true, &hidden);
  params_.output.Forward(hidden, false, &out);
  return out;
}

void MnemosyneController::Step(const SearchSignal& signal, Vec* theta, double* next_sigma) {
  CheckStepSizes(Name(), layout_.Size(), signal, *theta);
  if (first_sigma_ == 0.0) first_sigma_ = signal.sigma;
  const Vec run = RunPath(signal);
  // (u_j, r_j) per coordinate: zero without a coordinate path.
  const Mat out = arch_.run_path_only ? Mat::Zero(layout_.Size(), 2) : CoordinatePath(signal);
  last_.run_log_gain = run[0];
  last_.sigma_log_gain = run[1];
  // The anchor: the estimator's own step, or the adaptive step (which may
  // instead take theta back to its best point: no step this iteration).
  double anchor_gain = 1.0;
  if (anchor_) {
    if (!anchor_->Observe(signal, theta)) {
      ++steps_;
      return;
    }
    anchor_gain = anchor_->Gain();
  }
  // Gains on the anchor's step; a residual only where the network asks for
  // one (so that the untrained controller's step is the anchor's, bit for
  // bit).
  const double shift = run[0] - (arch_.center_gains ? MeanCoordinateLogGain(out, signal) : 0.0);
  const int n = layout_.Size();
  last_.log_gains.resize(n);
  for (int j = 0; j < n; ++j) {
    const double nominal = anchor_ ? anchor_gain * signal.nominal_step[j] : signal.nominal_step[j];
    const double log_gain = Clip(out(j, 0) + shift, arch_.gain_limit);
    last_.log_gains[j] = log_gain;
    if (!std::isfinite(nominal)) continue;
    double step = nominal * std::exp(log_gain);
    const double r = out(j, 1);
    if (r != 0.0 && std::isfinite(r)) step += arch_.residual * std::tanh(r) * std::abs(nominal);
    (*theta)[j] += step;
  }
  const double proposed = (arch_.sigma_level ? first_sigma_ : signal.sigma) * std::exp(run[1]);
  *next_sigma =
      std::clamp(proposed, arch_.sigma_low * first_sigma_, arch_.sigma_high * first_sigma_);
  if (!std::isfinite(*next_sigma) || !(*next_sigma > 0.0)) *next_sigma = signal.sigma;
  ++steps_;
}

void MnemosyneController::SaveState(BinaryWriter& out) const {
  coordinate_inputs_.Save(out);
  run_inputs_.Save(out);
  for (const AssociativeMemory& m : memories_) m.Save(out);
  run_memory_.Save(out);
  if (arch_.lstm_memory) {
    for (const Mat* m : {&lstm_hidden_, &lstm_cell_, &run_lstm_hidden_, &run_lstm_cell_}) {
      out.WriteMat(*m);
    }
  }
  out.WriteDouble(first_sigma_);
  if (anchor_) anchor_->Save(out);
}

void MnemosyneController::LoadState(BinaryReader& in) {
  coordinate_inputs_.Load(in);
  run_inputs_.Load(in);
  for (AssociativeMemory& m : memories_) m.Load(in);
  run_memory_.Load(in);
  if (arch_.lstm_memory) {
    for (Mat* m : {&lstm_hidden_, &lstm_cell_, &run_lstm_hidden_, &run_lstm_cell_}) {
      const Mat loaded = in.ReadMat();
      if (loaded.rows() != m->rows() || loaded.cols() != m->cols() || !loaded.allFinite()) {
        throw Error("mnemosyne controller state: the LSTM memory does not fit this run");
      }
      *m = loaded;
    }
  }
  first_sigma_ = in.ReadDouble();
  if (anchor_) anchor_->Load(in);
  coordinate_inspector_.Clear();
  run_inspector_.Clear();
}

int MnemosyneController::MetaParamCount() const { return MetaLayout().Size(); }

Vec MnemosyneController::MetaParams() const {
  return GatherBlocks([&](auto& visitor) { ControllerParams::VisitBlocks(params_, visitor); });
}

void MnemosyneController::SetMetaParams(const Vec& params) {
  ScatterBlocks(params, kControllerName,
                [&](auto& visitor) { ControllerParams::VisitBlocks(params_, visitor); });
}

ParamLayout MnemosyneController::MetaLayout() const {
  return LayoutOfBlocks([&](auto& visitor) { ControllerParams::VisitBlocks(params_, visitor); });
}

void MnemosyneController::SaveWeights(const std::string& path) const {
  WriteLearnedWeights(path, {kWeightsKind, arch_.ToRecord(), random_feature_seed_, MetaParams()});
}

}  // namespace mnemo

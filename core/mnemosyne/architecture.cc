#include "core/mnemosyne/architecture.h"

#include <cmath>

namespace mnemo {
namespace {

// Largest size of any dimension (a guard against typos, not a real limit).
constexpr int kMaxWidth = 1024;

// H discounts spread (in log(1 - gamma)) from 0.9 to 0.99.
std::vector<double> SpreadDiscounts(int heads) {
  std::vector<double> discounts;
  for (int h = 0; h < heads; ++h) {
    const double exponent = heads == 1 ? 1.0 : 1.0 + h / (heads - 1.0);
    discounts.push_back(1.0 - std::pow(10.0, -exponent));
  }
  return discounts;
}

}  // namespace

MnemosyneArchitecture MnemosyneArchitecture::FromConfig(const ConfigNode& config) {
  MnemosyneArchitecture a;
  try {
    a.features = FeatureSet::Parse(config.GetString("features", a.features.ToString()));
  } catch (const Error& e) {
    throw config.ErrorAt("features", e.what());
  }
  a.embed_dim = static_cast<int>(config.GetInt("embed_dim", a.embed_dim, 1, kMaxWidth));
  a.heads = static_cast<int>(config.GetInt("heads", a.heads, 1, 64));
  a.random_features =
      static_cast<int>(config.GetInt("random_features", a.random_features, 2, kMaxWidth));
  if (a.random_features % 2 != 0) {
    throw config.ErrorAt("random_features",
                         "must be even (features come in "
                         "exp(w.z), exp(-w.z) pairs)");
  }
  a.key_dim = static_cast<int>(config.GetInt("key_dim", a.key_dim, 1, kMaxWidth));
  a.value_dim = static_cast<int>(config.GetInt("value_dim", a.value_dim, 1, kMaxWidth));
  a.discounts = config.GetDoubleList("discounts", SpreadDiscounts(a.heads), 0.0, 1.0);
  if (static_cast<int>(a.discounts.size()) != a.heads) {
    throw config.ErrorAt("discounts",
                         "needs one discount per head (" + std::to_string(a.heads) + ")");
  }
  std::vector<long long> widths(a.decoder_widths.begin(), a.decoder_widths.end());
  widths = config.GetIntList("decoder_widths", widths, 1, kMaxWidth);
  a.decoder_widths.assign(widths.begin(), widths.end());
  a.magnitude_scale = config.GetDouble("magnitude_scale", a.magnitude_scale, 0.0, 100.0);
  try {
    a.random_feature_kind = ParseRandomFeatureKind(
        config.GetString("random_feature_kind", RandomFeatureKindName(a.random_feature_kind),
                         {"orthogonal", "iid"}));
  } catch (const Error& e) {
    throw config.ErrorAt("random_feature_kind", e.what());
  }
  a.rms_decay = config.GetDouble("rms_decay", a.rms_decay, 0.0, 0.999999);
  a.preprocess_p = config.GetDouble("preprocess_p", a.preprocess_p, 1.0, 100.0);
  a.readout_eps = config.GetDouble("readout_eps", a.readout_eps, 1e-300, 1.0);
  return a;
}

MnemosyneArchitecture MnemosyneArchitecture::FromRecord(const WeightsArchitecture& record,
                                                        const std::string& source) {
  MnemosyneArchitecture a;
  try {
    a.features = FeatureSet::Parse(record.Text("features", source));
    a.random_feature_kind = ParseRandomFeatureKind(record.Text("random_feature_kind", source));
  } catch (const Error& e) {
    throw Error({source, 0, ""}, e.what());
  }
  a.embed_dim = static_cast<int>(record.Int("embed_dim", source));
  a.heads = static_cast<int>(record.Int("heads", source));
  a.random_features = static_cast<int>(record.Int("random_features", source));
  a.key_dim = static_cast<int>(record.Int("key_dim", source));
  a.value_dim = static_cast<int>(record.Int("value_dim", source));
  a.discounts = record.Doubles("discounts", source);
  a.decoder_widths = record.Ints("decoder_widths", source);
  a.magnitude_scale = record.Double("magnitude_scale", source);
  a.rms_decay = record.Double("rms_decay", source);
  a.preprocess_p = record.Double("preprocess_p", source);
  a.readout_eps = record.Double("readout_eps", source);
  a.Validate(source);
  return a;
}

WeightsArchitecture MnemosyneArchitecture::ToRecord() const {
  WeightsArchitecture r;
  r.PutString("features", features.ToString());
  r.PutInt("embed_dim", embed_dim);
  r.PutInt("heads", heads);
  r.PutInt("random_features", random_features);
  r.PutInt("key_dim", key_dim);
  r.PutInt("value_dim", value_dim);
  r.PutDoubles("discounts", discounts);
  r.PutInts("decoder_widths", decoder_widths);
  r.PutDouble("magnitude_scale", magnitude_scale);
  r.PutString("random_feature_kind", RandomFeatureKindName(random_feature_kind));
  r.PutDouble("rms_decay", rms_decay);
  r.PutDouble("preprocess_p", preprocess_p);
  r.PutDouble("readout_eps", readout_eps);
  return r;
}

void MnemosyneArchitecture::Validate(const std::string& source) const {
  auto fail = [&](const std::string& what) {
    throw Error({source, 0, ""}, "inconsistent Mnemosyne architecture: " + what);
  };
  auto in_range = [](int v) { return v >= 1 && v <= kMaxWidth; };
  if (!in_range(embed_dim) || !in_range(heads) || !in_range(key_dim) || !in_range(value_dim) ||
      !in_range(random_features)) {
    fail("a size is out of range");
  }
  if (random_features % 2 != 0) fail("random_features must be even");
  if (static_cast<int>(discounts.size()) != heads) fail("one discount per head");
  for (double g : discounts) {
    if (!(g >= 0.0 && g <= 1.0)) fail("discounts must lie in [0, 1]");
  }
  if (decoder_widths.size() > 16) fail("at most 16 decoder layers");
  for (int w : decoder_widths) {
    if (!in_range(w)) fail("a decoder width is out of range");
  }
  if (!(rms_decay >= 0.0 && rms_decay < 1.0)) fail("rms_decay must lie in [0, 1)");
  if (!(readout_eps > 0.0)) fail("readout_eps must be positive");
  if (!(preprocess_p >= 1.0)) fail("preprocess_p must be at least 1");
  if (!(magnitude_scale >= 0.0)) fail("magnitude_scale must be non-negative");
}

int MnemosyneArchitecture::StateNumbersPerCoordinate() const {
  return heads * random_features * (value_dim + 1) + features.StateNumbersPerCoordinate();
}

}  // namespace mnemo

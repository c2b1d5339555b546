#include "core/mnemosyne/mnemosyne_params.h"

#include <cmath>

#include "core/math/random_stream.h"
#include "core/optim/meta_param_vector.h"

namespace mnemo {
namespace {

// Scale of the small random initial weights.
constexpr double kInitGain = 0.5;
// Weight of the gradient-carrying feature in embedding unit 0.
constexpr double kEmbedGain = 0.5;
// Weight of the current value in decoder unit 0 (the memories share the rest).
constexpr double kCurrentShare = 0.5;
// Weight of decoder unit 0 in the output a.
constexpr double kOutputGain = 2.0;

}  // namespace

MnemosyneParams::MnemosyneParams(const MnemosyneArchitecture& arch)
    : embed(arch.features.Count(), arch.embed_dim) {
  for (int h = 0; h < arch.heads; ++h) {
    key.push_back(Mat::Zero(arch.key_dim, arch.embed_dim));
    query.push_back(Mat::Zero(arch.key_dim, arch.embed_dim));
    value.push_back(Mat::Zero(arch.value_dim, arch.embed_dim));
  }
  int inputs = arch.DecoderInputs();
  for (int width : arch.decoder_widths) {
    decoder.emplace_back(inputs, width);
    inputs = width;
  }
  decoder.emplace_back(inputs, 2);
}

int MnemosyneParams::Count(const MnemosyneArchitecture& arch) {
  MnemosyneParams params(arch);
  return LayoutOfBlocks([&](auto& visitor) { VisitBlocks(params, visitor); }).Size();
}

void MnemosyneParams::InitSane(const MnemosyneArchitecture& arch, std::uint64_t seed) {
  Stream rng(seed, /*iteration=*/0x3e3a);
  const int d = arch.embed_dim;
  embed.InitRandom(rng, kInitGain);
  embed.weight.row(0).setZero();
  embed.weight(0, arch.features.GradientColumn()) = kEmbedGain;
  for (int h = 0; h < arch.heads; ++h) {
    key[h] = RandomWeights(arch.key_dim, d, kInitGain, rng);
    query[h] = RandomWeights(arch.key_dim, d, kInitGain, rng);
    value[h] = RandomWeights(arch.value_dim, d, kInitGain, rng);
    value[h].row(0).setZero();
    value[h](0, 0) = 1.0;
  }
  for (std::size_t l = 0; l + 1 < decoder.size(); ++l) {
    decoder[l].InitRandom(rng, kInitGain);
    decoder[l].weight.row(0).setZero();
  }
  if (decoder.size() > 1) {
    // Hidden unit 0 of the first layer mixes e_0 with each head's o_0 ...
    DenseLayer& first = decoder.front();
    first.weight(0, 0) = kCurrentShare;
    for (int h = 0; h < arch.heads; ++h) {
      first.weight(0, d + h * arch.value_dim) = (1.0 - kCurrentShare) / arch.heads;
    }
    // ... and later hidden layers pass unit 0 on.
    for (std::size_t l = 1; l + 1 < decoder.size(); ++l) {
      decoder[l].weight(0, 0) = 1.0;
    }
  }
  DenseLayer& last = decoder.back();
  last.weight.setZero();
  last.bias.setZero();
  if (decoder.size() > 1) {
    last.weight(0, 0) = kOutputGain;
  } else {
    // No hidden layer: a reads e_0 and the memories directly.
    last.weight(0, 0) = kOutputGain * kCurrentShare;
    for (int h = 0; h < arch.heads; ++h) {
      last.weight(0, d + h * arch.value_dim) = kOutputGain * (1.0 - kCurrentShare) / arch.heads;
    }
  }
}

}  // namespace mnemo

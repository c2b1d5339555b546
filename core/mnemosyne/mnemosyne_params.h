// The learnable numbers of Mnemosyne (its meta-parameters): the embedding,
// each head's key, query and value maps, and the decoder. Everything else
// (random-feature directions, discounts, sizes) is fixed architecture.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/mnemosyne/architecture.h"
#include "core/optim/dense_layer.h"

namespace mnemo {

// Lists each attention head's key, query and value maps ("head<h>.key", ...)
// to a meta-parameter visitor (see core/optim/meta_param_vector.h).
template <typename Matrices, typename Visitor>
void VisitAttentionHeads(Matrices& key, Matrices& query, Matrices& value, Visitor& visit) {
  for (std::size_t h = 0; h < key.size(); ++h) {
    const std::string head = "head" + std::to_string(h);
    visit(head + ".key", key[h]);
    visit(head + ".query", query[h]);
    visit(head + ".value", value[h]);
  }
}

// Mnemosyne's network weights, in the order of the flat meta-parameter
// vector.
struct MnemosyneParams {
  DenseLayer embed;                 // e = tanh(W_e x + b_e)
  std::vector<Mat> key;             // per head: d_k x d
  std::vector<Mat> query;           // per head: d_k x d
  std::vector<Mat> value;           // per head: d_v x d
  std::vector<DenseLayer> decoder;  // tanh hidden layers, then linear -> (a, b)

  // Zero weights shaped for `arch`.
  explicit MnemosyneParams(const MnemosyneArchitecture& arch);

  // The initialisation under which an untrained Mnemosyne takes small, stable
  // steps along the gradient: embedding unit 0 is tanh(0.5 r) of the
  // gradient-carrying feature r; every head's value unit 0 copies it (so each
  // memory reads out a discounted average of recent normalized gradients, a
  // momentum); decoder unit 0 mixes the current and remembered values; a
  // reads unit 0 alone and b is zero, so the step is scale * a, with a about
  // r for small r and |a| < 2. All other weights are small random numbers
  // drawn from `seed`; they shape the attention but not the step.
  void InitSane(const MnemosyneArchitecture& arch, std::uint64_t seed);

  // Number of meta-parameters of `arch`.
  static int Count(const MnemosyneArchitecture& arch);

  // Lists every block, in the flat vector's order, to a meta-parameter
  // visitor (see core/optim/meta_param_vector.h).
  template <typename Self, typename Visitor>
  static void VisitBlocks(Self& self, Visitor& visit) {
    DenseLayer::VisitBlocks(self.embed, "embed", visit);
    VisitAttentionHeads(self.key, self.query, self.value, visit);
    for (std::size_t l = 0; l < self.decoder.size(); ++l) {
      DenseLayer::VisitBlocks(self.decoder[l], "decoder" + std::to_string(l), visit);
    }
  }
};

}  // namespace mnemo

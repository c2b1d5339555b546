// The fixed choices of a Mnemosyne network: sizes, heads, discounts, random
// features, decoder widths and feature set. They are what its weights file
// records, and what a config may set.
#pragma once

#include <string>
#include <vector>

#include "core/io/config_node.h"
#include "core/mnemosyne/features.h"
#include "core/mnemosyne/random_features.h"
#include "core/optim/gradient_preprocessing.h"
#include "core/optim/learned_weights_file.h"

namespace mnemo {

// Architecture of the coordinate-wise Mnemosyne (docs/MNEMOSYNE.md). Config
// keys and weights-file entries carry the field names.
struct MnemosyneArchitecture {
  FeatureSet features;                          // input feature groups
  int embed_dim = 16;                           // d
  int heads = 2;                                // H
  int random_features = 16;                     // m (even)
  int key_dim = 4;                              // d_k (queries too)
  int value_dim = 4;                            // d_v
  std::vector<double> discounts = {0.9, 0.99};  // gamma_h, one per head
  std::vector<int> decoder_widths = {16};       // hidden layers of the decoder
  double magnitude_scale = 1.0;                 // c in a * exp(c * b)
  RandomFeatureKind random_feature_kind = RandomFeatureKind::kOrthogonal;
  double rms_decay = 0.99;          // running RMS of the gradient
  double preprocess_p = kLogSignP;  // log-magnitude/sign constant
  double readout_eps = 1e-6;        // read-out denominator floor

  // The architecture a config section describes (defaults for missing keys;
  // without `discounts`, H discounts spread from 0.9 to 0.99). Errors point
  // at the offending key.
  static MnemosyneArchitecture FromConfig(const ConfigNode& config);
  // The architecture recorded in a weights file (`source` names it).
  static MnemosyneArchitecture FromRecord(const WeightsArchitecture& record,
                                          const std::string& source);
  // The entries a weights file records.
  WeightsArchitecture ToRecord() const;
  // Throws Error (prefixed by `source`) unless the sizes are consistent.
  void Validate(const std::string& source) const;

  // Width of the decoder's input: [e, o_1 .. o_H].
  int DecoderInputs() const { return embed_dim + heads * value_dim; }
  // Numbers of optimizer state per coordinate: H * m * (d_v + 1) memory
  // numbers plus the running mean square of the gradient.
  int StateNumbersPerCoordinate() const;
};

}  // namespace mnemo

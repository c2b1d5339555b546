// Mnemosyne's per-coordinate input features x_t:
//   log_sign  the gradient in Andrychowicz et al.'s log-magnitude/sign form (2)
//   rms       the gradient divided by its running RMS (1)
//   tensor    mean and RMS of the RMS-normalized gradients of the coordinate's
//             tensor: the spatial context (2)
//   time      a small embedding of the step t: tanh(t/10), tanh(t/100),
//             tanh(t/1000) (3)
//   momentum  running means of the gradient (decays 0.9 and 0.99, bias
//             corrected) divided by its running RMS: how consistent its
//             sign has been, i.e. how much of it is signal rather than
//             noise (2)
// Every feature stays finite, and all but log|g|/p stay bounded, for any
// finite gradient, zero and huge ones included.
#pragma once

#include <cstdint>
#include <string>

#include "core/io/binary_io.h"
#include "core/math/types.h"
#include "core/optim/coordinate_blocks.h"

namespace mnemo {

// Which feature groups are on (in the fixed column order above).
struct FeatureSet {
  bool log_sign = true;   // 2 columns
  bool rms = true;        // 1 column
  bool tensor = true;     // 2 columns
  bool time = true;       // 3 columns
  bool momentum = false;  // 2 columns

  // Parses a comma-separated list of group names
  // ("log_sign,rms,tensor,time,momentum");
  // an unknown or repeated name, or a set without log_sign and rms (nothing
  // that carries the gradient), is an Error.
  static FeatureSet Parse(const std::string& text);
  // The comma-separated list of the groups that are on.
  std::string ToString() const;
  // Number of feature columns.
  int Count() const;
  // The column that carries the gradient's direction: the RMS-normalized
  // gradient when on, else the sign column of log_sign.
  int GradientColumn() const;
  // Whether the running RMS of the gradient must be kept.
  bool NeedsRms() const { return rms || tensor || momentum; }
  // Numbers of feature state per coordinate (running mean square and means).
  int StateNumbersPerCoordinate() const { return (NeedsRms() ? 1 : 0) + (momentum ? 2 : 0); }
};

// Computes the feature rows of blocks of coordinates and keeps the state
// they need (a running mean square per coordinate, and two running means
// with the momentum group).
class CoordinateFeatures {
 public:
  // Features `set`, running mean square with `rms_decay`, preprocessing
  // constant `p`.
  CoordinateFeatures(const FeatureSet& set, double rms_decay, double p);

  // Forgets the state and sizes it for `size` coordinates.
  void Reset(int size);
  // First pass of step t (t >= 1) over one block: advances the running mean
  // square (and means) and writes the RMS-normalized gradients into
  // `normalized`. Returns the block's sum of normalized gradients and sum of
  // their squares.
  Eigen::Vector2d Normalize(const CoordinateBlock& block, const Vec& gradient, std::int64_t t,
                            Vec* normalized);
  // Second pass: the block's feature rows (n x Count()) given its tensor's
  // pooled mean and RMS of normalized gradients.
  void Assemble(const CoordinateBlock& block, const Vec& gradient, const Vec& normalized,
                double tensor_mean, double tensor_rms, std::int64_t t, Mat* x) const;

  const FeatureSet& Set() const { return set_; }
  // Writes the state (for exact resume).
  void Save(BinaryWriter& out) const;
  // Restores what Save wrote.
  void Load(BinaryReader& in);

 private:
  FeatureSet set_;
  double rms_decay_;
  double p_;
  Vec mean_square_;  // running mean of g^2 per coordinate
  Vec fast_mean_;    // running mean of g per coordinate (decay 0.9)
  Vec slow_mean_;    // running mean of g per coordinate (decay 0.99)
};

}  // namespace mnemo

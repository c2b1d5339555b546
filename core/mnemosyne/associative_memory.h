// The compact associative memory of one attention head: causal linear
// attention with exponential forgetting. Each slot (a parameter coordinate
// in the coordinate-wise Mnemosyne; a meta-token in a tensor-wise variant)
// holds
//   S <- gamma S + phi(k) v^T   (m x d_v),   z <- gamma z + phi(k)   (m),
// a fixed-size summary of its whole history, and reads out
//   o = S^T phi(q) / (z . phi(q) + eps),
// which is attention over all past values with weights
// gamma^(t-i) phi(q).phi(k_i), normalized. With positive features and
// eps > 0 the denominator never reaches zero.
#pragma once

#include "core/io/binary_io.h"
#include "core/math/types.h"

namespace mnemo {

// The memories of many slots, stored as structures of arrays: slot index
// fastest, so that one update over consecutive slots is a vector operation.
class AssociativeMemory {
 public:
  // No slots.
  AssociativeMemory() = default;
  // Empty memories of `slots` slots over `features` random features and
  // values of width `value_dim`, forgetting with `discount` in [0, 1].
  AssociativeMemory(int slots, int features, int value_dim, double discount);

  // Number of slots.
  int Slots() const { return static_cast<int>(z_.rows()); }
  // Number of random features m.
  int Features() const { return static_cast<int>(z_.cols()); }
  // Width of the values d_v.
  int ValueDim() const { return value_dim_; }
  // The discount gamma.
  double Discount() const { return discount_; }
  // Numbers of state per slot: m * (d_v + 1).
  int NumbersPerSlot() const { return Features() * (value_dim_ + 1); }

  // Forgets everything (all slots back to zero).
  void Clear();
  // Stores one key-value pair in each of the slots [first, first + n): row r
  // of `key_features` (n x m, the keys' phi) and of `values` (n x d_v) go to
  // slot first + r.
  void Write(int first, const Eigen::Ref<const Mat>& key_features,
             const Eigen::Ref<const Mat>& values);
  // Reads slots [first, first + n) with the queries' features (n x m) into
  // `out` (n x d_v); `eps` > 0 keeps the denominator away from zero.
  void Read(int first, const Eigen::Ref<const Mat>& query_features, double eps,
            Eigen::Ref<Mat> out) const;

  // The memory matrix S of one slot (m x d_v).
  Mat MatrixOf(int slot) const;
  // The normalizer z of one slot (m).
  Vec NormalizerOf(int slot) const;
  // The mean of S over slots [first, first + n) (m x d_v).
  Mat MeanMatrix(int first, int n) const;

  // Writes the memories (for exact resume).
  void Save(BinaryWriter& out) const;
  // Restores what Save wrote; a size mismatch is an Error.
  void Load(BinaryReader& in);

 private:
  int value_dim_ = 0;
  double discount_ = 0.0;
  Mat s_;  // slots x (d_v * m): column c*m + i holds S(i, c) of every slot
  Mat z_;  // slots x m
};

}  // namespace mnemo

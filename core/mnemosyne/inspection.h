// What Mnemosyne records for the viewer while inspection is on: for a few
// focus coordinates, each head's key features of the last K steps (a ring
// buffer) and the current query features, from which the attention weights
// of the current query over those keys follow. Nothing is recorded, and
// nothing is allocated per step, while inspection is off.
#pragma once

#include <vector>

#include "core/math/param_layout.h"
#include "core/math/types.h"
#include "core/mnemosyne/associative_memory.h"
#include "core/optim/coordinate_blocks.h"
#include "core/optim/updater.h"

namespace mnemo {

// Ring buffers of key features for the focus coordinates.
class MemoryInspector {
 public:
  // Keeps the last `history` keys of each of `heads` heads, with `features`
  // random features.
  MemoryInspector(int heads, int features, int history);

  // Chooses the focus coordinates (indices covered by `blocks`; others and
  // duplicates are dropped) and forgets what was recorded.
  void SetFocus(const std::vector<int>& coordinates, const std::vector<CoordinateBlock>& blocks);
  // Forgets what was recorded, keeping the focus.
  void Clear();
  const std::vector<int>& Focus() const { return focus_; }
  // How many keys are kept per coordinate and head.
  int History() const { return history_; }

  // Records head `head`'s key and query features for the focus coordinates
  // inside block `block` (rows of the block's matrices). Calls for
  // different blocks may run on different threads.
  void Record(int block, const CoordinateBlock& where, int head, const Mat& key_features,
              const Mat& query_features);
  // The attention weights of focus coordinate number `f`'s current query
  // over its recorded keys, oldest first:
  //   gamma^age phi(q).phi(k) / (z . phi(q) + eps),
  // the share of the read-out each of those past steps makes up.
  Vec AttentionWeights(int f, int head, const AssociativeMemory& memory, double eps) const;

 private:
  // The recorded keys and current query of one coordinate and head.
  struct Trace {
    Mat keys;        // history x m, a ring
    Vec query;       // m
    int next = 0;    // ring position of the next key
    int filled = 0;  // keys recorded, at most history
  };

  int heads_;
  int features_;
  int history_;
  std::vector<int> focus_;
  std::vector<int> focus_block_;  // block index of each focus coordinate
  std::vector<Trace> traces_;     // focus-major, head-minor
};

// Appends, for every focus coordinate of `inspector` and every head h, the
// panels "head<h>.S[<coordinate>]" (the memory's matrix for it) and
// "head<h>.attention[<coordinate>]" (AttentionWeights with `eps`).
void AppendFocusPanels(const ParamLayout& layout, const MemoryInspector& inspector,
                       const std::vector<AssociativeMemory>& memories, double eps,
                       UpdaterView* view);

}  // namespace mnemo

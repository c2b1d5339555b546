#include "core/mnemosyne/inspection.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/optim/learned_updater.h"

namespace mnemo {

MemoryInspector::MemoryInspector(int heads, int features, int history)
    : heads_(heads), features_(features), history_(history) {}

void MemoryInspector::SetFocus(const std::vector<int>& coordinates,
                               const std::vector<CoordinateBlock>& blocks) {
  focus_.clear();
  focus_block_.clear();
  for (int j : coordinates) {
    if (std::find(focus_.begin(), focus_.end(), j) != focus_.end()) continue;
    for (std::size_t b = 0; b < blocks.size(); ++b) {
      if (j >= blocks[b].first && j < blocks[b].first + blocks[b].count) {
        focus_.push_back(j);
        focus_block_.push_back(static_cast<int>(b));
        break;
      }
    }
  }
  traces_.assign(focus_.size() * heads_, Trace{});
  Clear();
}

void MemoryInspector::Clear() {
  for (Trace& trace : traces_) {
    trace.keys = Mat::Zero(history_, features_);
    trace.query = Vec::Zero(features_);
    trace.next = 0;
    trace.filled = 0;
  }
}

void MemoryInspector::Record(int block, const CoordinateBlock& where, int head,
                             const Mat& key_features, const Mat& query_features) {
  for (std::size_t f = 0; f < focus_.size(); ++f) {
    if (focus_block_[f] != block) continue;
    const int row = focus_[f] - where.first;
    Trace& trace = traces_[f * heads_ + head];
    trace.keys.row(trace.next) = key_features.row(row);
    trace.query = query_features.row(row).transpose();
    trace.next = (trace.next + 1) % history_;
    trace.filled = std::min(trace.filled + 1, history_);
  }
}

Vec MemoryInspector::AttentionWeights(int f, int head, const AssociativeMemory& memory,
                                      double eps) const {
  const Trace& trace = traces_[f * heads_ + head];
  const double denominator = memory.NormalizerOf(focus_[f]).dot(trace.query) + eps;
  Vec weights(trace.filled);
  for (int i = 0; i < trace.filled; ++i) {
    // Oldest first: age filled-1 down to 0.
    const int age = trace.filled - 1 - i;
    const int row = ((trace.next - 1 - age) % history_ + history_) % history_;
    weights[i] =
        std::pow(memory.Discount(), age) * trace.keys.row(row).dot(trace.query) / denominator;
  }
  return weights;
}

void AppendFocusPanels(const ParamLayout& layout, const MemoryInspector& inspector,
                       const std::vector<AssociativeMemory>& memories, double eps,
                       UpdaterView* view) {
  const auto& focus = inspector.Focus();
  for (std::size_t f = 0; f < focus.size(); ++f) {
    const std::string label = CoordinateLabel(layout, focus[f]);
    for (std::size_t h = 0; h < memories.size(); ++h) {
      const std::string head = "head" + std::to_string(h);
      view->panels.push_back({head + ".S[" + label + "]", memories[h].MatrixOf(focus[f])});
      view->panels.push_back(
          {head + ".attention[" + label + "]",
           inspector.AttentionWeights(static_cast<int>(f), static_cast<int>(h), memories[h], eps)});
    }
  }
}

}  // namespace mnemo

#include "core/optim/coordinate_blocks.h"

#include <algorithm>

namespace mnemo {

std::vector<CoordinateBlock> CutIntoBlocks(const ParamLayout& layout, int max_block) {
  std::vector<CoordinateBlock> blocks;
  const auto& tensors = layout.Tensors();
  for (int t = 0; t < static_cast<int>(tensors.size()); ++t) {
    const int end = tensors[t].offset + tensors[t].Size();
    for (int first = tensors[t].offset; first < end; first += max_block) {
      blocks.push_back({t, first, std::min(max_block, end - first)});
    }
  }
  return blocks;
}

std::vector<double> SumByTensor(const std::vector<CoordinateBlock>& blocks,
                                const std::vector<double>& per_block, int tensors) {
  std::vector<double> totals(tensors, 0.0);
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    totals[blocks[b].tensor] += per_block[b];
  }
  return totals;
}

BlockRunner::BlockRunner(int threads, int min_parallel_size)
    : threads_(threads <= 0 ? DefaultThreadCount() : threads),
      min_parallel_size_(min_parallel_size) {}

void BlockRunner::Run(int blocks, int size, const std::function<void(int, int)>& job) {
  if (threads_ == 1 || size < min_parallel_size_ || blocks < 2) {
    for (int b = 0; b < blocks; ++b) job(0, b);
    return;
  }
  if (!pool_) pool_ = std::make_unique<ThreadPool>(threads_);
  pool_->ParallelFor(blocks, job);
}

}  // namespace mnemo

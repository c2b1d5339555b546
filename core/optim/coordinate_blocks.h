// Coordinate-wise updaters work on blocks of consecutive coordinates (a block
// never straddles two tensors) and spread the blocks over threads when the
// vector is large. The cut depends only on the layout, so results never
// depend on the number of threads.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "core/math/param_layout.h"
#include "core/parallel/thread_pool.h"

namespace mnemo {

// Coordinates per block: large enough for Eigen to vectorise, small enough
// for a block's workspace to stay in cache.
constexpr int kCoordinateBlockSize = 256;
// Vectors shorter than this are updated on the calling thread.
constexpr int kParallelMinSize = 16384;

// Consecutive coordinates of one tensor.
struct CoordinateBlock {
  int tensor = 0;  // index into the layout's tensors
  int first = 0;   // first coordinate (index into theta)
  int count = 0;   // number of coordinates
};

// Cuts every tensor of `layout` into blocks of at most `max_block`
// coordinates, in order.
std::vector<CoordinateBlock> CutIntoBlocks(const ParamLayout& layout, int max_block);

// Adds per-block values into per-tensor totals, in block order (so the
// result is the same whatever thread computed each block).
std::vector<double> SumByTensor(const std::vector<CoordinateBlock>& blocks,
                                const std::vector<double>& per_block, int tensors);

// Runs a job over blocks: inline for small vectors, on its own thread pool
// (made on first need) for large ones.
class BlockRunner {
 public:
  // Uses `threads` workers (0: all cores) once a vector has at least
  // `min_parallel_size` coordinates.
  BlockRunner(int threads, int min_parallel_size);

  // The most workers a job can see (ids 0 .. Workers()-1).
  int Workers() const { return threads_; }
  // Calls job(worker, b) for b in [0, blocks); `size` is the number of
  // coordinates the blocks cover.
  void Run(int blocks, int size, const std::function<void(int, int)>& job);

 private:
  int threads_;
  int min_parallel_size_;
  std::unique_ptr<ThreadPool> pool_;
};

}  // namespace mnemo

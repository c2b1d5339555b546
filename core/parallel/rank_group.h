// The processes that run one job together (the ranks of an MPI job, or this
// process alone), as the rest of the project sees them: who this process
// is, one collective operation, and what the collectives cost.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/util/error.h"

namespace mnemo {

// What this rank's collectives have cost so far.
struct RankTraffic {
  std::int64_t collectives = 0;  // AllGather and ShareWork calls
  std::int64_t bytes_sent = 0;   // payload bytes this rank sent (requests for work included)
  double wait_seconds = 0;       // time spent waiting in them (for data or for work)
};

// The ranks of a job. Every rank runs the same program on the same inputs
// and calls the collectives in the same order; results cross ranks only
// through AllGather, so every rank holds the same numbers afterwards.
class RankGroup {
 public:
  virtual ~RankGroup() = default;
  // This process's rank, 0 .. Size()-1.
  virtual int Rank() const = 0;
  // Number of ranks.
  virtual int Size() const = 0;
  // Collective: every rank's `bytes`, indexed by rank.
  virtual std::vector<std::string> AllGather(const std::string& bytes) = 0;
  // Where this rank runs (host name; "local" for one process alone).
  virtual std::string Host() const = 0;
  // Collective: runs each of the items [0, count) exactly once somewhere in
  // the job, `chunk` items at a time: run(begin, end) on whichever rank asks
  // for work next, so that a rank whose items end early takes more (dynamic
  // balance; which rank ran what varies, so results must not depend on it).
  // On the leader `run` is called from a helper thread (never two at once).
  virtual void ShareWork(int count, int chunk, const std::function<void(int, int)>& run) = 0;

  // Whether this rank writes the run folder and prints progress (rank 0).
  bool IsLeader() const { return Rank() == 0; }
  // The cost of this rank's collectives so far.
  const RankTraffic& Traffic() const { return traffic_; }

 protected:
  RankTraffic traffic_;  // updated by AllGather
};

// This process alone: rank 0 of 1; AllGather returns its own bytes.
class SingleProcess final : public RankGroup {
 public:
  int Rank() const override { return 0; }
  int Size() const override { return 1; }
  std::vector<std::string> AllGather(const std::string& bytes) override;
  std::string Host() const override { return "local"; }
  // Runs every item here: run(0, count).
  void ShareWork(int count, int chunk, const std::function<void(int, int)>& run) override;
};

// A new SingleProcess group.
std::shared_ptr<RankGroup> SingleProcessGroup();

// The items [begin, end) of `count` that `rank` of `size` owns: contiguous
// slices in rank order whose lengths differ by at most one.
std::pair<int, int> RankSlice(int count, int rank, int size);

// An Error that every rank of a job threw alike (see AgreeOnSetup), so that
// each rank may end without waiting for the others, and only the leader
// needs to print it.
class SharedError : public Error {
 public:
  using Error::Error;
};

// A named value that every rank of a job must hold alike: a key of the
// resolved config and its value ("train.seed", "7"), or a file the config
// names and its digest.
using RankFact = std::pair<std::string, std::string>;

// Collective: checks that every rank holds the leader's `facts` (in any
// order), before anything is written. When a rank differs, every rank
// throws the same SharedError naming the first such rank and the first key
// (in key order) on which it differs: "rank 1: its train.seed is 7, rank
// 0's is 1; every rank must run the same command on the same config and
// files".
void AgreeOnFacts(RankGroup& ranks, std::vector<RankFact> facts);

// Runs `setup` (reading configs, models, weights, taking locks: anything
// that may fail on one rank alone, and nothing that writes) on every rank,
// then agrees on its outcome. When it threw an Error, a file-system error
// or bad_alloc on any rank, every rank throws the same SharedError: the message of
// the lowest failing rank, prefixed with "rank R: " when there are several
// ranks. Other exceptions (bugs) propagate on their own rank only.
void AgreeOnSetup(RankGroup& ranks, const std::function<void()>& setup);

}  // namespace mnemo

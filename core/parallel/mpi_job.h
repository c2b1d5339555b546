// Joining an MPI job: a process started by a launcher (mpirun, srun)
// initialises MPI and becomes one rank of the job; a process started on its
// own never touches MPI and is a job of one.
#pragma once

#include <memory>

#include "core/parallel/rank_group.h"

namespace mnemo {

// The MPI session of a program, held by main() for the program's lifetime.
class MpiJob {
 public:
  // Initialises MPI when a launcher started this process (it sets
  // OMPI_COMM_WORLD_SIZE, PMIX_RANK or PMI_RANK); otherwise the job is this
  // process alone and MPI stays untouched. Never throws (see CheckUsable).
  MpiJob(int* argc, char*** argv);
  // Finalises MPI if it was initialised.
  ~MpiJob();
  MpiJob(const MpiJob&) = delete;
  MpiJob& operator=(const MpiJob&) = delete;

  // Throws an Error when this process was launched as one of several ranks
  // by a build without MPI (each would run the whole job on its own).
  void CheckUsable() const;
  // The job's ranks (a SingleProcess group when not launched).
  const std::shared_ptr<RankGroup>& World() const { return world_; }
  // Ends every rank of the job at once with exit code `code` (after an
  // error that only this rank saw, so that no rank waits forever for it).
  // Returns only when the job is this process alone.
  void Abort(int code) const;
  // Whether this build can join MPI jobs.
  static bool Built();

 private:
  bool initialized_ = false;          // MPI_Init was called
  bool unusable_ = false;             // launched as several ranks without MPI
  std::shared_ptr<RankGroup> world_;  // the job's ranks
};

}  // namespace mnemo

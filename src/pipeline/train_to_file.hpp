#pragma once
// Train an ensemble into an experiment file: what `rnnlab train` and the
// first step of `rnnlab run` (and Python's rnnlab.run) do.
//
// Several processes (MPI ranks, docs/cluster.md) may call this together, each
// training its share of the seeds with its own threads. All of them write
// checkpoints into OUT.h5.partial/ and refresh OUT.h5 from it as networks
// finish; at the end rank 0 writes the final file and removes the
// checkpoints. One process is rank 0 of 1.
#include <functional>
#include <memory>
#include <string>

#include "io/config.hpp"
#include "train/trainer.hpp"

namespace rnnlab {

struct TrainToFile {
  std::string path;     // the experiment file
  int threads = 0;      // 0: $SLURM_CPUS_PER_TASK, else the config's ensemble.threads, else one per core
  bool resume = false;  // continue from path + ".partial"
  bool force = false;   // overwrite an existing file
  bool quiet = false;   // no progress line and no notes
  // Notes before training (the estimated size of a large job, the threads
  // and where their number came from), one line each, on rank 0 only.
  std::function<void(const std::string&)> note;
  // From Python (python/bindings/bind_train.cpp): a progress sink instead of
  // the terminal line; the task of each network when it is not the config's
  // registry task (EnsembleOptions::task: a task written in Python, user
  // data); and a stop request (Ctrl-C, an exception in the task's code),
  // after which the file is not assembled and the checkpoints stay for a resume.
  ProgressSink* progress = nullptr;
  std::function<std::shared_ptr<const Task>(const ExperimentConfig& point, std::uint64_t seed)> task;
  std::function<bool()> stopped;
};

struct TrainedFile {
  int trained = 0;  // networks trained (collapsed ones included: their best weights are kept), on every rank
  // Rank 0: a line per network (status, iterations, validation of the stored
  // weights) and the "wrote FILE (...)" line; or, for --resume of a job already
  // complete, the line saying so. What `rnnlab train` prints on stdout.
  std::string text;
  bool stopped = false;  // the stop request came: nothing assembled, checkpoints kept
};

// Trains the ensemble of `config` and writes the experiment file (checkpoints
// beside it while training). Refuses (InputError) before writing anything: an
// existing file without force or resume, a resume without checkpoints, a bad
// train.init_from, a job larger than the memory (io/resources.hpp), a file
// another process writes.
TrainedFile train_to_file(const ExperimentConfig& config, const TrainToFile& out);

}  // namespace rnnlab

#pragma once
// What training records of a network at each validation: the experiment
// file's train/ group (docs/file-format.md). Shared by the trainer, which
// fills it, and the file (io/experiment_file.hpp), which stores it.
#include <vector>

namespace rnnlab {

struct TrainingCurves {
  std::vector<double> iteration, loss, val_loss, val_accuracy, wall_time;
  // With a [[curriculum]]: the iteration at which each stage began, one entry
  // per stage begun so far (stage_start[0] = 0), so the stage in force is the
  // last one. Empty without a curriculum.
  std::vector<double> stage_start;
};

}  // namespace rnnlab

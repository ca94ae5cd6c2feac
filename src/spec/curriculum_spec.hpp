#pragma once
// A curriculum: the [[curriculum]] stages of a config (docs/config.md
// "[[curriculum]]"), run in order on the same weights. Parsed by
// io/config.hpp, run by the trainer (train/trainer.hpp).
#include <vector>

#include "tasks/task.hpp"

namespace rnnlab {

struct CurriculumStage {
  // The task parameters this stage changes; the others are [task]'s. Complete
  // (merged with [task], defaults filled in) once parsed.
  ParamValues task;
  // The most iterations the stage runs (train.iterations when not given).
  int iterations = 0;
  // > 0: the stage also ends at the first validation whose accuracy on the
  // stage's own validation trials is >= this. 0: off.
  double until_accuracy = 0.0;
};

using Curriculum = std::vector<CurriculumStage>;

}  // namespace rnnlab

#pragma once
// Memory beyond the trained duration (docs/dynamics.md "Memory beyond the
// trained duration"): the network's accuracy on trials whose memory period is
// 2x and 5x as long as in training. A memory held by an attractor (a stable
// point per answer) keeps its accuracy; a transient one (a slow decay that
// happened to last the trained delay) loses it.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "model/network.hpp"
#include "tasks/task.hpp"

namespace rnnlab {

struct HeldMemory {
  double factor = 1.0;      // how many times longer than trained
  std::string parameter;    // the task parameter stretched ("" when the task has no memory period)
  double accuracy = std::numeric_limits<double>::quiet_NaN();  // on fresh trials, noise off; NaN: not testable
};

// The memory period of a task, stretched by `factor` (params: the task's
// parameters, missing ones at their defaults): "delay" where the task has a
// non-zero one (the gap between what is remembered and its report), else
// "duration" (the trial: every hold and the report at its end), with
// "pulse_rate" divided by `factor` where there is one (flip-flops: the holds
// between pulses grow by the same factor). `parameter` says which; empty (and
// params unchanged) for a task with neither.
ParamValues stretch_memory_period(const std::string& task, ParamValues params, double factor, std::string& parameter);

// Accuracy (the task's own rule, evaluate() on `trials` trials of
// Rng::stream(seed, Purpose::eval)) at each factor. A stretched task the
// task's own checks refuse, or a task with no memory period, gives NaN.
std::vector<HeldMemory> held_memory(const Network& net, const std::string& task, const ParamValues& params,
                                    const std::vector<double>& factors, int trials, std::uint64_t seed);

}  // namespace rnnlab

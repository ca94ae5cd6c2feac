#pragma once
// A cognitive task: it makes batches of trials (inputs, targets, a loss mask,
// condition labels) and says how to score a network's outputs on them.
//
// Layout of every batch array: one column per (time step, trial), time-major,
// column index t * trials + b. So the block of step t is contiguous
// (middleCols(t * trials, trials)), and the same memory read by NumPy as
// (steps, trials, features) in C order is the natural notebook layout.
#include <Eigen/Dense>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "util/rng.hpp"

namespace rnnlab {

struct TrialBatch {
  int steps = 0;
  int trials = 0;
  Eigen::MatrixXf inputs;      // I x (steps * trials)
  Eigen::MatrixXf targets;     // O x (steps * trials)
  Eigen::RowVectorXf mask;     // steps * trials; 1 where the loss counts, 0 elsewhere
  // Optional per-output mask, O x (steps * trials), for outputs scored at
  // different steps: when not empty, output o at column c is weighted by
  // mask(c) * output_mask(o, c). Empty means every output takes mask(c).
  Eigen::MatrixXf output_mask;
  Eigen::MatrixXd conditions;  // trials x C: per-trial labels (pulse sign, coherence, ...)
  std::vector<std::string> condition_names;  // C names

  Eigen::Index col(int t, int b) const { return static_cast<Eigen::Index>(t) * trials + b; }
};

// A task parameter as declared by the task (for `rnnlab tasks` and validation).
using ParamValue = std::variant<double, bool, std::string>;
struct ParamSpec {
  std::string name;
  ParamValue default_value;
  std::string description;                 // one line, with the unit (ms, ...)
  double min = -1e300, max = 1e300;        // numbers: allowed closed range
  bool integer = false;                    // numbers: must be whole
  std::vector<std::string> choices;        // strings: allowed values (empty = any)
};
using ParamValues = std::map<std::string, ParamValue>;

class Task {
 public:
  virtual ~Task() = default;
  virtual std::string name() const = 0;
  virtual int n_inputs() const = 0;
  virtual int n_outputs() const = 0;
  // Number of time steps of a trial (durations in ms divided by dt).
  virtual int steps() const = 0;
  // A batch of `trials` trials; every random draw comes from `rng`.
  virtual TrialBatch batch(int trials, Rng& rng) const = 0;
  // Fraction of trials in `batch` that `outputs` (O x steps*trials) get right,
  // by the task's own rule (documented in the task's description).
  virtual double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const = 0;
  // The constant inputs the network works under besides zero (a context cue
  // on for the whole trial, a non-zero delay-period input), each named as a
  // condition ("context=0") with one number per input. The dynamics analysis
  // finds the attractors and fixed points at zero input and at each of these
  // (docs/dynamics.md "Input conditions"). Default: none (every input is a
  // brief pulse or noise; the network's memories live at zero input).
  struct OperatingInput {
    std::string name;
    Eigen::VectorXd u;
  };
  virtual std::vector<OperatingInput> operating_inputs() const { return {}; }
};

struct TaskInfo {
  std::string name;
  std::string description;        // one line
  std::vector<ParamSpec> params;  // with defaults
  // Makes the task from complete, validated parameters (every spec'd name present).
  std::unique_ptr<Task> (*make)(const ParamValues& params, double dt);
};

// Every task rnnlab knows, in the order `rnnlab tasks` lists them.
const std::vector<TaskInfo>& task_registry();
const TaskInfo* find_task(const std::string& name);

// Validates `given` against the task's specs (unknown names, types, ranges,
// choices: InputError naming "task.<key>", the value and what is allowed),
// fills in defaults, and makes the task.
std::unique_ptr<Task> make_task(const std::string& name, const ParamValues& given, double dt);

}  // namespace rnnlab

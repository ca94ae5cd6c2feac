#pragma once
// The experiment config: a TOML file with sections [task], [model], [train],
// [ensemble], [output] and optionally [sweep] and [[curriculum]] (docs/config.md lists every key). Parsing validates
// everything before any work starts: an unknown key, a wrong type or a value
// out of range throws InputError naming the key, the value and what is
// allowed (and the nearest valid key for a misspelling).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/sweep.hpp"
#include "model/spec.hpp"
#include "spec/curriculum_spec.hpp"
#include "spec/train_spec.hpp"
#include "tasks/task.hpp"

namespace rnnlab {

struct TaskSpec {
  std::string name;
  ParamValues params;  // complete: defaults filled in, validated by the task registry
};

struct EnsembleSpec {
  int seeds = 1;    // networks per sweep point: seeds train.seed, train.seed + 1, ...
  int threads = 0;  // 0 = one per core
};

struct OutputSpec {
  std::string path;  // default output file when -o is not given (may be empty)
};

// One network of a job: a seed at a sweep point.
struct NetworkSlot {
  // Its name in the experiment file (/networks/<key>) and checkpoint folder:
  // the seed without a sweep; with one, the network's index in networks().
  std::uint64_t key = 0;
  std::uint64_t seed = 0;  // the seed it is trained from
  int point = -1;          // its sweep point; -1 without a sweep
};

struct ExperimentConfig {
  TaskSpec task;
  ModelSpec model;  // inputs/outputs filled in from the task
  TrainSpec train;
  Curriculum curriculum;  // [[curriculum]] stages, in order; empty: train on [task] for train.iterations
  EnsembleSpec ensemble;
  OutputSpec output;
  std::string toml_text;  // the config as run: the source with overrides applied
  // [sweep]; empty without one. The sections above then hold the values
  // shared by every point, and `points` each point's full config.
  Sweep sweep;
  std::vector<ExperimentConfig> points;  // per sweep point (their own sweep is empty)

  // The seeds trained at each sweep point (at the one point without a sweep):
  // train.seed, train.seed + 1, ... The same seeds repeat at every point.
  std::vector<std::uint64_t> seeds() const;
  // Every network of the job, point by point, seeds in order within a point:
  // network i is seed seeds()[i % S] at point i / S (S = ensemble.seeds).
  std::vector<NetworkSlot> networks() const;
  // The most iterations a network trains: train.iterations, or with a
  // curriculum the sum of its stages' budgets.
  long iteration_budget() const;
  // The config a network at sweep point `point` trains with (*this for -1).
  const ExperimentConfig& at(int point) const;
};

// `overrides` are "section.key=value" strings (value in TOML syntax, bare
// strings allowed: model.activation=relu). `source` names the file in messages.
ExperimentConfig parse_config(std::string_view toml_text, std::string_view source,
                              const std::vector<std::string>& overrides = {});
ExperimentConfig load_config(const std::string& path, const std::vector<std::string>& overrides = {});

// The [task] table of an experiment file's config attribute as TOML text
// ("[task]\nname = ..."); empty when the config has none (e.g. an import
// without --task). `path` names the file in the error for invalid TOML.
std::string task_table_text(const std::string& config_text, const std::string& path);

// The loss the networks of an experiment file were trained with: train.loss of
// its config attribute; mse when it records none (an import). `path` as above.
LossKind trained_loss(const std::string& config_text, const std::string& path);

}  // namespace rnnlab

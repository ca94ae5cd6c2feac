#pragma once
// Each subcommand of `rnnlab` registers its options on the app and returns the
// function to run when it is chosen. One file per subcommand.
#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "tasks/task.hpp"

namespace rnnlab::cli {

using Command = std::function<int()>;

struct Subcommand {
  CLI::App* app;  // the parsed subcommand
  Command run;
};

Subcommand add_tasks(CLI::App& app);
Subcommand add_train(CLI::App& app);
Subcommand add_info(CLI::App& app);
Subcommand add_analyze(CLI::App& app);
Subcommand add_import(CLI::App& app);
Subcommand add_eval(CLI::App& app);
Subcommand add_run(CLI::App& app);
Subcommand add_report(CLI::App& app);
Subcommand add_perturb(CLI::App& app);
Subcommand add_behaviour(CLI::App& app);

// ---- shared by `train` and `run` (defined in cmd_train.cpp) ----

struct TrainOutput {
  std::string path;     // the experiment file
  int threads = 0;      // 0: the config's, else one per core
  bool resume = false;  // continue from path + ".partial"
  bool force = false;   // overwrite an existing file
  bool quiet = false;   // no progress line
  bool list_networks = true;  // a line per network and "wrote ..." (run prints its own summary instead)
};
// Trains the ensemble of `config` and writes the experiment file (checkpoints
// beside it while training). Prints a line per network; returns how many trained.
int train_to_file(const ExperimentConfig& config, const TrainOutput& out);

// ---- shared by `import` and `eval` (defined in cmd_eval.cpp) ----

// The task of `task_toml` (a TOML text with a [task] table: name and
// parameters, as a config has it) with the "task.key=value" overrides `sets`,
// validated exactly as a training config's [task] is, for a network stepping
// dt ms (task durations in ms become steps of dt). `source` names where the
// text came from in messages. Only task.* keys may be set: the network itself
// fixes dt, tau and the rest. Throws InputError naming the key.
TaskSpec resolve_task(const std::string& task_toml, const std::string& source, const std::vector<std::string>& sets,
                      double dt);
// "[task]\nname = ..." for --task NAME.
std::string task_toml_for_name(const std::string& name);
// A [task] table with every parameter of `spec` (defaults included) as TOML text.
std::string task_toml(const TaskSpec& spec);
// Values as TOML text: the shortest text that reads back as the same double
// (always a float: 3 -> 3.0), and a quoted string.
std::string toml_real(double value);
std::string toml_quoted(const std::string& value);
// The task of every network of the experiment file `path`, one per dt (tasks
// durations are in ms, so a task is made per step size): `task_name` if given
// (with `sets`), else the task the file records (InputError if it records
// none). Every network is checked to fit its task before any work (InputError
// naming the file and network); networks whose `skip` entry is not empty are
// left out. Shared by eval and perturb.
struct NetworkTasks {
  std::map<double, std::unique_ptr<Task>> by_dt;  // the task made for each network's dt
  std::string name;                               // the task's name
  std::string source;                             // where it came from ("--task NAME", "FILE (config attribute)")
  const Task& of(const Network& net) const { return *by_dt.at(net.dt); }
};
NetworkTasks tasks_for_networks(const std::string& path, const Experiment& exp, const std::string& task_name,
                             const std::vector<std::string>& sets, const std::vector<std::string>& skip = {});
// The task itself, made from a resolved spec.
std::unique_ptr<Task> make_task_for(const TaskSpec& spec, double dt);

}  // namespace rnnlab::cli

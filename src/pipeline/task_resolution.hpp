#pragma once
// Which task a stored network runs on: the one resolver of `rnnlab eval`,
// `perturb`, `behaviour`, `import --task` and their Python twins.
//
// A task comes as TOML text holding a [task] table (name and parameters, as a
// config has it): the file's own (a trained file's config, or what `rnnlab
// import --task` recorded), or the one named by --task NAME at its defaults;
// "task.key=value" overrides change it. It is validated exactly as a training
// config's [task] is, at each network's dt (task durations are in ms, so a
// task is made per step size).
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "tasks/task.hpp"

namespace rnnlab {

// The task of `task_toml` with the overrides `sets`, for a network stepping dt
// ms. `source` names where the text came from in messages. Only task.* keys may
// be set: the network itself fixes dt, tau and the rest. Throws InputError naming the key.
TaskSpec resolve_task(const std::string& task_toml, const std::string& source, const std::vector<std::string>& sets,
                      double dt);
// "[task]\nname = ..." for --task NAME.
std::string task_toml_for_name(const std::string& name);
// The task itself, made from a resolved spec.
std::unique_ptr<Task> make_task_for(const TaskSpec& spec, double dt);

// The task of every network of the experiment file `path`, one per dt:
// `task_name` if given (with `sets`), else the task the file records
// (InputError if it records none). Every network is checked to fit its task
// before any work (InputError naming the file and network); networks whose
// `skip` entry is not empty are left out.
struct NetworkTasks {
  std::map<double, std::unique_ptr<Task>> by_dt;  // the task made for each network's dt
  std::string name;                               // the task's name
  std::string source;                             // where it came from ("--task NAME", "FILE (config attribute)")
  const Task& of(const Network& net) const { return *by_dt.at(net.dt); }
};
NetworkTasks tasks_for_networks(const std::string& path, const Experiment& exp, const std::string& task_name,
                                const std::vector<std::string>& sets, const std::vector<std::string>& skip = {});

}  // namespace rnnlab

#include "network_task.hpp"

#include "io/config.hpp"
#include "python_tasks.hpp"
#include "task_params.hpp"
#include "util/error.hpp"

namespace rnnlab::py_bind {

std::unique_ptr<Task> task_for(const Network& net, const pybind11::object& task, const pybind11::dict& params,
                               const std::string& config, const std::string& what) {
  if (!pybind11::isinstance<pybind11::str>(task)) return std::make_unique<PythonTask>(task);
  const std::string task_name = task.cast<std::string>();
  if (!task_name.empty()) return make_task(task_name, params_from(params), net.dt);
  if (config.empty()) throw InputError(what + " needs a task: this network has no training config (pass task=)");
  const ExperimentConfig c = parse_config(config, "the network's config");
  return make_task(c.task.name, c.task.params, net.dt);
}

}  // namespace rnnlab::py_bind

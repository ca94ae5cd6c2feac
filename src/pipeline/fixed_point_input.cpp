#include "pipeline/fixed_point_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "util/error.hpp"
#include "util/suggest.hpp"

namespace rnnlab {

namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

Eigen::VectorXd constant_input(const InputChoice& choice, const Network& net, const TrialBatch* batch,
                               const std::string& what) {
  const int inputs = net.inputs();
  switch (choice.kind) {
    case InputChoice::Kind::zero:
      return Eigen::VectorXd::Zero(inputs);
    case InputChoice::Kind::vector: {
      if (static_cast<int>(choice.values.size()) != inputs)
        throw InputError(fmt::format("{} = {} has {} number(s) but the network has {} input(s)", what, choice.text(),
                                     choice.values.size(), inputs));
      return Eigen::Map<const Eigen::VectorXd>(choice.values.data(), inputs);
    }
    case InputChoice::Kind::mean:
    case InputChoice::Kind::condition:
      break;
  }
  if (!batch)
    throw InputError(fmt::format("{} = {} needs the network's task, and the file records none: pass --task NAME, "
                                 "or use zero or numbers v1,v2,...",
                                 what, choice.text()));
  const Eigen::MatrixXd inputs_d = batch->inputs.cast<double>();
  if (choice.kind == InputChoice::Kind::mean) return inputs_d.rowwise().mean();

  const auto& names = batch->condition_names;
  const auto it = std::find(names.begin(), names.end(), choice.name);
  if (it == names.end())
    throw InputError(fmt::format("{} = {}: the task has no condition '{}' (its conditions: {}){}", what,
                                 choice.text(), choice.name, joined(names), did_you_mean(choice.name, names)));
  const Eigen::Index c = it - names.begin();
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(inputs);
  long columns = 0;
  std::set<double> seen;
  for (int b = 0; b < batch->trials; ++b) {
    const double v = batch->conditions(b, c);
    seen.insert(v);
    if (std::abs(v - choice.value) > 1e-9 * std::max(1.0, std::abs(v))) continue;
    for (int t = 0; t < batch->steps; ++t) sum += inputs_d.col(batch->col(t, b));
    columns += batch->steps;
  }
  if (columns == 0) {
    std::string values;
    for (double v : seen) values += fmt::format("{}{}", values.empty() ? "" : ", ", v);
    throw InputError(fmt::format("{} = {}: no sampled trial has {} = {} (values seen: {})", what, choice.text(),
                                 choice.name, choice.value, values));
  }
  return sum / static_cast<double>(columns);
}

std::unique_ptr<Task> sweep_point_task(const ExperimentConfig& config, int sweep_point, double dt) {
  const TaskSpec& spec = config.at(sweep_point).task;
  return make_task(spec.name, spec.params, dt);
}

}  // namespace rnnlab

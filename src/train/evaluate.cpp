#include "train/evaluate.hpp"

#include <fmt/format.h>

#include "util/error.hpp"

namespace rnnlab {

Rollout<double> simulate(const Network& net, const TrialBatch& batch) {
  if (net.inputs() != batch.inputs.rows() || net.outputs() != batch.targets.rows())
    throw InputError(fmt::format("the network has {} inputs and {} outputs but the task has {} and {}", net.inputs(),
                                 net.outputs(), batch.inputs.rows(), batch.targets.rows()));
  Rollout<double> rollout;
  const Eigen::MatrixXd inputs = batch.inputs.cast<double>();
  forward<double>(net, net.alpha, net.activation, inputs, batch.steps, batch.trials, nullptr, rollout);
  return rollout;
}

Evaluation evaluate(const Network& net, const Task& task, int trials, std::uint64_t seed) {
  Rng rng = Rng::stream(seed, Purpose::eval);
  const TrialBatch batch = task.batch(trials, rng);
  const Rollout<double> rollout = simulate(net, batch);
  Evaluation e;
  e.trials = trials;
  e.loss = loss<double>(net, rollout, batch.targets.cast<double>(), batch.mask.cast<double>(), {}).output;
  e.accuracy = task.accuracy(batch, rollout.y.cast<float>());
  return e;
}

}  // namespace rnnlab

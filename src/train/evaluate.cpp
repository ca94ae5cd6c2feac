#include "train/evaluate.hpp"

#include <cmath>
#include <fmt/format.h>

#include "util/error.hpp"

namespace rnnlab {

namespace {

void check_fits(const Network& net, const TrialBatch& batch) {
  if (net.inputs() != batch.inputs.rows() || net.outputs() != batch.targets.rows())
    throw InputError(fmt::format("the network has {} inputs and {} outputs but the task has {} and {}", net.inputs(),
                                 net.outputs(), batch.inputs.rows(), batch.targets.rows()));
}

}  // namespace

Rollout<double> simulate(const Network& net, const TrialBatch& batch) {
  check_fits(net, batch);
  Rollout<double> rollout;
  const Eigen::MatrixXd inputs = batch.inputs.cast<double>();
  forward(net, inputs, batch.steps, batch.trials, nullptr, rollout);
  return rollout;
}

Evaluation evaluate(const Network& net, const Task& task, int trials, std::uint64_t seed, const EvalNoise& noise,
                    LossKind loss_kind) {
  Rng rng = Rng::stream(seed, Purpose::eval);
  const TrialBatch batch = task.batch(trials, rng);
  Rollout<double> rollout;
  if (noise.off()) {
    rollout = simulate(net, batch);
  } else {
    // The noise model of training (train/objective.cpp), in float64: input
    // noise first, then the recurrent noise, each N(0, 1) scaled.
    check_fits(net, batch);
    Rng noise_rng = Rng::stream(seed, Purpose::eval, 1);
    Eigen::MatrixXd inputs = batch.inputs.cast<double>();
    if (noise.sigma_in > 0)
      for (Eigen::Index i = 0; i < inputs.size(); ++i) inputs.data()[i] += noise.sigma_in * noise_rng.normal();
    Eigen::MatrixXd rec_noise;
    if (noise.sigma_rec > 0) {
      // sqrt(2 a_i) sigma_rec per unit (one a for every unit unless tau was learned).
      const Eigen::VectorXd sd = (2.0 * net.unit_alpha().array()).sqrt() * noise.sigma_rec;
      rec_noise.resize(net.units(), inputs.cols());
      for (Eigen::Index i = 0; i < rec_noise.size(); ++i)
        rec_noise.data()[i] = sd(i % net.units()) * noise_rng.normal();
    }
    forward(net, inputs, batch.steps, batch.trials, rec_noise.size() ? &rec_noise : nullptr, rollout);
  }
  return score_rollout(net, task, batch, rollout, loss_kind);
}

Evaluation score_rollout(const Network& net, const Task& task, const TrialBatch& batch, const Rollout<double>& rollout,
                         LossKind loss_kind) {
  Evaluation e;
  e.trials = batch.trials;
  e.loss_kind = loss_kind;
  const Eigen::MatrixXd output_mask = batch.output_mask.cast<double>();
  const OutputLoss<double> how{loss_kind, output_mask.size() > 0 ? &output_mask : nullptr};
  e.loss = loss<double>(net, rollout, batch.targets.cast<double>(), batch.mask.cast<double>(), {}, how).output;
  e.accuracy = task.accuracy(batch, rollout.y.cast<float>());
  return e;
}

}  // namespace rnnlab

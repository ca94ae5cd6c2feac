#include "train/trainer.hpp"

#include <chrono>
#include <cmath>
#include <fmt/format.h>

namespace rnnlab {

Network to_network(const ModelSpec& spec, const Constraints& constraints, const Weights<double>& theta) {
  Network net;
  static_cast<Weights<double>&>(net) = constraints.effective(theta);
  net.alpha = spec.alpha();
  net.dt = spec.dt;
  net.activation = spec.activation;
  net.sign = constraints.sign;
  return net;
}

NetworkTrainer::NetworkTrainer(const ExperimentConfig& config, std::uint64_t seed)
    : NetworkTrainer(config, seed, make_task(config.task.name, config.task.params, config.model.dt)) {}

NetworkTrainer::NetworkTrainer(const ExperimentConfig& config, std::uint64_t seed, std::shared_ptr<const Task> task)
    : config_(config),
      seed_(seed),
      task_(std::move(task)),
      init_(initialise(config.model, seed)),
      objective_(config.model, init_.constraints, Regularisation{config.train.l2_weights, config.train.l2_rates},
                 config.train.loss) {
  Rng rng = Rng::stream(seed, Purpose::validation);
  validation_ = task_->batch(config.train.validation_trials, rng);
  check_targets(config.train.loss, validation_, "task " + task_->name());
}

NetworkState NetworkTrainer::initial_state() const {
  NetworkState state;
  state.seed = seed_;
  state.theta = init_.theta.cast<float>();
  return state;
}

std::pair<double, double> NetworkTrainer::validate(const Weights<float>& theta) {
  // The same noise every time: validation curves then move only with the weights.
  Rng noise = Rng::stream(seed_, Purpose::validation, 1);
  const LossTerms<float> terms = objective_.evaluate(theta, validation_, &noise);
  return {terms.output, task_->accuracy(validation_, objective_.outputs())};
}

void NetworkTrainer::run(NetworkState& state, const std::function<void(const NetworkState&)>& checkpoint,
                         ProgressSink* progress) {
  const TrainSpec& t = config_.train;
  const AdamOptions adam{t.learning_rate, t.beta1, t.beta2, t.epsilon, t.clip};
  Weights<float> grad;
  const auto clock_start = std::chrono::steady_clock::now();
  const double wall_before = state.wall_time;
  auto elapsed = [&] {
    return wall_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  };
  auto stop = [&](const std::string& status, const std::string& reason) {
    state.status = status;
    state.reason = reason;
  };

  while (!state.finished()) {
    const long k = state.iteration;
    Rng rng = Rng::stream(seed_, Purpose::train, static_cast<std::uint64_t>(k));
    const TrialBatch batch = task_->batch(t.batch, rng);
    const LossTerms<float> terms = objective_.loss_and_gradient(state.theta, batch, rng, grad);
    const double loss = terms.total();
    if (!std::isfinite(loss)) {
      stop("diverged", fmt::format("training loss became {} at iteration {}", loss, k));
      break;
    }
    const double grad_norm = adam_step(adam, state.adam, state.theta, grad);
    if (!std::isfinite(grad_norm)) {
      stop("diverged", fmt::format("gradient norm became {} at iteration {}", grad_norm, k));
      break;
    }
    state.iteration = k + 1;

    const bool last = state.iteration >= t.iterations;
    if (state.iteration % t.validate_every == 0 || last) {
      const auto [val_loss, val_accuracy] = validate(state.theta);
      state.curves.iteration.push_back(static_cast<double>(state.iteration));
      state.curves.loss.push_back(loss);
      state.curves.val_loss.push_back(val_loss);
      state.curves.val_accuracy.push_back(val_accuracy);
      state.curves.wall_time.push_back(elapsed());
      if (progress) progress->update(seed_, state.iteration, loss, val_accuracy);
      if (!std::isfinite(val_loss))
        stop("diverged", fmt::format("validation loss became {} at iteration {}", val_loss, state.iteration));
      else if (t.target_loss > 0 && val_loss < t.target_loss)
        stop("trained", fmt::format("validation loss {:.3g} below target {:.3g} at iteration {}", val_loss,
                                    t.target_loss, state.iteration));
    }
    if (!state.finished() && last) stop("trained", fmt::format("reached {} iterations", t.iterations));
    state.wall_time = elapsed();
    if (!state.finished() && t.checkpoint_every > 0 && state.iteration % t.checkpoint_every == 0 && checkpoint)
      checkpoint(state);
  }
  state.wall_time = elapsed();
  if (progress) progress->finished(seed_, state.status, state.reason);
}

NetworkRecord NetworkTrainer::record(const NetworkState& state) const {
  NetworkRecord rec;
  rec.seed = seed_;
  rec.status = state.status;
  rec.status_reason = state.reason;
  rec.origin = "rnnlab";
  rec.iterations = state.iteration;
  rec.initial = to_network(config_.model, init_.constraints, init_.theta);
  rec.trained = to_network(config_.model, init_.constraints, state.theta.cast<double>());
  rec.mask_rec = init_.constraints.mask_rec;
  rec.curves = state.curves;
  return rec;
}

}  // namespace rnnlab

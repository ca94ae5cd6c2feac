#include "custom_training.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "train/adam.hpp"
#include "train/objective.hpp"

namespace rnnlab::py_bind {

namespace {

NetworkRecord train_one(const ExperimentConfig& config, const Task& task, std::uint64_t seed,
                        ProgressSink* progress) {
  const TrainSpec& t = config.train;
  const InitialModel init = initialise(config.model, seed);
  Objective objective(config.model, init.constraints, Regularisation{t.l2_weights, t.l2_rates});
  Rng validation_rng = Rng::stream(seed, Purpose::validation);
  const TrialBatch validation = task.batch(t.validation_trials, validation_rng);
  const AdamOptions adam{t.learning_rate, t.beta1, t.beta2, t.epsilon, t.clip};

  NetworkState state;
  state.seed = seed;
  state.theta = init.theta.cast<float>();
  Weights<float> grad;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  auto stop = [&](const std::string& status, const std::string& reason) {
    state.status = status;
    state.reason = reason;
  };
  while (!state.finished()) {
    const long k = state.iteration;
    Rng rng = Rng::stream(seed, Purpose::train, static_cast<std::uint64_t>(k));
    const TrialBatch batch = task.batch(t.batch, rng);
    const double loss = objective.loss_and_gradient(state.theta, batch, rng, grad).total();
    if (!std::isfinite(loss)) {
      stop("diverged", fmt::format("training loss became {} at iteration {}", loss, k));
      break;
    }
    const double norm = adam_step(adam, state.adam, state.theta, grad);
    if (!std::isfinite(norm)) {
      stop("diverged", fmt::format("gradient norm became {} at iteration {}", norm, k));
      break;
    }
    state.iteration = k + 1;
    const bool last = state.iteration >= t.iterations;
    if (state.iteration % t.validate_every == 0 || last) {
      Rng noise = Rng::stream(seed, Purpose::validation, 1);
      const double val_loss = objective.evaluate(state.theta, validation, &noise).mse;
      const double val_accuracy = task.accuracy(validation, objective.outputs());
      state.curves.iteration.push_back(static_cast<double>(state.iteration));
      state.curves.loss.push_back(loss);
      state.curves.val_loss.push_back(val_loss);
      state.curves.val_accuracy.push_back(val_accuracy);
      state.curves.wall_time.push_back(elapsed());
      if (progress) progress->update(seed, state.iteration, loss, val_accuracy);
      if (!std::isfinite(val_loss))
        stop("diverged", fmt::format("validation loss became {} at iteration {}", val_loss, state.iteration));
      else if (t.target_loss > 0 && val_loss < t.target_loss)
        stop("trained", fmt::format("validation loss {:.3g} below target {:.3g} at iteration {}", val_loss,
                                    t.target_loss, state.iteration));
    }
    if (!state.finished() && last) stop("trained", fmt::format("reached {} iterations", t.iterations));
  }
  state.wall_time = elapsed();
  if (progress) progress->finished(seed, state.status, state.reason);

  NetworkRecord rec;
  rec.seed = seed;
  rec.status = state.status;
  rec.status_reason = state.reason;
  rec.origin = "python:" + task.name();
  rec.iterations = state.iteration;
  rec.initial = to_network(config.model, init.constraints, init.theta);
  rec.trained = to_network(config.model, init.constraints, state.theta.cast<double>());
  rec.mask_rec = init.constraints.mask_rec;
  rec.curves = state.curves;
  return rec;
}

}  // namespace

std::vector<NetworkRecord> train_on_task(const ExperimentConfig& config, const Task& task, ProgressSink* progress) {
  std::vector<NetworkRecord> records;
  for (const auto seed : config.seeds()) records.push_back(train_one(config, task, seed, progress));
  return records;
}

}  // namespace rnnlab::py_bind

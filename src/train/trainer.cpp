#include "train/trainer.hpp"

#include <chrono>
#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <fmt/format.h>

#include "model/time_constants.hpp"


namespace rnnlab {

NetworkTrainer::NetworkTrainer(const ModelSpec& model, const TrainSpec& train, InitialModel init,
                               std::shared_ptr<const Task> task, std::uint64_t seed)
    : model_(model),
      train_(train),
      seed_(seed),
      task_(std::move(task)),
      init_(std::move(init)),
      objective_(model_, init_.constraints, Regularisation{train_.l2_weights, train_.l2_rates}, train_.loss) {
  Rng rng = Rng::stream(seed, Purpose::validation);
  validation_ = task_->batch(train_.validation_trials, rng);
  check_targets(train_.loss, validation_, "task " + task_->name());
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

namespace {

// The largest |entry| of the parameters; +inf when any entry is not finite.
double largest_entry(const Weights<float>& w) {
  double largest = 0.0;
  for (const Eigen::MatrixXf* a : {&w.w_in, &w.w_rec, &w.w_out}) {
    if (a->size() == 0) continue;
    if (!a->allFinite()) return std::numeric_limits<double>::infinity();
    largest = std::max(largest, static_cast<double>(a->cwiseAbs().maxCoeff()));
  }
  for (const Eigen::VectorXf* v : {&w.b, &w.b_out, &w.x0}) {
    if (v->size() == 0) continue;
    if (!v->allFinite()) return std::numeric_limits<double>::infinity();
    largest = std::max(largest, static_cast<double>(v->cwiseAbs().maxCoeff()));
  }
  return largest;
}

// Where the final stretch of validation losses above kCollapseFactor x best
// began (the iteration of its first validation); -1 when the last is not above.
long collapse_onset(const TrainingCurves& curves, double best_val_loss) {
  long onset = -1;
  for (std::size_t i = curves.val_loss.size(); i-- > 0;) {
    // NaN counts as above: a network whose validation turned NaN has lost it too.
    if (curves.val_loss[i] <= kCollapseFactor * best_val_loss) break;
    onset = static_cast<long>(curves.iteration[i]);
  }
  return onset;
}

}  // namespace

void NetworkTrainer::run(NetworkState& state, const std::function<void(const NetworkState&)>& checkpoint,
                         ProgressSink* progress) {
  const TrainSpec& t = train_;
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
  // A blow-up stops training. With validated parameters to fall back on the
  // network "collapsed" and keeps its best ones; without, it "diverged".
  auto blow_up = [&](const std::string& what) {
    if (state.best_iteration < 0)
      stop("diverged", what + "; no validated weights to fall back on, the last ones are stored");
    else
      stop("collapsed", fmt::format("{}; the best weights, from iteration {} (validation loss {:.3g}, accuracy "
                                    "{:.3f}), are kept",
                                    what, state.best_iteration, state.best_val_loss, state.best_val_accuracy));
  };

  while (!state.finished()) {
    const long k = state.iteration;
    Rng rng = Rng::stream(seed_, Purpose::train, static_cast<std::uint64_t>(k));
    const TrialBatch batch = task_->batch(t.batch, rng);
    const LossTerms<float> terms = objective_.loss_and_gradient(state.theta, batch, rng, grad);
    const double loss = terms.total();
    if (!std::isfinite(loss)) {
      blow_up(fmt::format("training loss became {} at iteration {}", loss, k));
      break;
    }
    const double grad_norm = adam_step(adam, state.adam, state.theta, grad);
    if (!std::isfinite(grad_norm)) {
      blow_up(fmt::format("gradient norm became {} at iteration {}", grad_norm, k));
      break;
    }
    if (state.theta.log_tau.size() > 0) clamp_log_tau(model_, state.theta.log_tau);  // tau_i >= tau_min
    state.iteration = k + 1;
    if (const double largest = largest_entry(state.theta); !(largest <= kExplodedWeight)) {
      blow_up(fmt::format("the weights exploded at iteration {} (largest |entry| {:.3g} > {:.0e}; learning_rate "
                          "{:g} is too large, see docs/training.md)",
                          state.iteration, largest, kExplodedWeight, t.learning_rate));
      break;
    }

    const bool last = state.iteration >= t.iterations;
    if (state.iteration % t.validate_every == 0 || last) {
      const auto [val_loss, val_accuracy] = validate(state.theta);
      state.curves.iteration.push_back(static_cast<double>(state.iteration));
      state.curves.loss.push_back(loss);
      state.curves.val_loss.push_back(val_loss);
      state.curves.val_accuracy.push_back(val_accuracy);
      state.curves.wall_time.push_back(elapsed());
      if (progress) progress->update(seed_, state.iteration, loss, val_accuracy);
      if (val_loss < state.best_val_loss) {  // false for NaN
        state.best_theta = state.theta;
        state.best_iteration = state.iteration;
        state.best_val_loss = val_loss;
        state.best_val_accuracy = val_accuracy;
      }
      if (!std::isfinite(val_loss))
        blow_up(fmt::format("validation loss became {} at iteration {}", val_loss, state.iteration));
      else if (t.target_loss > 0 && val_loss < t.target_loss)
        stop("trained", fmt::format("validation loss {:.3g} below target {:.3g} at iteration {}", val_loss,
                                    t.target_loss, state.iteration));
    }
    if (!state.finished() && last) {
      if (const long onset = collapse_onset(state.curves, state.best_val_loss); onset >= 0)
        stop("collapsed", fmt::format("validation loss rose from its best {:.3g} (iteration {}) to more than {:g} "
                                      "times that from iteration {} on ({:.3g} at the end, accuracy {:.3f}); the "
                                      "best weights are kept, the last ones are in final/",
                                      state.best_val_loss, state.best_iteration, kCollapseFactor, onset,
                                      state.curves.val_loss.back(), state.curves.val_accuracy.back()));
      else
        stop("trained", fmt::format("reached {} iterations", t.iterations));
    }
    state.wall_time = elapsed();
    if (!state.finished() && t.checkpoint_every > 0 && state.iteration % t.checkpoint_every == 0 && checkpoint)
      checkpoint(state);
  }
  // The last parameters' validation: the curve's last point when it is theirs.
  const bool validated = !state.curves.iteration.empty() &&
                         static_cast<long>(state.curves.iteration.back()) == state.iteration;
  if (validated) {
    state.final_val_loss = state.curves.val_loss.back();
    state.final_val_accuracy = state.curves.val_accuracy.back();
  } else {
    std::tie(state.final_val_loss, state.final_val_accuracy) = validate(state.theta);
  }
  state.wall_time = elapsed();
  if (progress) progress->finished(seed_, state.status, state.reason);
}

}  // namespace rnnlab

#include "train/trainer.hpp"

#include <chrono>
#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <fmt/format.h>

#include "model/time_constants.hpp"
#include "util/error.hpp"

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

void NetworkTrainer::set_curriculum(std::vector<TrainingStage> stages) {
  for (std::size_t i = 0; i < stages.size(); ++i)
    if (stages[i].task->n_inputs() != model_.inputs || stages[i].task->n_outputs() != model_.outputs)
      throw InputError(fmt::format("curriculum[{}]: its task has {} input(s) and {} output(s) but the network has {} "
                                   "and {}; a stage may change the task's timing and difficulty, not its channels",
                                   i, stages[i].task->n_inputs(), stages[i].task->n_outputs(), model_.inputs,
                                   model_.outputs));
  stages_ = std::move(stages);
  stage_validation_.assign(stages_.size(), TrialBatch{});
  if (!stages_.empty()) enter_stage(0);
}

void NetworkTrainer::enter_stage(std::size_t stage) {
  task_ = stages_.at(stage).task;
  TrialBatch& trials = stage_validation_[stage];
  if (trials.steps == 0) {
    // Stage 0 draws from the stream a run without curriculum uses; later
    // stages from their own (index 1 is the validation noise).
    Rng rng = Rng::stream(seed_, Purpose::validation, stage == 0 ? 0 : stage + 1);
    trials = task_->batch(train_.validation_trials, rng);
    check_targets(train_.loss, trials, fmt::format("task {} (curriculum[{}])", task_->name(), stage));
  }
  validation_ = trials;
}

NetworkState NetworkTrainer::initial_state() const {
  NetworkState state;
  state.seed = seed_;
  state.theta = init_.theta.cast<float>();
  if (!stages_.empty()) state.curves.stage_start = {0.0};
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
// Only validations after iteration `since` count (a curriculum's last stage:
// earlier stages were validated on other tasks).
long collapse_onset(const TrainingCurves& curves, double best_val_loss, double since) {
  long onset = -1;
  for (std::size_t i = curves.val_loss.size(); i-- > 0 && curves.iteration[i] > since;) {
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

  // With a curriculum the stage in force is the last one begun (a resumed
  // run picks it up from the checkpoint's curves); without, one stage runs
  // train.iterations on the task.
  const bool curriculum = !stages_.empty();
  if (curriculum && state.curves.stage_start.empty()) state.curves.stage_start = {0.0};
  auto stage = [&] { return curriculum ? state.curves.stage_start.size() - 1 : std::size_t{0}; };
  auto stage_start = [&] { return curriculum ? static_cast<long>(state.curves.stage_start.back()) : 0L; };
  if (curriculum) enter_stage(stage());
  // The next stage begins with the same weights and the same Adam state: the
  // moments carry over. A curriculum is one optimisation whose loss changes
  // step by step, and the moments are running averages that follow the new
  // gradients within about 1/(1 - beta1) = 10 (m) and 1/(1 - beta2) = 1000 (v)
  // iterations at the defaults. Resetting them would restart Adam's bias
  // correction, whose first updates move every entry by about learning_rate
  // in the sign of a one-batch gradient: a jolt to the weights the earlier
  // stage tuned.
  auto next_stage = [&] {
    state.curves.stage_start.push_back(static_cast<double>(state.iteration));
    // The best weights are judged on the task of the stage in force.
    state.best_val_loss = std::numeric_limits<double>::infinity();
    enter_stage(stage());
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

    const long stage_end = curriculum ? stage_start() + stages_[stage()].iterations : t.iterations;
    const bool final_stage = !curriculum || stage() + 1 == stages_.size();
    const bool stage_over = state.iteration >= stage_end;
    const bool last = final_stage && stage_over;
    bool advance = !final_stage && stage_over;
    if (state.iteration % t.validate_every == 0 || stage_over) {
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
      const double until = curriculum ? stages_[stage()].until_accuracy : 0.0;
      if (!std::isfinite(val_loss))
        blow_up(fmt::format("validation loss became {} at iteration {}", val_loss, state.iteration));
      else if (final_stage && t.target_loss > 0 && val_loss < t.target_loss)
        stop("trained", fmt::format("validation loss {:.3g} below target {:.3g} at iteration {}", val_loss,
                                    t.target_loss, state.iteration));
      else if (until > 0 && val_accuracy >= until && final_stage)
        stop("trained", fmt::format("validation accuracy {:.3f} reached curriculum[{}].until_accuracy = {:g} at "
                                    "iteration {}",
                                    val_accuracy, stage(), until, state.iteration));
      else if (until > 0 && val_accuracy >= until)
        advance = true;
    }
    if (!state.finished() && advance) next_stage();
    if (!state.finished() && last) {
      if (const long onset = collapse_onset(state.curves, state.best_val_loss, static_cast<double>(stage_start()));
          onset >= 0)
        stop("collapsed", fmt::format("validation loss rose from its best {:.3g} (iteration {}) to more than {:g} "
                                      "times that from iteration {} on ({:.3g} at the end, accuracy {:.3f}); the "
                                      "best weights are kept, the last ones are in final/",
                                      state.best_val_loss, state.best_iteration, kCollapseFactor, onset,
                                      state.curves.val_loss.back(), state.curves.val_accuracy.back()));
      else if (curriculum)
        stop("trained", fmt::format("ran the {} stages of the curriculum ({} iterations)", stages_.size(),
                                    state.iteration));
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

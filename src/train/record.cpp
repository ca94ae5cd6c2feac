#include "train/record.hpp"

namespace rnnlab {

NetworkRecord network_record(const ModelSpec& model, const InitialModel& init, const NetworkState& state) {
  NetworkRecord rec;
  rec.seed = state.seed;
  rec.status = state.status;
  rec.status_reason = state.reason;
  rec.origin = "rnnlab";
  rec.iterations = state.iteration;
  rec.initial = to_network(model, init.constraints, init.theta);
  // trained/ holds the best parameters; a network that never validated
  // (diverged at once) stores its last ones there.
  const bool has_best = state.best_iteration >= 0;
  rec.trained = to_network(model, init.constraints, (has_best ? state.best_theta : state.theta).cast<double>());
  rec.final_val_loss = state.final_val_loss;
  rec.final_val_accuracy = state.final_val_accuracy;
  if (has_best) {
    rec.best_iteration = state.best_iteration;
    rec.best_val_loss = state.best_val_loss;
    rec.best_val_accuracy = state.best_val_accuracy;
    if (state.best_iteration != state.iteration)
      rec.final_weights = to_network(model, init.constraints, state.theta.cast<double>());
  }
  rec.mask_rec = init.constraints.mask_rec;
  rec.curves = state.curves;
  return rec;
}

}  // namespace rnnlab

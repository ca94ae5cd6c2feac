#include "analysis/perturbation_schema.hpp"

namespace rnnlab {

using schema::Declaration;

const Declaration<StoredPerturbation>& perturbation_curve_schema() {
  static const Declaration<StoredPerturbation> d = [] {
    using P = StoredPerturbation;
    Declaration<P> d("PerturbationCurve",
                     "Accuracy (the task's rule) and loss (the training loss: masked MSE or cross-entropy) against the damage level, all levels on the "
                     "same fresh trials (`rnnlab eval --trials T --seed S`'s): level 0 is eval's accuracy. L levels.");
    d.field("levels", &P::levels, "L", "level_unit",
            "fractions (prune, ablate_units), sigmas (weight_noise) or kick norms (kick)");
    d.field("accuracy", &P::accuracy, "L", "", "the task's accuracy at each level");
    d.field("loss", &P::loss, "L", "", "the training loss (masked MSE, or cross-entropy for train.loss = \"cross_entropy\") at each level");
    d.field("removed", &P::removed, "L", "", "connections pruned / units ablated per level (0 for noise)");
    d.optional_field("spectral_radius_w_rec", &P::spectral_radius_w_rec, "L", "",
                     "spectral radius of the damaged W_rec (with the spectrum)");
    d.optional_field("spectral_radius_step_map", &P::spectral_radius_step_map, "L", "per step",
                     "of its step map at the origin, (1-a) I + a W_rec diag(phi'(0))");
    d.field("perturbation", &P::perturbation, "", "", "prune, ablate_units, weight_noise or kick")
        .alias("kind");
    d.field("method", &P::method, "", "",
            "magnitude, random, excitatory, inhibitory, any, gaussian or random_direction");
    d.field("level_unit", &P::level_unit, "", "", "what the levels count");
    d.optional_field("kick_step", &P::kick_step, "", "steps", "a kick's step");
    d.optional_field("kick_ms", &P::kick_ms, "", "ms", "its time, kick_step * dt");
    d.field("candidates", &P::candidates, "", "", "connections / units the fractions are of (N^2 for noise)");
    d.field("trials", &P::trials, "", "", "fresh trials");
    d.field("seed", &P::seed, "", "", "their seed");
    d.field("task", &P::task, "", "", "the task they come from");
    d.local_symbols({"L"});  // each curve its own levels
    return d;
  }();
  return d;
}

const Declaration<PerturbationRecord>& perturbation_schema() {
  static const Declaration<PerturbationRecord> d = [] {
    Declaration<PerturbationRecord> d("Perturbations", "A network's perturbation curves, by group name.");
    d.group_map("curves", &PerturbationRecord::curves, perturbation_curve_schema(),
                "one group per curve: prune_<by>, ablate_units_<units>, weight_noise, kick")
        .in_place();
    return d;
  }();
  return d;
}

}  // namespace rnnlab

#include "analysis/dynamics_schema.hpp"

namespace rnnlab {

using schema::Declaration;

namespace {

// The options of the analysis, by their names in the file.
const Declaration<DynamicsOptions>& settings_schema() {
  static const Declaration<DynamicsOptions> d = [] {
    Declaration<DynamicsOptions> d("DynamicsSettings", "The options the dynamics analysis ran with (docs/dynamics.md).");
    d.field_at("trials", [](auto& o) -> auto& { return o.trials; }, "", "",
               "noiseless trials analysed (autonomous: runs from a box of starts)");
    d.field_at("seed", [](auto& o) -> auto& { return o.seed; }, "", "", "seed of the trials and the fixed-point starts");
    d.field_at("delay_start", [](auto& o) -> auto& { return o.delay_start; }, "", "fraction of the trial",
               "start of Jarne's delay window");
    d.field_at("delay_end", [](auto& o) -> auto& { return o.delay_end; }, "", "fraction of the trial",
               "end of Jarne's delay window");
    d.field_at("lyapunov_exponents", [](auto& o) -> auto& { return o.lyapunov.exponents; }, "", "",
               "Lyapunov exponents computed");
    d.field_at("lyapunov_transient", [](auto& o) -> auto& { return o.lyapunov.transient; }, "", "steps",
               "tangent-vector alignment");
    d.field_at("lyapunov_steps", [](auto& o) -> auto& { return o.lyapunov.steps; }, "", "steps", "steps averaged");
    d.field_at("attractor_transient", [](auto& o) -> auto& { return o.attractor.transient; }, "", "steps",
               "discarded before the attractor window");
    d.field_at("attractor_window", [](auto& o) -> auto& { return o.attractor.window; }, "", "steps",
               "the autonomous run recorded and classified");
    d.field_at("fixed_point_tolerance", [](auto& o) -> auto& { return o.attractor.fixed_point_tolerance; }, "",
               "state units", "max-norm extent of a window called a fixed point");
    d.field_at("match_distance", [](auto& o) -> auto& { return o.attractor.match_distance; }, "", "state units",
               "to call an end state a known fixed point");
    d.field_at("chaos_threshold", [](auto& o) -> auto& { return o.attractor.chaos_threshold; }, "", "1/tau",
               "leading exponent above which it may be chaos");
    d.field_at("chaos_agreement", [](auto& o) -> auto& { return o.attractor.chaos_agreement; }, "", "",
               "agreement of the two halves' exponents for chaos");
    d.field_at("return_tolerance", [](auto& o) -> auto& { return o.attractor.return_tolerance; }, "",
               "local step lengths", "miss of a verified return")
        .optional();
    d.field_at("trajectory_starts", [](auto& o) -> auto& { return o.trajectory_starts; }, "", "",
               "attractor-set starts sampled on the trajectories")
        .optional();
    d.field_at("random_starts", [](auto& o) -> auto& { return o.random_starts; }, "", "",
               "attractor-set starts drawn in the states' box")
        .optional();
    d.field_at("sustained_ratio", [](auto& o) -> auto& { return o.attractor.sustained_ratio; }, "", "",
               "amplitude ratio of a sustained oscillation")
        .optional();
    d.field_at("jarne_spectral_oscillatory", [](auto& o) -> auto& { return o.jarne.spectral_oscillatory; }, "", "",
               "oscillation index above which J0 is oscillatory")
        .optional();
    d.field_at("jarne_spectral_mixed", [](auto& o) -> auto& { return o.jarne.spectral_mixed; }, "", "",
               "oscillation index above which J0 is mixed")
        .optional();
    d.field_at("jarne_peak_to_median", [](auto& o) -> auto& { return o.jarne.peak_to_median; }, "", "",
               "spectral peak over median for oscillatory PC1")
        .optional();
    d.field_at("jarne_min_cycles", [](auto& o) -> auto& { return o.jarne.min_cycles; }, "", "",
               "cycles in the delay window for oscillatory PC1")
        .optional();
    d.field_at("jarne_ramp_correlation", [](auto& o) -> auto& { return o.jarne.ramp_correlation; }, "", "",
               "|corr(PC1, t)| above which it ramps")
        .optional();
    d.field_at("jarne_rest_fraction", [](auto& o) -> auto& { return o.jarne.rest_fraction; }, "", "",
               "PC1 range share below which it rests")
        .optional();
    return d;
  }();
  return d;
}

const Declaration<StoredPca>& pca_schema() {
  static const Declaration<StoredPca> d = [] {
    Declaration<StoredPca> d("DynamicsPca", "PCA of the task states (sample covariance, divided by M - 1).");
    d.field("explained_variance", &StoredPca::explained_variance, "N", "state units^2",
            "covariance eigenvalues, descending")
        .alias("variances");
    d.field("explained_ratio", &StoredPca::explained_ratio, "N", "", "variances / their sum");
    d.field("mean", &StoredPca::mean, "N", "state units", "the states' mean");
    d.field("components", &StoredPca::components, "N K", "", "the first K = pcs axes as columns");
    return d;
  }();
  return d;
}

const Declaration<StoredJarne>& jarne_schema() {
  static const Declaration<StoredJarne> d = [] {
    using J = StoredJarne;
    Declaration<J> d("DynamicsJarne", "Jarne's class (jarne_class.hpp): oscillatory, mixed or ramping.");
    d.field("label", &J::label, "", "", "the class: where both labels agree, else mixed");
    d.field("spectral_label", &J::spectral_label, "", "", "from the growing modes of the step map J0 at the origin");
    d.field("activity_label", &J::activity_label, "", "", "from PC1 of single trials over the delay window");
    d.field("oscillation_index", &J::oscillation_index, "", "", "largest |Im mu| / |mu| over J0's growing modes");
    d.optional_field("unstable_modes", &J::unstable_modes, "", "", "eigenvalues of J0 with |l| > 1");
    d.field("condition_labels", &J::condition_labels, "G", "", "activity label per condition group");
    d.field("peak_to_median", &J::peak_to_median, "G", "", "PC1 spectral peak over median (median over trials)");
    d.field("peak_cycles", &J::peak_cycles, "G", "", "cycles of the peak frequency in the delay window");
    d.field("time_correlation", &J::time_correlation, "G", "", "corr(PC1, t) over the delay window");
    return d;
  }();
  return d;
}

const Declaration<StoredCondition>& condition_schema() {
  static const Declaration<StoredCondition> d = [] {
    using C = StoredCondition;
    Declaration<C> d("DynamicsCondition",
                     "One group of trials (one value of the grouping condition): its mean trajectory and the "
                     "autonomous run (zero input) from the end of its first trial.");
    d.field("value", &C::value, "", "", "the condition's value");
    d.field("trials", &C::trials, "", "", "trials in the group");
    d.field("attractor", &C::attractor, "", "", "what the autonomous run settles into (attractor.hpp)");
    d.field("fixed_point", &C::fixed_point, "", "", "row of fixed_points/ it ends on, -1 if none");
    d.field("fixed_point_distance", &C::fixed_point_distance, "", "state units", "to the nearest fixed point");
    d.field("period_steps", &C::period_steps, "", "steps", "a limit cycle's period by recurrence (else NaN)");
    d.field("period_ms", &C::period_ms, "", "ms", "the same period");
    d.field("amplitude", &C::amplitude, "", "state units", "max over units of (max - min) / 2 over the window");
    d.field("extent", &C::extent, "", "state units", "max_t |x_t - x_end|_inf over the window");
    d.optional_field("returns", &C::returns, "", "", "verified returns of the run to its last state");
    d.optional_field("return_miss", &C::return_miss, "", "local step lengths", "their largest miss");
    d.optional_field("leading_exponent_first", &C::leading_exponent_first, "", "1/tau",
                     "leading Lyapunov exponent over the first half of the run");
    d.optional_field("leading_exponent_second", &C::leading_exponent_second, "", "1/tau", "over the second half");
    d.field("mean_states", &C::mean_states, "T N", "state units", "the group's mean trajectory");
    d.field("mean_states_pcs", &C::mean_states_pcs, "T K", "state units", "on the network's principal axes");
    d.field("autonomous", &C::autonomous, "W N", "state units", "the recorded autonomous run");
    d.field("autonomous_pcs", &C::autonomous_pcs, "W K", "state units", "on the principal axes");
    d.field("lyapunov_per_step", &C::lyapunov_per_step, "L", "1/step", "Lyapunov exponents along the run");
    d.field("lyapunov_per_tau", &C::lyapunov_per_tau, "L", "1/tau", "the same, per tau (per_step / alpha)");
    d.local_symbols({"T", "W", "L"});
    return d;
  }();
  return d;
}

const Declaration<StoredPoints>& points_schema() {
  static const Declaration<StoredPoints> d = [] {
    Declaration<StoredPoints> d("DynamicsFixedPoints", "The fixed points the signature counts.");
    d.field("x", &StoredPoints::x, "P N", "state units", "the points, one per row");
    d.field("stability", &StoredPoints::stability, "P", "", "stable, saddle or unstable (step map at x)");
    d.local_symbols({"P"});  // zero input and each operating input have their own
    return d;
  }();
  return d;
}

const Declaration<StoredAttractorSet>& attractor_set_schema() {
  static const Declaration<StoredAttractorSet> d = [] {
    using A = StoredAttractorSet;
    Declaration<A> d("DynamicsAttractorSet",
                     "Every attractor reached from many starts (find_attractors), one entry per attractor in order "
                     "of its first start. Starts that sat on an unstable point are in no basin.");
    d.field("description", &A::description, "", "", "e.g. \"limit_cycle + 2 fixed_point\"");
    d.optional_field("unstable_starts", &A::unstable_starts, "", "", "starts in no basin");
    d.field("type", &A::type, "A", "", "fixed_point, limit_cycle, quasi_periodic, chaos or unsettled");
    d.field("period_steps", &A::period_steps, "A", "steps", "a limit cycle's period (else NaN)");
    d.field("basin", &A::basin, "A", "", "fraction of the starts reaching it");
    d.field("starts", &A::starts, "A", "", "starts reaching it");
    d.field("first_start", &A::first_start, "A", "", "index of the first");
    d.field("leading_exponent", &A::leading_exponent, "A", "1/tau", "leading Lyapunov exponent of its first run");
    d.field("marginal", &A::marginal, "A", "", "1: a fixed point with a marginal direction (line or ring)");
    d.field("amplitude", &A::amplitude, "A", "state units", "of its first run");
    d.field("x", &A::x, "A N", "state units", "the end state of its first run");
    d.field("start_attractor", &A::start_attractor, "S", "", "the attractor each start reached");
    d.local_symbols({"A", "S"});
    return d;
  }();
  return d;
}

const Declaration<StoredInput>& input_schema() {
  static const Declaration<StoredInput> d = [] {
    Declaration<StoredInput> d("DynamicsInput", "The long-run dynamics at one of the task's operating inputs.");
    d.field("name", &StoredInput::name, "", "", "the task's name for the input, e.g. \"context=0\"");
    d.group("fixed_points", &StoredInput::fixed_points, points_schema(), "the fixed points at this input");
    d.group("attractors", &StoredInput::attractors, attractor_set_schema(), "the attractors at this input");
    return d;
  }();
  return d;
}

const Declaration<StoredInputs>& inputs_schema() {
  static const Declaration<StoredInputs> d = [] {
    using I = StoredInputs;
    Declaration<I> d("DynamicsInputs",
                     "The input conditions (docs/dynamics.md): row 0 zero input (its points and attractors are the "
                     "network's fixed_points/ and attractors/), then the task's operating inputs. C rows.");
    d.field("names", &I::names, "C", "", "\"zero\", then the task's name for each input");
    d.field("input", &I::input, "C I", "", "the constant input");
    d.field("attractor_set", &I::attractor_set, "C", "", "the attractors at each input, described");
    d.field("stable", &I::stable, "C", "", "stable fixed points at each input");
    d.field("saddles", &I::saddles, "C", "", "saddles at each input");
    d.group_map("operating", &I::operating, input_schema(),
                "rows 1.. of the table, each in a subgroup named by its row index (<c>/)")
        .in_place();
    return d;
  }();
  return d;
}

const Declaration<StoredScaffold>& scaffold_schema() {
  static const Declaration<StoredScaffold> d = [] {
    using S = StoredScaffold;
    Declaration<S> d("DynamicsScaffold",
                     "The fixed-point graph at zero input: one link per saddle or unstable point. E links.");
    d.field("description", &S::description, "", "", "e.g. \"saddle -> {fixed_point, fixed_point}\"");
    d.field("point", &S::point, "E", "", "row of fixed_points/");
    d.field("reaches", &S::reaches, "E 2", "",
            "rows of attractors/ reached from x + eps v and x - eps v; -1: none of them");
    d.field("link", &S::link, "E", "", "the link as text");
    return d;
  }();
  return d;
}

const Declaration<StoredMemory>& memory_schema() {
  static const Declaration<StoredMemory> d = [] {
    using M = StoredMemory;
    Declaration<M> d("DynamicsMemory", "Accuracy with the memory period stretched (held_memory.hpp).");
    d.field("parameter", &M::parameter, "", "", "the task parameter stretched");
    d.field("trials", &M::trials, "", "", "trials per factor");
    d.field("factor", &M::factor, "M", "", "times the trained length (1: the reference)");
    d.field("accuracy", &M::accuracy, "M", "", "accuracy at each factor");
    return d;
  }();
  return d;
}

}  // namespace

const Declaration<DynamicsRecord>& dynamics_schema() {
  static const Declaration<DynamicsRecord> d = [] {
    using R = DynamicsRecord;
    Declaration<R> d("DynamicsRecord",
                     "The dynamics analysis of one network as `rnnlab analyze --dynamics` stores it "
                     "(docs/dynamics.md); rnnlab.Dynamics is built from it.");
    d.embed(&R::settings, settings_schema());
    d.field("task", &R::task, "", "", "the task analysed on (\"autonomous\": none)");
    d.field("condition", &R::condition, "", "", "the grouping condition (\"\" if none)");
    d.field("delay_window_from", &R::delay_window_from, "", "steps", "Jarne's delay window: first step");
    d.field("delay_window_to", &R::delay_window_to, "", "steps", "one past its last step");
    d.field("attractor", &R::attractor, "", "", "the most complex type over the groups");
    d.field("leading_lyapunov_per_tau", &R::leading_lyapunov_per_tau, "", "1/tau", "the largest over the groups");
    d.field("participation_ratio", &R::participation_ratio, "", "", "(sum l)^2 / sum l^2 of the PCA variances");
    d.field("alpha", &R::alpha, "", "", "dt / tau");
    d.field("dt_ms", &R::dt_ms, "", "ms", "the step");
    d.optional_field("attractor_set", &R::attractor_set, "", "", "the attractors from many starts, described");
    d.optional_field("family_key", &R::family_key, "", "", "the census family's key");
    d.optional_field("origin_leading_re", &R::origin_leading_re, "", "per step",
                     "J0's leading eigenvalue (step map at the origin), real part");
    d.optional_field("origin_leading_im", &R::origin_leading_im, "", "per step", "its imaginary part");
    d.optional_field("origin_continuous_re", &R::origin_continuous_re, "", "1/tau", "(l - 1) / alpha, real part");
    d.optional_field("origin_continuous_im", &R::origin_continuous_im, "", "1/tau", "its imaginary part");
    d.optional_field("origin_unstable_modes", &R::origin_unstable_modes, "", "", "eigenvalues of J0 with |l| > 1");
    d.optional_field("w_rec_leading_re", &R::w_rec_leading_re, "", "", "W_rec's leading eigenvalue, real part");
    d.optional_field("w_rec_leading_im", &R::w_rec_leading_im, "", "", "its imaginary part");
    d.optional_field("w_rec_outside_unit_circle", &R::w_rec_outside_unit_circle, "", "",
                     "eigenvalues of W_rec with |l| > 1");
    d.group("pca", &R::pca, pca_schema(), "PCA of the task states");
    d.group("jarne", &R::jarne, jarne_schema(), "Jarne's class");
    d.group_map("conditions", &R::conditions, condition_schema(), "one group per condition value, <i>/");
    d.optional_field("fixed_points_from", &R::fixed_points_from, "", "",
                     "\"stored\" (those `--fixed-points` stored) or \"searched\"");
    d.optional_group("fixed_points", &R::fixed_points, points_schema(), "the fixed points at zero input");
    d.optional_group("attractors", &R::attractors, attractor_set_schema(), "the attractors at zero input");
    d.optional_group("inputs", &R::inputs, inputs_schema(), "the input conditions");
    d.optional_group("scaffold", &R::scaffold, scaffold_schema(), "the fixed-point graph at zero input");
    d.optional_group("memory", &R::memory, memory_schema(), "memory beyond the trained duration (with a task)");
    d.optional_field("signature", &R::signature, "F", "", "the signature's feature vector (signature.hpp)");
    d.optional_field("signature_names", &R::signature_names, "F", "", "the features' names");
    return d;
  }();
  return d;
}

}  // namespace rnnlab

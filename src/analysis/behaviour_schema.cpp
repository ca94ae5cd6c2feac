#include "analysis/behaviour_schema.hpp"

namespace rnnlab {

using schema::Declaration;

namespace {

const Declaration<BehaviourTrials>& trials_schema() {
  static const Declaration<BehaviourTrials> d = [] {
    Declaration<BehaviourTrials> d("BehaviourTrials", "The fresh trials a curve was measured on.");
    d.field("task", &BehaviourTrials::task, "", "", "the task the trials come from");
    d.field("trials_drawn", &BehaviourTrials::trials_drawn, "", "", "trials drawn (as `rnnlab eval --trials`)")
        .optional();
    d.field("seed", &BehaviourTrials::seed, "", "", "their seed (as `rnnlab eval --seed`)").optional();
    return d;
  }();
  return d;
}

const Declaration<PsychometricFit>& fit_schema() {
  static const Declaration<PsychometricFit> d = [] {
    Declaration<PsychometricFit> d("PsychometricFit", "The cumulative Gaussian P(+1 | x) = Phi(slope (x - bias)).");
    d.field("bias", &PsychometricFit::bias, "", "condition units", "x at P(+1) = 0.5");
    d.field("slope", &PsychometricFit::slope, "", "1/condition units",
            "Phi's slope (1 / the psychometric sd); +-inf for a step");
    d.field("step", &PsychometricFit::step, "", "", "x separates the choices completely: no finite fit");
    return d;
  }();
  return d;
}

const Declaration<PsychometricCurve>& curve_schema() {
  static const Declaration<PsychometricCurve> d = [] {
    Declaration<PsychometricCurve> d("PsychometricCurve", "Fraction of +1 choices per condition level.");
    d.field("condition", &PsychometricCurve::condition, "", "",
            "the trials' condition on the x axis (coherence, integral, ...)");
    d.field("levels", &PsychometricCurve::levels, "L", "condition units",
            "distinct condition values (or equal-count bin means), ascending");
    d.field("p_positive", &PsychometricCurve::p_positive, "L", "", "fraction of +1 choices at each level");
    d.field("counts", &PsychometricCurve::counts, "L", "", "trials at each level");
    d.embed(&PsychometricCurve::fit, fit_schema());
    d.field("trials", &PsychometricCurve::trials, "", "", "trials with a choice");
    d.field("no_choice", &PsychometricCurve::no_choice, "", "",
            "trials with nothing to report, or an output of exactly 0");
    return d;
  }();
  return d;
}

const Declaration<TimingCurve>& timing_curve_schema() {
  static const Declaration<TimingCurve> d = [] {
    Declaration<TimingCurve> d("TimingCurve", "Produced against sample interval.");
    d.field("sample_ms", &TimingCurve::sample_ms, "T", "ms", "the sample interval of each timed trial");
    d.field("produced_ms", &TimingCurve::produced_ms, "T", "ms",
            "the interval produced; NaN where the output never reached half the response's height");
    d.field("levels_ms", &TimingCurve::levels_ms, "L", "ms", "the distinct samples");
    d.field("mean_produced_ms", &TimingCurve::mean_produced_ms, "L", "ms", "mean produced per sample");
    d.field("sd_produced_ms", &TimingCurve::sd_produced_ms, "L", "ms", "sd of the produced per sample");
    d.field("counts", &TimingCurve::counts, "L", "", "produced trials per sample");
    d.field("slope", &TimingCurve::slope, "", "", "of produced = slope sample + intercept (NaN: one sample)");
    d.field("intercept_ms", &TimingCurve::intercept_ms, "", "ms", "of that line");
    d.field("regression", &TimingCurve::regression, "", "", "regression to the mean, 1 - slope");
    d.field("indifference_ms", &TimingCurve::indifference_ms, "", "ms", "intercept / (1 - slope)");
    d.field("mean_error_ms", &TimingCurve::mean_error_ms, "", "ms", "mean of produced - sample");
    d.field("sd_error_ms", &TimingCurve::sd_error_ms, "", "ms", "sd of produced - sample");
    d.field("missed", &TimingCurve::missed, "", "", "timed trials whose output never reached the threshold");
    d.field("untimed", &TimingCurve::untimed, "", "",
            "trials without a response in the target or an input before it");
    return d;
  }();
  return d;
}

}  // namespace

const Declaration<StoredPsychometric>& psychometric_schema() {
  static const Declaration<StoredPsychometric> d = [] {
    Declaration<StoredPsychometric> d(
        "Psychometric",
        "Fraction of +1 choices per condition level, and the maximum-likelihood cumulative Gaussian "
        "P(+1 | x) = Phi(slope (x - bias)) (docs/behaviour.md). A choice is the sign of the trial's mean output "
        "where the task asks for +-1. L levels.");
    d.embed(&StoredPsychometric::curve, curve_schema());
    d.embed(&StoredPsychometric::drawn, trials_schema());
    return d;
  }();
  return d;
}

const Declaration<StoredTiming>& timing_schema() {
  static const Declaration<StoredTiming> d = [] {
    Declaration<StoredTiming> d(
        "Timing",
        "Produced against sample interval, per trial and per sample, with the least-squares line "
        "produced = slope sample + intercept_ms (docs/behaviour.md). T timed trials, L distinct samples.");
    d.embed(&StoredTiming::curve, timing_curve_schema());
    d.embed(&StoredTiming::drawn, trials_schema());
    return d;
  }();
  return d;
}

const Declaration<BehaviourRecord>& behaviour_schema() {
  static const Declaration<BehaviourRecord> d = [] {
    Declaration<BehaviourRecord> d("Behaviour", "What `rnnlab behaviour` stores for one network.");
    d.optional_group<StoredPsychometric>(
        "psychometric", [](const BehaviourRecord& r) { return r.psychometric ? &*r.psychometric : nullptr; },
        [](BehaviourRecord& r) -> StoredPsychometric& { return r.psychometric.emplace(); }, psychometric_schema(),
        "the psychometric curve (decision tasks)");
    d.optional_group<StoredTiming>(
        "timing", [](const BehaviourRecord& r) { return r.timing ? &*r.timing : nullptr; },
        [](BehaviourRecord& r) -> StoredTiming& { return r.timing.emplace(); }, timing_schema(),
        "the timing curve (timing tasks)");
    return d;
  }();
  return d;
}

}  // namespace rnnlab

#include "analysis/spectrum_schema.hpp"

#include <string>

namespace rnnlab {

using schema::Declaration;

const Declaration<EigenMode>& eigen_mode_schema() {
  static const Declaration<EigenMode> d = [] {
    Declaration<EigenMode> d("Mode", "One eigenvalue read in continuous time (docs/ground-truths.md).");
    d.field("eigenvalue", &EigenMode::eigenvalue, "", "", "of the matrix analysed (W_rec or the step map)");
    d.field("step_eigenvalue", &EigenMode::step_eigenvalue, "", "",
            "of the step map: equal to `eigenvalue` for a step map; (1 - alpha) + alpha l for W_rec");
    d.field("continuous", &EigenMode::continuous, "", "1/tau", "(l_d - 1) / alpha, l_d the step-map eigenvalue");
    d.field("time_constant_ms", &EigenMode::time_constant_ms, "", "ms",
            "-tau / Re(continuous): how fast the mode decays; inf when it does not");
    d.field("frequency_hz", &EigenMode::frequency_hz, "", "Hz", "|arg(l_d)| / (2 pi dt): its oscillation");
    return d;
  }();
  return d;
}

const Declaration<Spectrum>& matrix_spectrum_schema() {
  static const Declaration<Spectrum> d = [] {
    Declaration<Spectrum> d("MatrixSpectrum",
                            "The spectrum of one matrix: W_rec, or a step map J = (1 - alpha) I + alpha W_rec "
                            "diag(phi'(x)) (spectrum.hpp).");
    d.field<std::string>(
        "matrix", [](const Spectrum& s) { return std::string(s.is_step_map ? "jacobian" : "w_rec"); },
        [](Spectrum& s, const std::string& v) { s.is_step_map = v == "jacobian"; }, "", "",
        "which matrix: \"w_rec\" or \"jacobian\" (a step map)");
    d.field("alpha", &Spectrum::alpha, "", "", "dt / tau, as used to read the modes");
    d.field("dt_ms", &Spectrum::dt, "", "ms", "the step").alias("dt");
    d.field<double>(
        "tau_ms", [](const Spectrum& s) { return s.dt / s.alpha; }, {}, "", "ms", "dt / alpha").optional();
    d.field("eigenvalues", &Spectrum::eigenvalues, "N", "",
            "sorted by |l| descending; conjugate pairs with +Im first");
    d.field("spectral_radius", &Spectrum::spectral_radius, "", "", "max |l|");
    d.field("n_outside_unit_circle", &Spectrum::outside_unit_circle, "", "",
            "how many |l| > 1 (for a step map: growing modes)")
        .alias("outside_unit_circle");
    d.field("frobenius_norm", &Spectrum::frobenius_norm, "", "", "||matrix||_F");
    d.field("henrici_departure", &Spectrum::henrici, "", "",
            "departure from normality sqrt(||W||_F^2 - sum |l|^2) / ||W||_F: 0 normal, about 0.707 Gaussian")
        .alias("henrici");
    d.field("symmetric_part_eigenvalues", &Spectrum::symmetric_eigenvalues, "N", "",
            "eigenvalues of (W + W^T)/2, descending")
        .alias("symmetric_eigenvalues");
    d.field("antisymmetric_part_eigenvalues_imag", &Spectrum::antisymmetric_eigenvalues, "N", "",
            "Im of the eigenvalues of (W - W^T)/2 (purely imaginary), descending")
        .alias("antisymmetric_eigenvalues");
    d.field("singular_values", &Spectrum::singular_values, "N", "", "descending");
    d.optional_group<EigenMode>(
        "leading", [](const Spectrum& s) { return s.eigenvalues.size() > 0 ? &s.leading : nullptr; },
        [](Spectrum& s) -> EigenMode& { return s.leading; }, eigen_mode_schema(),
        "the eigenvalue of largest modulus");
    d.optional_group<EigenMode>(
        "leading_complex_pair", [](const Spectrum& s) { return s.has_complex_pair ? &s.leading_complex : nullptr; },
        [](Spectrum& s) -> EigenMode& {
          s.has_complex_pair = true;
          return s.leading_complex;
        },
        eigen_mode_schema(), "the complex eigenvalue of largest modulus (Im > 0); absent when all are real");
    d.alias("leading_complex");
    return d;
  }();
  return d;
}

namespace {

const Declaration<EIParameters>& ei_parameters_schema() {
  static const Declaration<EIParameters> d = [] {
    Declaration<EIParameters> d("EIParameters", "E/I connectivity in the units of docs/model.md (Rajan & Abbott 2006).");
    d.field("e_fraction", &EIParameters::e_fraction, "", "", "fraction f of excitatory columns");
    d.field("mu_e", &EIParameters::mu_e, "", "", "mean of excitatory entries times sqrt(N)");
    d.field("sigma_e", &EIParameters::sigma_e, "", "", "sd of excitatory entries times sqrt(N)");
    d.field("mu_i", &EIParameters::mu_i, "", "", "mean of inhibitory entries times sqrt(N)");
    d.field("sigma_i", &EIParameters::sigma_i, "", "", "sd of inhibitory entries times sqrt(N)");
    return d;
  }();
  return d;
}

}  // namespace

const Declaration<SpectrumTheory>& spectrum_theory_schema() {
  static const Declaration<SpectrumTheory> d = [] {
    Declaration<SpectrumTheory> d("Theory",
                                  "Random-matrix theory beside the measured bulk (spectrum.hpp SpectrumTheory). "
                                  "The spec_* numbers and circular_law_radius are NaN without a training config "
                                  "(imports).");
    d.field("circular_law_radius", &SpectrumTheory::circular_radius, "", "",
            "the radius g the initialiser aimed at")
        .alias("circular_radius");
    d.field("spec_bulk_radius", &SpectrumTheory::spec_bulk_radius, "", "",
            "Rajan-Abbott radius of the initialiser's E/I parameters");
    d.field("spec_outlier", &SpectrumTheory::spec_outlier, "", "", "Rajan-Abbott outlier of those parameters");
    d.field("rajan_abbott_radius", &SpectrumTheory::rajan_abbott_radius, "", "",
            "Rajan-Abbott radius of the measured parameters");
    d.field("rajan_abbott_outlier", &SpectrumTheory::rajan_abbott_outlier, "", "",
            "Rajan-Abbott outlier of the measured parameters");
    d.embed(&SpectrumTheory::measured_parameters, ei_parameters_schema());
    d.field("quantile_radius", &SpectrumTheory::quantile_radius, "", "",
            "radius of the uniform disk with the measured 0.9-quantile of |l|");
    d.field("measured_bulk_radius", &SpectrumTheory::measured_bulk_radius, "", "",
            "max |l| over the eigenvalues that are not outliers");
    d.field("outliers", &SpectrumTheory::outliers, "outliers", "", "eigenvalues outside 1.25 quantile radii");
    return d;
  }();
  return d;
}

const Declaration<SpectrumResult>& spectrum_schema() {
  static const Declaration<SpectrumResult> d = [] {
    Declaration<SpectrumResult> d("Spectrum",
                                  "The spectrum of W_rec with its theory, and the step map at the origin "
                                  "J0 = (1 - alpha) I + alpha W_rec phi'(0), whose eigenvalues decide stability "
                                  "(docs/ground-truths.md).");
    d.embed(&SpectrumResult::spectrum, matrix_spectrum_schema());
    d.optional_group<SpectrumTheory>(
        "theory", [](const SpectrumResult& r) { return r.theory ? &*r.theory : nullptr; },
        [](SpectrumResult& r) -> SpectrumTheory& { return r.theory.emplace(); }, spectrum_theory_schema(),
        "random-matrix theory of W_rec");
    d.optional_group<Spectrum>(
        "linearised_origin", [](const SpectrumResult& r) { return r.linearised_origin ? &*r.linearised_origin : nullptr; },
        [](SpectrumResult& r) -> Spectrum& { return r.linearised_origin.emplace(); }, matrix_spectrum_schema(),
        "the spectrum of the step map at the origin, J0");
    return d;
  }();
  return d;
}

const Declaration<Moments>& moments_schema() {
  static const Declaration<Moments> d = [] {
    Declaration<Moments> d("Moments", "Moments of the existing entries of W_rec (weight_stats.hpp).");
    d.field("count", &Moments::count, "", "", "entries");
    d.field("mean", &Moments::mean, "", "", "mean of the entries");
    d.field("sd", &Moments::sd, "", "", "standard deviation");
    d.field("skewness", &Moments::skewness, "", "", "third standardised moment (0 for a symmetric distribution)");
    d.field("excess_kurtosis", &Moments::excess_kurtosis, "", "", "kurtosis - 3 (0 for a Gaussian)");
    return d;
  }();
  return d;
}

const Declaration<WeightStats>& weight_stats_schema() {
  static const Declaration<WeightStats> d = [] {
    Declaration<WeightStats> d("WeightStats", "Moments of the existing W_rec entries (mask 1), per population under "
                                              "Dale's law, and the weights' norms.");
    d.group("all", &WeightStats::all, moments_schema(), "every existing entry");
    const auto dale = [](const WeightStats& s) { return s.excitatory.count > 0 || s.inhibitory.count > 0; };
    d.optional_group<Moments>(
        "excitatory", [dale](const WeightStats& s) { return dale(s) ? &s.excitatory : nullptr; },
        [](WeightStats& s) -> Moments& { return s.excitatory; }, moments_schema(),
        "entries of excitatory columns (Dale's law only)");
    d.optional_group<Moments>(
        "inhibitory", [dale](const WeightStats& s) { return dale(s) ? &s.inhibitory : nullptr; },
        [](WeightStats& s) -> Moments& { return s.inhibitory; }, moments_schema(),
        "entries of inhibitory columns (Dale's law only)");
    d.field("w_rec_norm", &WeightStats::w_rec_norm, "", "", "||W_rec||_F");
    d.field("w_in_norm", &WeightStats::w_in_norm, "", "", "||W_in||_F");
    d.field("w_out_norm", &WeightStats::w_out_norm, "", "", "||W_out||_F");
    return d;
  }();
  return d;
}

const Declaration<WeightChange>& weight_change_schema() {
  static const Declaration<WeightChange> d = [] {
    Declaration<WeightChange> d("WeightChange", "How training moved the weights from their initial values.");
    d.field("w_rec_change_norm", &WeightChange::w_rec_change_norm, "", "", "||W_trained - W_initial||_F");
    d.field("w_rec_relative_change", &WeightChange::w_rec_relative_change, "", "",
            "the same / ||W_initial||_F (NaN when that is 0)");
    d.field("w_in_change_norm", &WeightChange::w_in_change_norm, "", "", "of W_in");
    d.field("w_out_change_norm", &WeightChange::w_out_change_norm, "", "", "of W_out");
    d.field("w_rec_correlation", &WeightChange::w_rec_correlation, "", "",
            "Pearson correlation of initial and trained W_rec entries: near 1 when training only nudged them");
    return d;
  }();
  return d;
}

const Declaration<WeightStatsResult>& weight_stats_result_schema() {
  static const Declaration<WeightStatsResult> d = [] {
    Declaration<WeightStatsResult> d("WeightStatsResult", "Weight statistics of a network's initial and trained "
                                                          "weights and of the change.");
    d.optional_group<WeightStats>(
        "initial", [](const WeightStatsResult& r) { return r.initial ? &*r.initial : nullptr; },
        [](WeightStatsResult& r) -> WeightStats& { return r.initial.emplace(); }, weight_stats_schema(),
        "of the initial weights (absent for imports)");
    d.group("trained", &WeightStatsResult::trained, weight_stats_schema(), "of the trained weights");
    d.optional_group<WeightChange>(
        "change", [](const WeightStatsResult& r) { return r.change ? &*r.change : nullptr; },
        [](WeightStatsResult& r) -> WeightChange& { return r.change.emplace(); }, weight_change_schema(),
        "from initial to trained (absent for imports)");
    return d;
  }();
  return d;
}

const Declaration<SpectrumAnalysis>& spectrum_analysis_schema() {
  static const Declaration<SpectrumAnalysis> d = [] {
    Declaration<SpectrumAnalysis> d("SpectrumAnalysis",
                                    "What `rnnlab analyze --spectrum` stores for one network "
                                    "(/networks/<seed>/analysis/spectrum).");
    d.optional_group<SpectrumResult>(
        "initial", [](const SpectrumAnalysis& a) { return a.initial ? &*a.initial : nullptr; },
        [](SpectrumAnalysis& a) -> SpectrumResult& { return a.initial.emplace(); }, spectrum_schema(),
        "of the initial weights (absent for imports)");
    d.group("trained", &SpectrumAnalysis::trained, spectrum_schema(), "of the trained weights");
    d.group("weight_stats", &SpectrumAnalysis::weight_stats, weight_stats_result_schema(), "weight statistics");
    return d;
  }();
  return d;
}

}  // namespace rnnlab

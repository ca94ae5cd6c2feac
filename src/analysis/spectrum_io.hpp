#pragma once
// Spectrum and weight-statistics results in the experiment file, and the
// one-line summary `rnnlab info` prints.
//
// Layout (scalars are attributes, arrays datasets; complex arrays are
// complex128 in h5py):
//
//   /networks/<seed>/analysis/spectrum/
//     initial/ (when the file has initial weights), trained/      spectrum of W_rec
//       eigenvalues (complex, |l| descending), singular_values,
//       symmetric_part_eigenvalues, antisymmetric_part_eigenvalues_imag
//       @spectral_radius @n_outside_unit_circle @frobenius_norm
//       @henrici_departure @alpha @dt_ms @tau_ms @matrix ("w_rec" | "jacobian")
//       leading/, leading_complex_pair/ (absent when every eigenvalue is real)
//         @eigenvalue_real @eigenvalue_imag             of the matrix
//         @step_eigenvalue_real @step_eigenvalue_imag   of the step map
//         @continuous_real @continuous_imag             (l_d - 1)/alpha, in 1/tau
//         @time_constant_ms @frequency_hz
//       theory/  @circular_law_radius @spec_bulk_radius @spec_outlier
//                @rajan_abbott_radius @rajan_abbott_outlier (from the measured entries)
//                @e_fraction @mu_e @sigma_e @mu_i @sigma_i (measured, theory units)
//                @quantile_radius @measured_bulk_radius, outliers (complex)
//       linearised_origin/   the same spectrum fields for J(0) = (1-a) I + a W_rec diag(phi'(0))
//     weight_stats/
//       initial/, trained/   all/, excitatory/, inhibitory/ (Dale only):
//                            @count @mean @sd @skewness @excess_kurtosis
//                            @w_rec_norm @w_in_norm @w_out_norm
//       change/ (initial present)  @w_rec_change_norm @w_rec_relative_change
//                                  @w_in_change_norm @w_out_change_norm @w_rec_correlation
#include <functional>
#include <string>
#include <vector>

#include "analysis/spectrum.hpp"
#include "analysis/spectrum_schema.hpp"
#include "analysis/weight_stats.hpp"
#include "io/experiment_file.hpp"
#include "model/network.hpp"

namespace rnnlab {

// Everything `analyze --spectrum` stores for one network (spectrum_schema.hpp
// declares it): spectra of the initial (when present) and trained W_rec with
// theory and the step map at the origin, and the weight statistics.
// `spec`, when known, is the initialiser's (for the theory).
SpectrumAnalysis spectrum_analysis(const NetworkRecord& rec, const std::optional<ModelSpec>& spec);

// For every network of the experiment file: the spectrum of W_rec (initial
// where present, and trained) with theory and the spectrum at the origin, and
// the weight statistics; written under /networks/<seed>/analysis/spectrum/
// (a previous result there is replaced). The initialiser's spec comes from the
// file's config when it parses; otherwise (imports) the spec-based theory is NaN.
// A network without usable weights (unusable_reason) is skipped and `log`
// told why; the others are analysed. Returns how many were skipped.
int analyze_spectrum_file(const std::string& path, const std::function<void(const std::string&)>& log = {});

// One line in words, e.g. "N=64 rho=2.764 (W_rec's spectral radius); step map at
// the origin: 14 unstable modes, leading |l| 1.0363 (grows, e-fold in 46.5 ms,
// oscillates at 9.25 Hz); Henrici 0.68": stability read on the step map at the
// origin J0 (docs/ground-truths.md), W_rec's radius only as a size.
std::string spectrum_summary(const Network& net);
// The same from W_rec's eigenvalues, sorted by |l| descending (no eigendecomposition).
std::string spectrum_summary(const Network& net, const Eigen::VectorXcd& eigenvalues);

// The networks above this size have their summary computed by `rnnlab info`
// only when the file stores their spectrum: one eigendecomposition of W_rec
// takes ~0.1 s at N = 512 but ~10 s at N = 2000 (and grows as N^3).
constexpr long kSummaryComputeLimit = 512;

// spectrum_summary for each network of `experiment` (read from `path`), for
// `rnnlab info`: from the eigenvalues `analyze --spectrum` stored when they
// still describe the trained weights (same N and Frobenius norm), else
// computed when N <= kSummaryComputeLimit, else a line saying how to store them.
std::vector<std::string> spectrum_summaries(const std::string& path, const Experiment& experiment);

}  // namespace rnnlab

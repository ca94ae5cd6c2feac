#pragma once
// Spectrum and weight-statistics results in the experiment file, and the
// one-line summary `rnnlab info` prints.
//
// The layout is the declaration in spectrum_schema.cpp (and
// docs/file-format.md): /networks/<seed>/analysis/spectrum/ holds initial/
// (when the file has initial weights) and trained/ (W_rec's spectrum, theory/,
// linearised_origin/) and weight_stats/.
#include <functional>
#include <string>
#include <vector>

#include "analysis/spectrum.hpp"
#include "analysis/spectrum_schema.hpp"
#include "analysis/weight_stats.hpp"
#include "io/experiment_file.hpp"
#include "model/network.hpp"

namespace rnnlab {

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

#pragma once
// A swept experiment file as a table (docs/dynamics.md "Sweeps as results"):
// one row per network with its sweep values, seed and what the analyses
// stored for it, and the per-factor tests of analysis/sweep_factors.hpp.
// Written by `rnnlab run` as DIR/sweep_networks.csv and DIR/sweep_factors.csv
// and into the file under /analysis/sweep_factors.
#include <string>
#include <vector>

#include "analysis/sweep_factors.hpp"

namespace rnnlab {

// Every network of the swept file at `path`: factors = its sweep (key, value)
// pairs; seed = its seed within the sweep; measures: validation accuracy
// (last validation), the modulus of the leading eigenvalue of the step map at
// the origin J0 (per step; > 1: unstable), the number of unstable modes of J0,
// Henrici's departure from normality of the trained W_rec, stable fixed
// points, the leading Lyapunov exponent (per tau) and the participation
// ratio; labels: status, attractor type and family key. A value an analysis
// did not store is NaN (or absent, for a label). Empty for a file without a sweep.
std::vector<SweepRow> sweep_rows_from_file(const std::string& path);

// Writes the rows and their factor tests into the file (atomically) under
// /analysis/sweep_factors: attributes `networks_csv` and `tests_csv` hold the
// two CSV tables (pandas.read_csv(io.StringIO(text)) reads them).
void write_sweep_factors(const std::string& path, const std::vector<SweepRow>& rows,
                         const std::vector<FactorTest>& tests);

}  // namespace rnnlab

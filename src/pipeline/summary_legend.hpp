#pragma once
// The legend printed under `rnnlab run`'s summary (and in summary.txt): every
// column of the census table and every abbreviation of the per-network lines,
// in words. Kept beside the printing so that a new column without a word here
// fails tests/test_cli.cpp (RunSummary.LegendExplainsEveryCensusColumn).
#include <string>

namespace rnnlab {

// One line per census column ("fixed_point", "jarne:mixed", "families", ...)
// and per term of the network lines (N, rho, step map at the origin J0,
// unstable mode, e-fold, Henrici, fixed/slow points, ...).
std::string run_summary_legend();

}  // namespace rnnlab

#pragma once
// Behaviour curves in the experiment file, /networks/<key>/analysis/behaviour/ (docs/behaviour.md).
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/behaviour.hpp"

namespace H5 { class Group; }

namespace rnnlab {

// ---- the file ---------------------------------------------------------------------

// Writes into `g` (replacing what is there). Psychometric: levels,
// p_positive, counts (datasets), @condition @bias @slope @step @trials
// @no_choice. Timing: sample_ms, produced_ms, levels_ms, mean_produced_ms,
// sd_produced_ms, counts, @slope @intercept_ms @regression @indifference_ms
// @mean_error_ms @sd_error_ms @missed @untimed. Both: @task @trials_drawn @seed.
void write_psychometric(H5::Group& g, const PsychometricCurve& c);
void write_timing(H5::Group& g, const TimingCurve& c);

// One network's curves (either may be absent), for
// /networks/<key>/analysis/behaviour/{psychometric,timing}.
struct NetworkBehaviour {
  std::uint64_t key = 0;
  bool has_psychometric = false, has_timing = false;
  PsychometricCurve psychometric;
  TimingCurve timing;
};
// All networks in one atomic update of the file at `path` (all or nothing);
// a curve already stored is replaced, the other kept.
void write_behaviour_file(const std::string& path, const std::vector<NetworkBehaviour>& results,
                          const std::string& task_name, int trials, std::uint64_t seed);

}  // namespace rnnlab

#pragma once
// Behaviour curves in the experiment file, /networks/<key>/analysis/behaviour/ (docs/behaviour.md).
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/behaviour.hpp"

namespace rnnlab {

// ---- the file ---------------------------------------------------------------------

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

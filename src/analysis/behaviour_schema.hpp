#pragma once
// The declarations of the behaviour curves (util/result_schema.hpp): what
// `rnnlab behaviour` stores under /networks/<key>/analysis/behaviour/ and what
// rnnlab.psychometric() and rnnlab.timing_curve() return in Python.
#include <optional>
#include <string>

#include "analysis/behaviour.hpp"
#include "util/result_schema.hpp"

namespace rnnlab {

// Which fresh trials a curve was measured on (as `rnnlab eval --trials --seed`).
struct BehaviourTrials {
  std::string task;
  long trials_drawn = 0;
  long seed = 0;
};

struct StoredPsychometric {
  PsychometricCurve curve;
  BehaviourTrials drawn;
};

struct StoredTiming {
  TimingCurve curve;
  BehaviourTrials drawn;
};

// A network's curves; `rnnlab behaviour` writes each when asked, keeping the other.
struct BehaviourRecord {
  std::optional<StoredPsychometric> psychometric;
  std::optional<StoredTiming> timing;
};

const schema::Declaration<StoredPsychometric>& psychometric_schema();
const schema::Declaration<StoredTiming>& timing_schema();
const schema::Declaration<BehaviourRecord>& behaviour_schema();

}  // namespace rnnlab

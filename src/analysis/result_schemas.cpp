#include "analysis/result_schemas.hpp"

#include "analysis/behaviour_schema.hpp"
#include "analysis/census_schema.hpp"
#include "analysis/dynamics_schema.hpp"
#include "analysis/fixed_points_schema.hpp"
#include "analysis/perturbation_schema.hpp"
#include "analysis/spectrum_schema.hpp"

namespace rnnlab {

const std::vector<StoredResult>& stored_results() {
  static const std::vector<StoredResult> results = {
      {"spectrum", spectrum_analysis_schema().shared_schema()},
      {"fixed_points", fixed_points_schema().shared_schema()},
      {"behaviour", behaviour_schema().shared_schema()},
      {"dynamics", dynamics_schema().shared_schema()},
      {"perturbation", perturbation_schema().shared_schema()},
      {"census", census_schema().shared_schema(), false},
  };
  return results;
}

const schema::Schema& stored_result_schema(const std::string& group) {
  std::string names;
  for (const StoredResult& r : stored_results()) {
    if (r.group == group) return *r.schema;
    names += (names.empty() ? "" : ", ") + r.group;
  }
  throw InputError("no declared result '" + group + "' (results: " + names + ")");
}

}  // namespace rnnlab

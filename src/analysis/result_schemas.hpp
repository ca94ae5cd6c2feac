#pragma once
// The results declared through util/result_schema.hpp, by the name of the
// group they are stored under: /networks/<seed>/analysis/<group> for a
// network's, /analysis/<group> for the file's own (the census). The list
// Python's rnnlab.results reads, and docs/file-format.md documents.
#include <memory>
#include <string>
#include <vector>

#include "util/result_schema.hpp"

namespace rnnlab {

struct StoredResult {
  std::string group;  // e.g. "spectrum": /networks/<seed>/analysis/spectrum
  std::shared_ptr<const schema::Schema> schema;
  bool per_network = true;  // false: one for the whole file, under /analysis/<group>
};

const std::vector<StoredResult>& stored_results();
// The one stored under `group`; throws InputError listing the groups for an unknown one.
const schema::Schema& stored_result_schema(const std::string& group);

}  // namespace rnnlab

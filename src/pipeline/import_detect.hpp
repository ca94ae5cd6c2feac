#pragma once
// What kind of file an import is (`rnnlab import --format auto`), and reading
// it with the importer of that kind (io/import.hpp).
#include <string>
#include <vector>

#include "io/experiment_file.hpp"

namespace rnnlab {

// The import formats, in the order `--format` lists them ("auto" first).
const std::vector<std::string>& import_formats();

// "keras" when the root has a model_config attribute (a whole saved Keras
// model); "torch" when some dataset is named ...weight_hh_l0 (nn.RNN's
// state_dict); "arrays" (rnnlab naming) otherwise. A file that is missing or
// not HDF5 gives "arrays", whose importer's message says what was expected.
std::string detect_import_format(const std::string& path);

// The network of the file at `path` read as `format` ("auto": detected).
NetworkRecord import_network(const std::string& path, const std::string& format, double dt, double tau);

}  // namespace rnnlab

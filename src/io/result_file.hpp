#pragma once
// Results in the experiment file, through their one declaration
// (util/result_schema.hpp): a Node written into an HDF5 group and read back
// with every array's shape checked against the declared one.
//
// Layout rules (the same for every result; docs/file-format.md):
//   - a scalar field is an attribute of the group; a complex scalar is two
//     attributes, <name>_real and <name>_imag;
//   - an array field is a dataset (float64, int64, uint8 for flags, UTF-8
//     strings, complex128 as the compound {r, i} h5py reads as complex);
//   - a group field is a subgroup; a table is a subgroup holding one dataset
//     per row field, with the rows as the leading dimension.
#include <H5Cpp.h>

#include <cstddef>
#include <map>
#include <string>

#include "util/result_schema.hpp"

namespace rnnlab {

// Sizes the caller already knows, by symbol (N units, I inputs, O outputs).
using SymbolSizes = std::map<std::string, std::size_t>;

// Writes `node` (declared by `schema`) into `g`, replacing what is there under
// the declared names; an optional field absent from `node` is removed from `g`.
void write_result(H5::Group& g, const schema::Schema& schema, const schema::Node& node);

// Reads the result declared by `schema` from `g`. Throws InputError naming
// the file, the member, the shape found and the one expected when a required
// field is missing, has the wrong type, or disagrees with the declared shape
// (each symbol's size is the first one met, or `known`'s).
schema::Node read_result(const H5::Group& g, const schema::Schema& schema, const SymbolSizes& known = {});

}  // namespace rnnlab

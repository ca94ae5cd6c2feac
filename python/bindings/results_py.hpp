#pragma once
// Results cross into Python through their declaration (util/result_schema.hpp):
// a Node becomes nested dicts (groups, tables as dicts of columns) of NumPy
// arrays and Python scalars, which rnnlab/results.py turns into the dataclass
// the same declaration describes.
#include <pybind11/pybind11.h>

#include "util/result_schema.hpp"

namespace rnnlab::py_bind {

pybind11::dict node_to_python(const schema::Node& node);

template <class T>
pybind11::dict to_python(const schema::Declaration<T>& declaration, const T& result) {
  return node_to_python(declaration.write(result));
}

}  // namespace rnnlab::py_bind

// The declared results (util/result_schema.hpp) for Python: their field lists
// (`result_schemas()`, from which rnnlab/results.py builds the dataclasses)
// and the reader of stored results (`read_results`), the same C++ reader and
// shape checks the command line uses.
#include <pybind11/complex.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <H5Cpp.h>

#include <optional>
#include <tuple>
#include <vector>

#include "analysis/result_schemas.hpp"
#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "io/result_file.hpp"
#include "results_py.hpp"
#include "util/error.hpp"

namespace rnnlab::py_bind {

namespace py = pybind11;
using schema::Array;
using schema::Field;
using schema::Node;
using schema::Schema;
using schema::Type;

namespace {

// (seed, group, units, inputs, outputs): one result to read; -1 for a size not
// known; seed -1 for one of the file's own results (/analysis/<group>).
using ResultRequest = std::tuple<long long, std::string, long, long, long>;

template <class T>
py::array numpy(const std::vector<T>& data, const std::vector<std::size_t>& dims) {
  py::array_t<T> out(std::vector<py::ssize_t>(dims.begin(), dims.end()));
  std::copy(data.begin(), data.end(), out.mutable_data());
  return std::move(out);
}

py::object array_to_python(const Array& a) {
  if (a.dims.empty()) {
    switch (a.type) {
      case Type::real: return py::float_(a.reals.at(0));
      case Type::integer: return py::int_(a.integers.at(0));
      case Type::flag: return py::bool_(a.integers.at(0) != 0);
      case Type::text: return py::str(a.texts.at(0));
      case Type::complex: return py::cast(a.complexes.at(0));
    }
  }
  switch (a.type) {
    case Type::real: return numpy(a.reals, a.dims);
    case Type::integer: return numpy(a.integers, a.dims);
    case Type::flag: {
      std::vector<bool> flags(a.integers.begin(), a.integers.end());
      py::array_t<bool> out(std::vector<py::ssize_t>(a.dims.begin(), a.dims.end()));
      for (std::size_t i = 0; i < flags.size(); ++i) out.mutable_data()[i] = flags[i];
      return std::move(out);
    }
    case Type::complex: return numpy(a.complexes, a.dims);
    case Type::text: {
      py::list out;
      for (const auto& s : a.texts) out.append(s);
      return std::move(out);
    }
  }
  return py::none();
}

py::dict schema_to_python(const Schema& s, py::dict& all) {
  py::dict d;
  d["name"] = s.name;
  d["doc"] = s.doc;
  d["row_symbol"] = s.row_symbol;
  py::list fields;
  for (const Field& f : s.fields) {
    py::dict fd;
    fd["name"] = f.name;
    static const char* const kinds[] = {"value", "group", "table", "map"};
    fd["kind"] = kinds[static_cast<int>(f.kind)];
    fd["in_place"] = f.in_place;
    fd["type"] = schema::to_string(f.type);
    fd["shape"] = f.shape;
    fd["unit"] = f.unit;
    fd["doc"] = f.doc;
    fd["optional"] = f.optional;
    fd["alias"] = f.alias;
    fd["stored_as"] = f.stored_as.empty() ? f.name : f.stored_as;
    fd["part"] = f.part;
    fd["schema"] = f.schema ? py::object(py::str(f.schema->name)) : py::none();
    if (f.schema && !all.contains(f.schema->name)) all[py::str(f.schema->name)] = schema_to_python(*f.schema, all);
    fields.append(fd);
  }
  d["fields"] = fields;
  return d;
}

}  // namespace

py::dict node_to_python(const Node& node) {
  py::dict d;
  for (const auto& [name, a] : node.values) d[py::str(name)] = array_to_python(a);
  for (const Node& g : node.groups) d[py::str(g.name)] = node_to_python(g);
  return d;
}

void bind_results(py::module_& m) {
  m.def(
      "result_schemas",
      [] {
        // {"schemas": {class name: {name, doc, row_symbol, fields: [...]}}, "stored": {group: class name}
        // per network, "stored_file": {group: class name} for the file's own /analysis}
        py::dict all, stored, stored_file;
        for (const StoredResult& r : stored_results()) {
          all[py::str(r.schema->name)] = schema_to_python(*r.schema, all);
          (r.per_network ? stored : stored_file)[py::str(r.group)] = r.schema->name;
        }
        py::dict out;
        out["schemas"] = all;
        out["stored"] = stored;
        out["stored_file"] = stored_file;
        return out;
      },
      "The declared results: every field's name, type, shape, units and meaning.");
  m.def(
      "read_results",
      [](const std::string& path, const std::vector<ResultRequest>& requests) {
        std::vector<std::optional<Node>> nodes(requests.size());
        {
          py::gil_scoped_release release;
          std::lock_guard lock(h5_lock());
          try {
            const H5::H5File file(path, H5F_ACC_RDONLY);  // once for every result asked for
            for (std::size_t i = 0; i < requests.size(); ++i) {
              const auto& [seed, group, units, inputs, outputs] = requests[i];
              const Schema& declared = stored_result_schema(group);  // an unknown group is refused by name
              const std::string where =
                  (seed < 0 ? std::string() : "networks/" + std::to_string(seed) + "/") + "analysis/" + group;
              if (!h5::exists(file, where)) continue;
              SymbolSizes known;
              if (units >= 0) known["N"] = static_cast<std::size_t>(units);
              if (inputs >= 0) known["I"] = static_cast<std::size_t>(inputs);
              if (outputs >= 0) known["O"] = static_cast<std::size_t>(outputs);
              nodes[i] = read_result(file.openGroup(where), declared, known);
            }
          } catch (const H5::Exception& e) {
            throw InputError(path + ": cannot read the declared results: " + h5::message(e));
          }
        }
        py::list out;
        for (const auto& node : nodes) out.append(node ? py::object(node_to_python(*node)) : py::none());
        return out;
      },
      py::arg("path"), py::arg("requests"),
      "Results stored under /networks/<seed>/analysis/<group> (seed -1: the file's /analysis/<group>), one per "
      "request (seed, group, units, inputs, outputs; -1 for a size not known), as nested dicts with shapes checked (None where absent). The file is "
      "opened once.");
}

}  // namespace rnnlab::py_bind

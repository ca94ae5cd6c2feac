#include "io/result_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "io/h5.hpp"
#include "util/error.hpp"

namespace rnnlab {

namespace {

using schema::Array;
using schema::Field;
using schema::Node;
using schema::Schema;
using schema::Type;

std::vector<std::string> symbols_of(const std::string& shape) {
  std::istringstream in(shape);
  std::vector<std::string> out;
  for (std::string s; in >> s;) out.push_back(s);
  return out;
}

bool is_number(const std::string& symbol) {
  return !symbol.empty() && symbol.find_first_not_of("0123456789") == std::string::npos;
}

// The declared shape of a value: the row symbol in front inside a table.
std::vector<std::string> declared_symbols(const Field& f, const std::string& row_symbol) {
  std::vector<std::string> s = symbols_of(f.shape);
  if (!row_symbol.empty()) s.insert(s.begin(), row_symbol);
  return s;
}

void unlink_member(H5::Group& g, const std::string& name) {
  if (h5::exists(g, name)) g.unlink(name);
}

void remove_attr(H5::Group& g, const std::string& name) {
  if (g.attrExists(name)) g.removeAttr(name);
}

void write_attribute(H5::Group& g, const std::string& name, const Array& a) {
  switch (a.type) {
    case Type::real: h5::write_attr(g, name, a.reals.at(0)); break;
    case Type::integer:
    case Type::flag: h5::write_attr(g, name, static_cast<long>(a.integers.at(0))); break;
    case Type::text: h5::write_attr(g, name, a.texts.at(0)); break;
    case Type::complex:
      h5::write_attr(g, name + "_real", a.complexes.at(0).real());
      h5::write_attr(g, name + "_imag", a.complexes.at(0).imag());
      break;
  }
}

void write_dataset(H5::Group& g, const std::string& name, const Array& a) {
  const std::vector<hsize_t> dims(a.dims.begin(), a.dims.end());
  switch (a.type) {
    case Type::real: h5::write_array(g, name, dims, a.reals.data()); break;
    case Type::integer: h5::write_array(g, name, dims, a.integers.data()); break;
    case Type::flag: {
      const std::vector<unsigned char> bytes(a.integers.begin(), a.integers.end());
      h5::write_flags(g, name, dims, bytes.data());
      break;
    }
    case Type::complex: h5::write_array(g, name, dims, a.complexes.data()); break;
    case Type::text:
      if (dims.size() != 1) throw Error(h5::where(g, name) + ": only 1-D string arrays can be stored");
      h5::write_strings(g, name, a.texts);
      break;
  }
}

// The field's name in the file.
const std::string& stored(const Field& f) { return f.stored_as.empty() ? f.name : f.stored_as; }

void write_fields(H5::Group& g, const Schema& s, const Node& node, bool table);

// A map's entries, each a group named by its key: inside the subgroup `name`
// (replaced whole; left out when empty and optional), or in `g` itself
// (in_place: each entry replaced).
void write_map(H5::Group& g, const Field& f, const std::vector<const Node*>& entries) {
  if (!f.in_place) unlink_member(g, stored(f));
  if (f.optional && entries.empty()) return;
  H5::Group parent = f.in_place ? g : g.createGroup(stored(f));
  for (const Node* entry : entries) {
    unlink_member(parent, entry->name);
    H5::Group sub = parent.createGroup(entry->name);
    write_fields(sub, *f.schema, *entry, false);
  }
}

void write_fields(H5::Group& g, const Schema& s, const Node& node, bool table) {
  for (const Field& f : s.fields) {
    const std::string& name = stored(f);
    if (f.kind == Field::Kind::value) {
      const Array* a = node.value(f.name);
      const bool attribute = f.shape.empty() && !table;
      if (attribute) {
        if (f.type == Type::complex) remove_attr(g, name + "_real"), remove_attr(g, name + "_imag");
        else remove_attr(g, name);
        if (a) write_attribute(g, name, *a);
      } else {
        unlink_member(g, name);
        if (a) write_dataset(g, name, *a);
      }
      continue;
    }
    if (f.kind == Field::Kind::map) {
      write_map(g, f, schema::map_entries(node, s, f));
      continue;
    }
    unlink_member(g, name);  // a group is replaced whole
    if (const Node* child = node.group(f.name)) {
      H5::Group sub = g.createGroup(name);
      write_fields(sub, *f.schema, *child, f.kind == Field::Kind::table);
    }
  }
}

// ---- reading ----

struct Reader {
  SymbolSizes sizes;  // bound so far

  std::string expected(const std::vector<std::string>& symbols) const {
    std::string text = "(";
    std::string bound;
    for (std::size_t i = 0; i < symbols.size(); ++i) {
      text += (i ? ", " : "") + symbols[i];
      if (auto it = sizes.find(symbols[i]); it != sizes.end() && bound.find(symbols[i] + " =") == std::string::npos)
        bound += fmt::format("{}{} = {}", bound.empty() ? "" : ", ", symbols[i], it->second);
    }
    text += symbols.size() == 1 ? ",)" : ")";
    return bound.empty() ? text : text + " with " + bound;
  }

  // Checks `dims` against the declared symbols and binds the new ones.
  void check_shape(const H5::Group& g, const std::string& name, const std::vector<hsize_t>& dims,
                   const std::vector<std::string>& symbols) {
    const std::string found = h5::shape_text(dims);
    if (dims.size() != symbols.size())
      throw InputError(fmt::format("{}: shape {}, expected {}", h5::where(g, name), found, expected(symbols)));
    // An empty array (no rows) says nothing about the other sizes.
    std::size_t count = 1;
    for (hsize_t d : dims) count *= d;
    SymbolSizes bound = sizes;
    for (std::size_t i = 0; i < dims.size(); ++i) {
      if (is_number(symbols[i])) {  // a fixed size, e.g. "E 2"
        if (std::to_string(dims[i]) != symbols[i])
          throw InputError(fmt::format("{}: shape {}, expected {}", h5::where(g, name), found, expected(symbols)));
        continue;
      }
      auto [it, fresh] = bound.emplace(symbols[i], dims[i]);
      if (!fresh && it->second != dims[i] && (count > 0 || i == 0))
        throw InputError(fmt::format("{}: shape {}, expected {}", h5::where(g, name), found, expected(symbols)));
    }
    if (count > 0) sizes = std::move(bound);
  }

  Array read_attribute(const H5::Group& g, const Field& f) {
    const std::string& name = stored(f);
    Array a;
    a.type = f.type;
    switch (f.type) {
      case Type::real: a.reals = {h5::read_double_attr(g, name)}; break;
      case Type::integer:
      case Type::flag: {
        // Integers written by other tools as floats are accepted when whole.
        const double v = h5::read_double_attr(g, name);
        if (v != std::floor(v))
          throw InputError(fmt::format("{}: expected an integer, found {}", h5::where(g, "@" + name), v));
        a.integers = {static_cast<long long>(v)};
        break;
      }
      case Type::text: a.texts = {h5::read_string_attr(g, name)}; break;
      case Type::complex:
        a.complexes = {{h5::read_double_attr(g, name + "_real"), h5::read_double_attr(g, name + "_imag")}};
        break;
    }
    return a;
  }

  Array read_dataset(const H5::Group& g, const Field& f, const std::vector<std::string>& symbols) {
    const std::string& name = stored(f);
    Array a;
    a.type = f.type;
    std::vector<hsize_t> dims;
    const H5T_class_t cls = h5::dataset_class(g, name);
    auto wrong_type = [&](const char* what) {
      return InputError(fmt::format("{}: expected {} values ({}), found another type", h5::where(g, name),
                                    schema::to_string(f.type), what));
    };
    switch (f.type) {
      case Type::real: a.reals = h5::read_doubles(g, name, dims); break;
      case Type::integer:
      case Type::flag:
        if (cls == H5T_INTEGER) {
          a.integers = h5::read_integers(g, name, dims);
        } else if (cls == H5T_FLOAT) {
          for (double v : h5::read_doubles(g, name, dims)) {
            if (v != std::floor(v)) throw wrong_type("whole numbers");
            a.integers.push_back(static_cast<long long>(v));
          }
        } else {
          throw wrong_type("integers");
        }
        break;
      case Type::complex: a.complexes = h5::read_complexes(g, name, dims); break;
      case Type::text:
        if (cls != H5T_STRING) throw wrong_type("strings");
        a.texts = h5::read_strings(g, name);
        dims = {static_cast<hsize_t>(a.texts.size())};
        break;
    }
    check_shape(g, name, dims, symbols);
    a.dims.assign(dims.begin(), dims.end());
    return a;
  }

  bool present(const H5::Group& g, const Field& f, bool attribute) const {
    const std::string& name = stored(f);
    if (f.kind == Field::Kind::map && f.in_place) return true;  // no entries is an empty map
    if (!attribute) return h5::exists(g, name);
    return f.type == Type::complex ? g.attrExists(name + "_real") && g.attrExists(name + "_imag")
                                   : g.attrExists(name);
  }

  // A group declared by `s`: its local symbols bound afresh inside, and
  // forgotten after it (the sizes bound before come back).
  Node read_group(const H5::Group& g, const Schema& s, const std::string& row_symbol) {
    SymbolSizes before;
    for (const std::string& l : s.local_symbols)
      if (auto it = sizes.find(l); it != sizes.end()) before.insert(*it), sizes.erase(it);
    Node node = read(g, s, row_symbol);
    for (const std::string& l : s.local_symbols) sizes.erase(l);
    sizes.insert(before.begin(), before.end());
    return node;
  }

  // A map's entries: the subgroups of `name` (in_place: those of `g` that no
  // other field of `s` names).
  Node read_map(const H5::Group& g, const Schema& s, const Field& f) {
    const H5::Group parent = f.in_place ? g : g.openGroup(stored(f));
    std::vector<std::string> others;
    if (f.in_place)
      for (const Field& o : s.fields)
        if (o.kind != Field::Kind::value) others.push_back(stored(o));
    Node entries;
    entries.name = f.name;
    for (hsize_t i = 0; i < parent.getNumObjs(); ++i) {
      const std::string key = parent.getObjnameByIdx(i);
      if (parent.childObjType(key) != H5O_TYPE_GROUP) continue;
      if (std::find(others.begin(), others.end(), key) != others.end()) continue;
      Node entry = read_group(parent.openGroup(key), *f.schema, "");
      entry.name = key;
      entries.groups.push_back(std::move(entry));
    }
    return entries;
  }

  Node read(const H5::Group& g, const Schema& s, const std::string& row_symbol) {
    Node node;
    for (const Field& f : s.fields) {
      const bool attribute = f.kind == Field::Kind::value && f.shape.empty() && row_symbol.empty();
      if (!present(g, f, attribute)) {
        if (f.optional) continue;
        throw InputError(fmt::format("{}: missing ({} {}; the file was not written by this version of rnnlab, "
                                     "or is damaged)",
                                     h5::where(g, attribute ? "@" + stored(f) : stored(f)),
                                     f.kind == Field::Kind::value ? "the field" : "the group", stored(f)));
      }
      if (f.kind == Field::Kind::value) {
        node.values.emplace_back(f.name, attribute ? read_attribute(g, f)
                                                   : read_dataset(g, f, declared_symbols(f, row_symbol)));
        continue;
      }
      if (f.kind == Field::Kind::map) {
        Node entries = read_map(g, s, f);
        if (!f.in_place) node.groups.push_back(std::move(entries));
        else for (Node& e : entries.groups) node.groups.push_back(std::move(e));
        continue;
      }
      const H5::Group sub = g.openGroup(stored(f));
      Node child = read_group(sub, *f.schema, f.kind == Field::Kind::table ? f.schema->row_symbol : std::string());
      child.name = f.name;
      node.groups.push_back(std::move(child));
    }
    return node;
  }
};

}  // namespace

void write_result(H5::Group& g, const Schema& schema, const Node& node) { write_fields(g, schema, node, false); }

Node read_result(const H5::Group& g, const Schema& schema, const SymbolSizes& known) {
  Reader reader{known};
  try {
    return reader.read(g, schema, "");
  } catch (const H5::Exception& e) {
    throw InputError(fmt::format("{}: cannot read the {} result: {}", h5::where(g, "."), schema.name, h5::message(e)));
  }
}

}  // namespace rnnlab

#pragma once
// One declaration per result type (docs/architecture.md "Add a result field").
//
// A result (a spectrum, the fixed points of a network, ...) is declared once,
// field by field: its name, element type, shape, units, meaning, and where the
// value lives in the C++ struct. Everything else derives from that list:
//   - `Declaration<T>::write` turns a T into a Node, a tree of named arrays
//     (this file, no HDF5);
//   - io/result_file.hpp writes a Node into an HDF5 group (scalars as
//     attributes, arrays as datasets, groups as groups) and reads one back,
//     checking every array's shape against the declared one;
//   - `Declaration<T>::read` turns a Node back into a T;
//   - the Python module hands a Node out as nested dicts of NumPy arrays, and
//     rnnlab/results.py builds each result's dataclass, with its docstring,
//     from the same field list (`_core.result_schemas()`).
// Adding a field to a result is one line in its declaration.
//
// Shapes are written with symbols, e.g. "N" (a vector over units), "N N",
// "P N" (one row per point). The reader binds each symbol to the first size it
// meets (or to a size the caller knows: N units, I inputs, O outputs) and
// refuses an array that disagrees, naming the file, the dataset, the shape
// found and the one expected.
#include <Eigen/Dense>
#include <complex>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "util/error.hpp"

namespace rnnlab::schema {

// The element type of a value. In HDF5: float64, int64, uint8, a UTF-8
// string, and the compound {r, i} that h5py reads as complex128.
enum class Type { real, integer, flag, text, complex };
const char* to_string(Type type);

// A scalar (dims empty) or an n-dimensional array in row-major order (the
// order of HDF5 and NumPy). The vector matching `type` holds the elements
// (`integers` for both integer and flag).
struct Array {
  Type type = Type::real;
  std::vector<std::size_t> dims;
  std::vector<double> reals;
  std::vector<long long> integers;
  std::vector<std::complex<double>> complexes;
  std::vector<std::string> texts;

  // Elements: the product of dims (1 for a scalar).
  std::size_t size() const;
};

// A group: named arrays and named subgroups, in the order they were declared.
struct Node {
  std::string name;
  std::vector<std::pair<std::string, Array>> values;
  std::vector<Node> groups;

  const Array* value(const std::string& key) const;
  const Node* group(const std::string& key) const;
};

struct Schema;

// One field of a result.
struct Field {
  // map: a group whose children are named at run time (a perturbation's
  // name, a condition's index), each following the field's one schema.
  enum class Kind { value, group, table, map };
  std::string name;   // in the file, in Python and in messages
  Kind kind = Kind::value;
  Type type = Type::real;
  // value: "" for a scalar (stored as an attribute), else the dimension
  // symbols separated by spaces (a dataset). In a table's row schema, the
  // shape of one row's value (the table adds the row symbol in front).
  std::string shape;
  std::string unit;   // "" when dimensionless
  std::string doc;    // what it means
  // May be absent: not applicable to this result (e.g. no complex pair), or
  // a file written before the field existed. A required field that is
  // missing is an error naming it.
  bool optional = false;
  // The name Python used for it before (kept there as a read-only property).
  std::string alias;
  // Its name in the file when that differs from `name` (older files chose
  // names that collide in one namespace, e.g. the attribute `starts`, a
  // count, beside the group `starts/`).
  std::string stored_as;
  // The declaration it was embedded from (embed below), e.g. the summary
  // counts of a result; empty for its own fields.
  std::string part;
  // map only: the children sit in this result's own group, beside its
  // other members (older files put them there), not in a subgroup `name`.
  bool in_place = false;
  // group, table and map: the fields inside (of each child, for a map).
  std::shared_ptr<const Schema> schema;
};

struct Schema {
  std::string name;        // the Python class name, e.g. "Spectrum"
  std::string doc;
  std::string row_symbol;  // a table's rows: the symbol that counts them (e.g. "P")
  // Symbols whose sizes are this group's own (each input's attractors "A",
  // each condition's steps "T"): bound afresh in each instance of the group,
  // not checked against, nor carried to, the rest of the result.
  std::vector<std::string> local_symbols;
  std::vector<Field> fields;
};

// ---- C++ values <-> Array ----
// Each supported member type, with its element type and rank.

Array to_array(double v);
Array to_array(long long v);
inline Array to_array(long v) { return to_array(static_cast<long long>(v)); }
inline Array to_array(int v) { return to_array(static_cast<long long>(v)); }
Array to_array(bool v);
Array to_array(const std::string& v);
Array to_array(std::complex<double> v);
Array to_array(const Eigen::VectorXd& v);
Array to_array(const Eigen::VectorXcd& v);
Array to_array(const Eigen::MatrixXd& m);
Array to_array(const Eigen::MatrixXcd& m);
Array to_array(const std::vector<double>& v);
Array to_array(const std::vector<long long>& v);
Array to_array(const std::vector<int>& v);
Array to_array(const std::vector<std::string>& v);

void from_array(const Array& a, double& v);
void from_array(const Array& a, long long& v);
void from_array(const Array& a, long& v);
void from_array(const Array& a, int& v);
void from_array(const Array& a, bool& v);
void from_array(const Array& a, std::string& v);
void from_array(const Array& a, std::complex<double>& v);
void from_array(const Array& a, Eigen::VectorXd& v);
void from_array(const Array& a, Eigen::VectorXcd& v);
void from_array(const Array& a, Eigen::MatrixXd& m);
void from_array(const Array& a, Eigen::MatrixXcd& m);
void from_array(const Array& a, std::vector<double>& v);
void from_array(const Array& a, std::vector<long long>& v);
void from_array(const Array& a, std::vector<int>& v);
void from_array(const Array& a, std::vector<std::string>& v);

// The element type a C++ member type is stored as.
template <class M> constexpr Type type_of() {
  if constexpr (std::is_same_v<M, bool>) return Type::flag;
  else if constexpr (std::is_integral_v<M>) return Type::integer;
  else if constexpr (std::is_floating_point_v<M>) return Type::real;
  else if constexpr (std::is_same_v<M, std::string> || std::is_same_v<M, std::vector<std::string>>) return Type::text;
  else if constexpr (std::is_same_v<M, std::complex<double>> || std::is_same_v<M, Eigen::VectorXcd> ||
                     std::is_same_v<M, Eigen::MatrixXcd>) return Type::complex;
  else if constexpr (std::is_same_v<M, std::vector<long long>> || std::is_same_v<M, std::vector<int>>) return Type::integer;
  else return Type::real;
}

// Rows of a table: row i of every value stacked as one array with a leading
// dimension (all rows must have the same shape per field), and back.
Node stack_rows(const std::vector<Node>& rows, const Schema& row_schema);
std::vector<Node> split_rows(const Node& table, const Schema& row_schema);

// The entries of the map `f` of `n` (declared by `s`): the groups of the
// group f.name, or for an in-place map the groups of `n` no field of `s` names.
std::vector<const Node*> map_entries(const Node& n, const Schema& s, const Field& f);

// ---- The declaration of one result type ----

template <class T>
class Declaration {
 public:
  Declaration(std::string name, std::string doc) : schema_(std::make_shared<Schema>()) {
    schema_->name = std::move(name);
    schema_->doc = std::move(doc);
  }

  const Schema& schema() const { return *schema_; }
  std::shared_ptr<const Schema> shared_schema() const { return schema_; }

  // The result as a Node (fields in declaration order; optional groups that
  // do not apply are left out).
  Node write(const T& x) const {
    Node n;
    for (const auto& w : writers_) w(x, n);
    return n;
  }
  // Fills x from a Node (fields missing from the Node keep x's values).
  void read(const Node& n, T& x) const {
    for (const auto& r : readers_) r(n, x);
  }
  T read(const Node& n) const {
    T x{};
    read(n, x);
    return x;
  }

  // A field stored in member `m`.
  template <class M>
  Declaration& field(std::string name, M T::*m, std::string shape, std::string unit, std::string doc) {
    return field<M>(
        std::move(name), [m](const T& x) -> M { return x.*m; }, [m](T& x, const M& v) { x.*m = v; },
        std::move(shape), std::move(unit), std::move(doc));
  }
  // A field with its own accessors (an enum stored as its name, a flag
  // stored as a word). `set` may be empty: computed from the other fields,
  // written for readers of the file, not read back.
  template <class M>
  Declaration& field(std::string name, std::function<M(const T&)> get, std::function<void(T&, const M&)> set,
                     std::string shape, std::string unit, std::string doc) {
    add_value(name, type_of<M>(), std::move(shape), std::move(unit), std::move(doc));
    writers_.push_back([name, get](const T& x, Node& n) { n.values.emplace_back(name, to_array(get(x))); });
    if (set)
      readers_.push_back([name, set](const Node& n, T& x) {
        if (const Array* a = n.value(name)) {
          M v{};
          from_array(*a, v);
          set(x, v);
        }
      });
    return *this;
  }
  // A field reached through `ref`, a generic lambda returning a reference into
  // T (a nested member, e.g. [](auto& o) -> auto& { return o.lyapunov.steps; }).
  // Integers are stored as int64 whatever their C++ width.
  template <class Ref>
  Declaration& field_at(std::string name, Ref ref, std::string shape, std::string unit, std::string doc) {
    using M = std::remove_cv_t<std::remove_reference_t<decltype(ref(std::declval<T&>()))>>;
    using Stored = std::conditional_t<std::is_integral_v<M> && !std::is_same_v<M, bool>, long long, M>;
    return field<Stored>(
        std::move(name), [ref](const T& x) -> Stored { return static_cast<Stored>(ref(x)); },
        [ref](T& x, const Stored& v) { ref(x) = static_cast<M>(v); }, std::move(shape), std::move(unit),
        std::move(doc));
  }
  // A field that applies to some results only: written when `m` holds a value.
  template <class M>
  Declaration& optional_field(std::string name, std::optional<M> T::*m, std::string shape, std::string unit,
                              std::string doc) {
    add_value(name, type_of<M>(), std::move(shape), std::move(unit), std::move(doc));
    schema_->fields.back().optional = true;
    writers_.push_back([name, m](const T& x, Node& n) {
      if ((x.*m).has_value()) n.values.emplace_back(name, to_array(*(x.*m)));
    });
    readers_.push_back([name, m](const Node& n, T& x) {
      if (const Array* a = n.value(name)) {
        M v{};
        from_array(*a, v);
        x.*m = v;
      }
    });
    return *this;
  }
  // A subgroup holding member `m`.
  template <class S>
  Declaration& group(std::string name, S T::*m, const Declaration<S>& d, std::string doc) {
    return optional_group<S>(
        std::move(name), [m](const T& x) -> const S* { return &(x.*m); }, [m](T& x) -> S& { return x.*m; }, d,
        std::move(doc), false);
  }
  // A subgroup that may be absent: `get` returns null when it does not apply,
  // `set` gives the member to read it into (and records that it is present).
  template <class S>
  Declaration& optional_group(std::string name, std::function<const S*(const T&)> get, std::function<S&(T&)> set,
                              const Declaration<S>& d, std::string doc, bool optional = true) {
    add_child(name, Field::Kind::group, std::move(doc), d.shared_schema()).optional = optional;
    writers_.push_back([name, get, d](const T& x, Node& n) {
      if (const S* s = get(x)) {
        Node g = d.write(*s);
        g.name = name;
        n.groups.push_back(std::move(g));
      }
    });
    readers_.push_back([name, set, d](const Node& n, T& x) {
      if (const Node* g = n.group(name)) d.read(*g, set(x));
    });
    return *this;
  }
  // A subgroup that may be absent, held in an optional member.
  template <class S>
  Declaration& optional_group(std::string name, std::optional<S> T::*m, const Declaration<S>& d, std::string doc) {
    return optional_group<S>(
        std::move(name), [m](const T& x) -> const S* { return (x.*m) ? &*(x.*m) : nullptr; },
        [m](T& x) -> S& { return (x.*m).emplace(); }, d, std::move(doc));
  }
  // A table: one row per element of member `m`, each field of `rows` stored
  // as one array with a leading dimension counted by rows' row_symbol.
  template <class R>
  Declaration& table(std::string name, std::vector<R> T::*m, const Declaration<R>& rows, std::string doc) {
    add_child(name, Field::Kind::table, std::move(doc), rows.shared_schema());
    writers_.push_back([name, m, rows](const T& x, Node& n) {
      std::vector<Node> each;
      for (const R& r : x.*m) each.push_back(rows.write(r));
      Node g = stack_rows(each, rows.schema());
      g.name = name;
      n.groups.push_back(std::move(g));
    });
    readers_.push_back([name, m, rows](const Node& n, T& x) {
      if (const Node* g = n.group(name)) {
        (x.*m).clear();
        for (const Node& r : split_rows(*g, rows.schema())) (x.*m).push_back(rows.read(r));
      }
    });
    return *this;
  }
  // A map of groups: one subgroup per entry of member `m`, named by its key,
  // each declared by `d`, inside a group `name`; or, in_place(), beside this
  // result's other members (in the file, the Node and Python alike): then
  // every subgroup that no other field names is an entry.
  template <class S>
  Declaration& group_map(std::string name, std::map<std::string, S> T::*m, const Declaration<S>& d,
                         std::string doc) {
    add_child(name, Field::Kind::map, std::move(doc), d.shared_schema());
    const std::shared_ptr<const Schema> self = schema_;
    const std::size_t index = schema_->fields.size() - 1;
    writers_.push_back([name, m, d, self, index](const T& x, Node& n) {
      Node g;
      g.name = name;
      for (const auto& [key, value] : x.*m) {
        Node child = d.write(value);
        child.name = key;
        g.groups.push_back(std::move(child));
      }
      if (!self->fields[index].in_place) n.groups.push_back(std::move(g));
      else for (Node& child : g.groups) n.groups.push_back(std::move(child));
    });
    readers_.push_back([m, d, self, index](const Node& n, T& x) {
      (x.*m).clear();
      for (const Node* entry : map_entries(n, *self, self->fields[index])) d.read(*entry, (x.*m)[entry->name]);
    });
    return *this;
  }
  // The fields of `d` written directly into this group (not a subgroup),
  // from member `m`: a result that extends another one.
  template <class S>
  Declaration& embed(S T::*m, const Declaration<S>& d) {
    for (Field f : d.schema().fields) {
      if (f.part.empty()) f.part = d.schema().name;
      schema_->fields.push_back(std::move(f));
    }
    writers_.push_back([m, d](const T& x, Node& n) {
      Node inner = d.write(x.*m);
      for (auto& v : inner.values) n.values.push_back(std::move(v));
      for (auto& g : inner.groups) n.groups.push_back(std::move(g));
    });
    readers_.push_back([m, d](const Node& n, T& x) { d.read(n, x.*m); });
    return *this;
  }

  // Modifiers of the field declared last.
  Declaration& optional() {
    schema_->fields.back().optional = true;
    return *this;
  }
  Declaration& alias(std::string old_python_name) {
    schema_->fields.back().alias = std::move(old_python_name);
    return *this;
  }
  Declaration& stored_as(std::string file_name) {
    schema_->fields.back().stored_as = std::move(file_name);
    return *this;
  }
  // A map's children stored in this group itself (Field::in_place).
  Declaration& in_place() {
    schema_->fields.back().in_place = true;
    return *this;
  }
  // Symbols local to each instance of this group (Schema::local_symbols).
  Declaration& local_symbols(std::vector<std::string> symbols) {
    schema_->local_symbols = std::move(symbols);
    return *this;
  }
  // For a row schema: the symbol its table's rows are counted by.
  Declaration& rows_counted_by(std::string symbol) {
    schema_->row_symbol = std::move(symbol);
    return *this;
  }

 private:
  // A group, table or map field declared by `inner`.
  Field& add_child(const std::string& name, Field::Kind kind, std::string doc, std::shared_ptr<const Schema> inner) {
    Field f;
    f.name = name;
    f.kind = kind;
    f.doc = std::move(doc);
    f.schema = std::move(inner);
    schema_->fields.push_back(std::move(f));
    return schema_->fields.back();
  }
  void add_value(const std::string& name, Type type, std::string shape, std::string unit, std::string doc) {
    Field f;
    f.name = name;
    f.type = type;
    f.shape = std::move(shape);
    f.unit = std::move(unit);
    f.doc = std::move(doc);
    schema_->fields.push_back(std::move(f));
  }

  std::shared_ptr<Schema> schema_;
  std::vector<std::function<void(const T&, Node&)>> writers_;
  std::vector<std::function<void(const Node&, T&)>> readers_;
};

}  // namespace rnnlab::schema

#include "util/result_schema.hpp"

#include <algorithm>

namespace rnnlab::schema {

const char* to_string(Type type) {
  switch (type) {
    case Type::real: return "float64";
    case Type::integer: return "int64";
    case Type::flag: return "bool";
    case Type::text: return "str";
    case Type::complex: return "complex128";
  }
  return "?";
}

std::size_t Array::size() const {
  std::size_t n = 1;
  for (std::size_t d : dims) n *= d;
  return n;
}

const Array* Node::value(const std::string& key) const {
  for (const auto& [name, a] : values)
    if (name == key) return &a;
  return nullptr;
}

const Node* Node::group(const std::string& key) const {
  for (const Node& g : groups)
    if (g.name == key) return &g;
  return nullptr;
}

namespace {

Array scalar(Type type) {
  Array a;
  a.type = type;
  return a;
}

// Eigen is column-major; arrays are row-major (as h5py and NumPy show them).
template <class Matrix, class Element>
std::vector<Element> row_major(const Matrix& m) {
  std::vector<Element> out(static_cast<std::size_t>(m.size()));
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) out[static_cast<std::size_t>(i * m.cols() + j)] = m(i, j);
  return out;
}

void require(const Array& a, Type type, std::size_t rank, const char* what) {
  const bool numeric_ok = (type == Type::real && (a.type == Type::integer || a.type == Type::flag)) ||
                          (type == Type::integer && a.type == Type::flag) || (type == Type::flag && a.type == Type::integer);
  if (a.type != type && !numeric_ok)
    throw InputError(std::string("expected ") + to_string(type) + " values for " + what + ", found " +
                     to_string(a.type));
  if (a.dims.size() != rank)
    throw InputError(std::string("expected ") + std::to_string(rank) + " dimension(s) for " + what + ", found " +
                     std::to_string(a.dims.size()));
}

// Element i of a numeric array as a double, whatever its stored type.
double real_at(const Array& a, std::size_t i) {
  return a.type == Type::real ? a.reals.at(i) : static_cast<double>(a.integers.at(i));
}

}  // namespace

Array to_array(double v) {
  Array a = scalar(Type::real);
  a.reals = {v};
  return a;
}
Array to_array(long long v) {
  Array a = scalar(Type::integer);
  a.integers = {v};
  return a;
}
Array to_array(bool v) {
  Array a = scalar(Type::flag);
  a.integers = {v ? 1 : 0};
  return a;
}
Array to_array(const std::string& v) {
  Array a = scalar(Type::text);
  a.texts = {v};
  return a;
}
Array to_array(std::complex<double> v) {
  Array a = scalar(Type::complex);
  a.complexes = {v};
  return a;
}
Array to_array(const Eigen::VectorXd& v) {
  Array a = scalar(Type::real);
  a.dims = {static_cast<std::size_t>(v.size())};
  a.reals.assign(v.data(), v.data() + v.size());
  return a;
}
Array to_array(const Eigen::VectorXcd& v) {
  Array a = scalar(Type::complex);
  a.dims = {static_cast<std::size_t>(v.size())};
  a.complexes.assign(v.data(), v.data() + v.size());
  return a;
}
Array to_array(const Eigen::MatrixXd& m) {
  Array a = scalar(Type::real);
  a.dims = {static_cast<std::size_t>(m.rows()), static_cast<std::size_t>(m.cols())};
  a.reals = row_major<Eigen::MatrixXd, double>(m);
  return a;
}
Array to_array(const Eigen::MatrixXcd& m) {
  Array a = scalar(Type::complex);
  a.dims = {static_cast<std::size_t>(m.rows()), static_cast<std::size_t>(m.cols())};
  a.complexes = row_major<Eigen::MatrixXcd, std::complex<double>>(m);
  return a;
}
Array to_array(const std::vector<double>& v) {
  Array a = scalar(Type::real);
  a.dims = {v.size()};
  a.reals = v;
  return a;
}
Array to_array(const std::vector<long long>& v) {
  Array a = scalar(Type::integer);
  a.dims = {v.size()};
  a.integers = v;
  return a;
}
Array to_array(const std::vector<int>& v) {
  Array a = scalar(Type::integer);
  a.dims = {v.size()};
  a.integers.assign(v.begin(), v.end());
  return a;
}
Array to_array(const std::vector<std::string>& v) {
  Array a = scalar(Type::text);
  a.dims = {v.size()};
  a.texts = v;
  return a;
}

void from_array(const Array& a, double& v) {
  require(a, Type::real, 0, "a number");
  v = real_at(a, 0);
}
void from_array(const Array& a, long long& v) {
  require(a, Type::integer, 0, "an integer");
  v = a.integers.at(0);
}
void from_array(const Array& a, long& v) {
  long long w = 0;
  from_array(a, w);
  v = static_cast<long>(w);
}
void from_array(const Array& a, int& v) {
  long long w = 0;
  from_array(a, w);
  v = static_cast<int>(w);
}
void from_array(const Array& a, bool& v) {
  require(a, Type::flag, 0, "a flag");
  v = a.integers.at(0) != 0;
}
void from_array(const Array& a, std::string& v) {
  require(a, Type::text, 0, "a string");
  v = a.texts.at(0);
}
void from_array(const Array& a, std::complex<double>& v) {
  require(a, Type::complex, 0, "a complex number");
  v = a.complexes.at(0);
}
void from_array(const Array& a, Eigen::VectorXd& v) {
  require(a, Type::real, 1, "a vector");
  v.resize(static_cast<Eigen::Index>(a.dims[0]));
  for (std::size_t i = 0; i < a.dims[0]; ++i) v(static_cast<Eigen::Index>(i)) = real_at(a, i);
}
void from_array(const Array& a, Eigen::VectorXcd& v) {
  require(a, Type::complex, 1, "a complex vector");
  v = Eigen::Map<const Eigen::VectorXcd>(a.complexes.data(), static_cast<Eigen::Index>(a.dims[0]));
}
void from_array(const Array& a, Eigen::MatrixXd& m) {
  require(a, Type::real, 2, "a matrix");
  m.resize(static_cast<Eigen::Index>(a.dims[0]), static_cast<Eigen::Index>(a.dims[1]));
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) m(i, j) = real_at(a, static_cast<std::size_t>(i * m.cols() + j));
}
void from_array(const Array& a, Eigen::MatrixXcd& m) {
  require(a, Type::complex, 2, "a complex matrix");
  m.resize(static_cast<Eigen::Index>(a.dims[0]), static_cast<Eigen::Index>(a.dims[1]));
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) m(i, j) = a.complexes.at(static_cast<std::size_t>(i * m.cols() + j));
}
void from_array(const Array& a, std::vector<double>& v) {
  require(a, Type::real, 1, "a vector");
  v.resize(a.dims[0]);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = real_at(a, i);
}
void from_array(const Array& a, std::vector<long long>& v) {
  require(a, Type::integer, 1, "an integer vector");
  v = a.integers;
}
void from_array(const Array& a, std::vector<int>& v) {
  require(a, Type::integer, 1, "an integer vector");
  v.assign(a.integers.begin(), a.integers.end());
}
void from_array(const Array& a, std::vector<std::string>& v) {
  require(a, Type::text, 1, "a list of strings");
  v = a.texts;
}

namespace {

// Appends all of `a`'s elements to `out`.
void append_elements(const Array& a, Array& out) {
  out.reals.insert(out.reals.end(), a.reals.begin(), a.reals.end());
  out.integers.insert(out.integers.end(), a.integers.begin(), a.integers.end());
  out.complexes.insert(out.complexes.end(), a.complexes.begin(), a.complexes.end());
  out.texts.insert(out.texts.end(), a.texts.begin(), a.texts.end());
}

void copy_elements(const Array& a, std::size_t from, std::size_t count, Array& out) {
  auto take = [&](const auto& src, auto& dst) {
    if (!src.empty()) dst.assign(src.begin() + static_cast<long>(from), src.begin() + static_cast<long>(from + count));
  };
  take(a.reals, out.reals);
  take(a.integers, out.integers);
  take(a.complexes, out.complexes);
  take(a.texts, out.texts);
}

std::size_t rank_of(const std::string& shape) {
  std::size_t rank = 0;
  bool in_word = false;
  for (char c : shape) {
    if (c != ' ' && !in_word) ++rank;
    in_word = c != ' ';
  }
  return rank;
}

}  // namespace

Node stack_rows(const std::vector<Node>& rows, const Schema& row_schema) {
  Node table;
  for (const Field& f : row_schema.fields) {
    if (f.kind != Field::Kind::value) throw Error("a table's row may hold values only: " + f.name);
    Array out;
    out.type = f.type;
    if (rows.empty()) {
      // No rows: the declared rank with every size 0 (the row sizes are unknown).
      out.dims.assign(1 + rank_of(f.shape), 0);
    } else {
      const Array* first = rows.front().value(f.name);
      if (!first) throw Error("table row without '" + f.name + "'");
      out.dims = first->dims;
      out.dims.insert(out.dims.begin(), rows.size());
      for (const Node& r : rows) {
        const Array* a = r.value(f.name);
        if (!a || a->dims != first->dims)
          throw Error("the rows of a table must have the same shape per field ('" + f.name + "')");
        append_elements(*a, out);
      }
    }
    table.values.emplace_back(f.name, std::move(out));
  }
  return table;
}

std::vector<Node> split_rows(const Node& table, const Schema& row_schema) {
  std::size_t count = 0;
  bool known = false;
  for (const auto& [name, a] : table.values) {
    if (a.dims.empty()) throw InputError("table field '" + name + "' is a scalar; expected one value per row");
    if (!known) count = a.dims[0], known = true;
    else if (a.dims[0] != count)
      throw InputError("table field '" + name + "' has " + std::to_string(a.dims[0]) + " rows, the others " +
                       std::to_string(count));
  }
  std::vector<Node> rows(count);
  for (const Field& f : row_schema.fields) {
    const Array* a = table.value(f.name);
    if (!a) continue;
    Array row;
    row.type = a->type;
    row.dims.assign(a->dims.begin() + 1, a->dims.end());
    const std::size_t per_row = row.size();
    for (std::size_t i = 0; i < count; ++i) {
      Array r = row;
      copy_elements(*a, i * per_row, per_row, r);
      rows[i].values.emplace_back(f.name, std::move(r));
    }
  }
  return rows;
}

std::vector<const Node*> map_entries(const Node& n, const Schema& s, const Field& f) {
  std::vector<const Node*> out;
  if (!f.in_place) {
    if (const Node* m = n.group(f.name))
      for (const Node& g : m->groups) out.push_back(&g);
    return out;
  }
  for (const Node& g : n.groups) {
    bool declared = false;
    for (const Field& other : s.fields) declared = declared || (other.kind != Field::Kind::value && other.name == g.name);
    if (!declared) out.push_back(&g);
  }
  return out;
}

}  // namespace rnnlab::schema

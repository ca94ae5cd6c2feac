// The experiment file read generically for the report: every group becomes a
// JSON object whose "@" member holds its attributes and whose other members
// are its subgroups and datasets. A dataset is {"shape": [...], "data": ...}
// (nested row-major arrays, strings as strings), complex ones (compound {r, i},
// docs/file-format.md) {"shape", "re", "im"}, and one left out of the page
// {"shape", "omitted": why}. Nothing here knows an analysis's C++ struct.
#include "report/report_data.hpp"

#include <H5Cpp.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>

#include "io/experiment_file.hpp"
#include "util/error.hpp"

namespace rnnlab::report {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const char* const kExpected = "an rnnlab experiment file (from rnnlab train, run or import)";

// How much of a dataset the page gets: all of it at `digits` significant
// digits, or nothing (include = false) with a note saying why.
struct Take {
  bool include = true;
  int digits = 6;
};
// (path inside the walked group, e.g. "analysis/spectrum/trained/eigenvalues"; name; element count)
using Policy = std::function<Take(const std::string&, const std::string&, std::size_t)>;

// Rounds to `digits` significant digits, so that the JSON writer's shortest
// round-trip text is short: a heatmap needs 3 digits, not 17.
double round_digits(double x, int digits) {
  if (!std::isfinite(x) || x == 0.0) return x;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  return std::strtod(buf, nullptr);
}

// Flat row-major values -> nested arrays of `dims` (a scalar for rank 0).
json nest(const std::vector<json>& flat, const std::vector<hsize_t>& dims, std::size_t level, std::size_t& pos) {
  if (level == dims.size()) return flat[pos++];
  json out = json::array();
  for (hsize_t k = 0; k < dims[level]; ++k) out.push_back(nest(flat, dims, level + 1, pos));
  return out;
}
json nest(const std::vector<json>& flat, const std::vector<hsize_t>& dims) {
  std::size_t pos = 0;
  return nest(flat, dims, 0, pos);
}

std::vector<hsize_t> dims_of(const H5::DataSpace& space) {
  const int rank = space.getSimpleExtentNdims();
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank > 0) space.getSimpleExtentDims(dims.data());
  return dims;
}
std::size_t count_of(const std::vector<hsize_t>& dims) {
  std::size_t n = 1;
  for (hsize_t d : dims) n *= static_cast<std::size_t>(d);
  return n;
}

bool is_complex(const H5::CompType& type) {
  if (type.getNmembers() != 2) return false;
  return type.getMemberName(0) == "r" && type.getMemberName(1) == "i" &&
         type.getMemberClass(0) == H5T_FLOAT && type.getMemberClass(1) == H5T_FLOAT;
}

// Values of a dataset or attribute as flat JSON, or a null JSON for a type the
// page does not show. `read(mem_type, buffer)` reads the whole object.
struct Values {
  std::vector<json> real;  // numbers or strings
  std::vector<json> imag;  // complex only
  bool complex = false;
  bool supported = true;
};
Values read_values(const H5::DataType& file_type, H5T_class_t cls, std::size_t n, const H5::DataSpace& space,
                   int digits, const std::function<void(const H5::DataType&, void*)>& read) {
  Values v;
  if (cls == H5T_INTEGER || cls == H5T_FLOAT) {
    std::vector<double> buf(n);
    if (n) read(H5::PredType::NATIVE_DOUBLE, buf.data());
    v.real.reserve(n);
    for (double x : buf) v.real.emplace_back(cls == H5T_FLOAT ? round_digits(x, digits) : x);
  } else if (cls == H5T_STRING) {
    const H5::StrType str(file_type.getId());
    if (str.isVariableStr()) {
      H5::StrType mem(H5::PredType::C_S1, H5T_VARIABLE);
      mem.setCset(str.getCset());  // HDF5 does not convert between ASCII and UTF-8
      std::vector<char*> buf(n, nullptr);
      if (n) read(mem, buf.data());
      for (char* s : buf) v.real.emplace_back(s ? std::string(s) : std::string());
      if (n) H5Dvlen_reclaim(mem.getId(), space.getId(), H5P_DEFAULT, buf.data());
    } else {
      const std::size_t size = str.getSize();
      std::vector<char> buf(n * size + 1, '\0');
      if (n) read(str, buf.data());
      for (std::size_t k = 0; k < n; ++k) {
        std::string s(buf.data() + k * size, size);
        s.resize(s.find('\0') == std::string::npos ? s.size() : s.find('\0'));
        v.real.emplace_back(s);
      }
    }
  } else if (cls == H5T_COMPOUND && is_complex(H5::CompType(file_type.getId()))) {
    H5::CompType mem(2 * sizeof(double));
    mem.insertMember("r", 0, H5::PredType::NATIVE_DOUBLE);
    mem.insertMember("i", sizeof(double), H5::PredType::NATIVE_DOUBLE);
    std::vector<double> buf(2 * n);
    if (n) read(mem, buf.data());
    v.complex = true;
    for (std::size_t k = 0; k < n; ++k) {
      v.real.emplace_back(round_digits(buf[2 * k], digits));
      v.imag.emplace_back(round_digits(buf[2 * k + 1], digits));
    }
  } else {
    v.supported = false;
  }
  return v;
}

json read_dataset(const H5::DataSet& ds, const std::string& path, const std::string& name, const Policy& policy) {
  const H5::DataSpace space = ds.getSpace();
  const std::vector<hsize_t> dims = dims_of(space);
  const std::size_t n = count_of(dims);
  json out;
  out["shape"] = dims;
  const Take take = policy(path, name, n);
  if (!take.include) {
    out["omitted"] = "too large for the page";
    return out;
  }
  const H5::DataType type = ds.getDataType();
  const Values v = read_values(type, ds.getTypeClass(), n, space, take.digits,
                               [&](const H5::DataType& mem, void* buf) { ds.read(buf, mem); });
  if (!v.supported) {
    out["omitted"] = "a type the page does not show";
  } else if (v.complex) {
    out["re"] = nest(v.real, dims);
    out["im"] = nest(v.imag, dims);
  } else {
    out["data"] = nest(v.real, dims);
  }
  return out;
}

// Attributes: scalars as plain values, arrays nested, complex as {"re", "im"}.
json read_attributes(const H5::H5Object& obj) {
  json out = json::object();
  const int count = obj.getNumAttrs();
  for (int k = 0; k < count; ++k) {
    const H5::Attribute attr = obj.openAttribute(static_cast<unsigned>(k));
    const std::string name = attr.getName();
    const H5::DataSpace space = attr.getSpace();
    const std::vector<hsize_t> dims = dims_of(space);
    const H5::DataType type = attr.getDataType();
    const Values v = read_values(type, attr.getTypeClass(), count_of(dims), space, 10,
                                 [&](const H5::DataType& mem, void* buf) { attr.read(mem, buf); });
    if (!v.supported) continue;
    if (v.complex)
      out[name] = json{{"re", nest(v.real, dims)}, {"im", nest(v.imag, dims)}};
    else
      out[name] = nest(v.real, dims);
  }
  return out;
}

json walk_group(const H5::Group& g, const std::string& path, const Policy& policy) {
  json out = json::object();
  out["@"] = read_attributes(g);
  const hsize_t count = g.getNumObjs();
  for (hsize_t k = 0; k < count; ++k) {
    const std::string name = g.getObjnameByIdx(k);
    const std::string child = path.empty() ? name : path + "/" + name;
    const H5G_obj_t kind = g.getObjTypeByIdx(k);
    if (kind == H5G_GROUP)
      out[name] = walk_group(g.openGroup(name), child, policy);
    else if (kind == H5G_DATASET)
      out[name] = read_dataset(g.openDataSet(name), child, name, policy);
  }
  return out;
}

// What a network's page gets. The weights: W_rec only (the connectivity
// panel; 3 digits are plenty for a heatmap). The curves: all. Everything else
// (analysis/ and whatever later layouts add): small datasets whole, and the
// few large ones the panels draw (positions to project, PCA axes,
// trajectories, eigenvalues) at 4 digits; per-start diagnostics, Jacobians
// and raw state runs stay in the file.
Take network_policy(const std::string& path, const std::string& name, std::size_t n) {
  const std::string top = path.substr(0, path.find('/'));
  if (top == "initial" || top == "trained") return {name == "w_rec" && n <= 512 * 512, 3};
  if (top == "train") return {true, 6};
  if (n <= 512) return {true, 6};
  static const char* const drawn[] = {"components", "mean", "mean_states_pcs", "eigenvalues"};
  for (const char* d : drawn)
    if (name == d) return {n <= 65536, 4};
  // Fixed points' positions (.../points/x, .../fixed_points/x), not the starts'.
  const std::string parent = path.size() > name.size() ? path.substr(0, path.size() - name.size() - 1) : "";
  const bool of_points = parent.size() >= 6 && parent.compare(parent.size() - 6, 6, "points") == 0;
  if (name == "x" && of_points) return {n <= 65536, 4};
  return {false, 0};
}

// The census and sweep groups: small tables whole; networks x networks
// similarity matrices only while they are small.
Take summary_policy(const std::string&, const std::string&, std::size_t n) { return {n <= 4096, 6}; }

void check_is_experiment(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError("cannot read '" + path + "': no such file");
  if (fs::is_directory(path, ec))
    throw InputError("cannot read '" + path + "': it is a directory, expected " + std::string(kExpected));
  bool hdf5 = false;
  try {
    hdf5 = H5::H5File::isHdf5(path);
  } catch (const H5::Exception&) {
    hdf5 = false;
  }
  if (!hdf5) throw InputError("'" + path + "' is not an HDF5 file; expected " + std::string(kExpected));
}

const json* find(const json& node, const std::string& path) {
  const json* at = &node;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!at->is_object() || !at->contains(part)) return nullptr;
    at = &(*at)[part];
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return at;
}
// The attribute `name` of the group at `path`, or nullptr.
const json* attribute(const json& node, const std::string& path, const std::string& name) {
  const json* g = path.empty() ? &node : find(node, path);
  if (!g || !g->contains("@") || !(*g)["@"].contains(name)) return nullptr;
  return &(*g)["@"][name];
}
// The last finite value of a 1-D dataset, or null.
json last_value(const json& node, const std::string& path) {
  const json* ds = find(node, path);
  if (!ds || !ds->contains("data") || !(*ds)["data"].is_array()) return nullptr;
  const json& data = (*ds)["data"];
  for (auto it = data.rbegin(); it != data.rend(); ++it)
    if (it->is_number()) return *it;
  return nullptr;
}

// Columns of the overview table that come from the analyses: (key, title, group path, attribute).
struct LabelColumn {
  const char* key;
  const char* title;
  const char* group;
  const char* attr;
};
const LabelColumn kLabelColumns[] = {
    {"attractor", "attractor", "analysis/dynamics", "attractor"},
    {"jarne", "Jarne class", "analysis/dynamics/jarne", "label"},
    {"spectral_radius", "radius of W_rec", "analysis/spectrum/trained", "spectral_radius"},
    {"step_radius", "radius of J(0)", "analysis/spectrum/trained/linearised_origin", "spectral_radius"},
    {"fixed_points", "fixed points", "analysis/fixed_points", "fixed_points"},
    {"stable", "stable", "analysis/fixed_points", "stable"},
    {"saddles", "saddles", "analysis/fixed_points", "saddles"},
    {"leading_lyapunov_per_tau", "leading Lyapunov (1/tau)", "analysis/dynamics", "leading_lyapunov_per_tau"},
    {"participation_ratio", "participation ratio", "analysis/dynamics", "participation_ratio"},
};

std::string label_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) {
    const double x = v.get<double>();
    if (x == std::round(x) && std::abs(x) < 1e15) return std::to_string(static_cast<long long>(x));
    return v.dump();
  }
  return v.dump();
}

// Per-network labels the census gives, keyed by network name: each 1-D
// dataset "network_<what>" with one entry per network (in `seeds` order) is a
// column <what>, and families/label is the column "family".
std::map<std::string, std::map<std::string, json>> census_labels(const json& census) {
  std::map<std::string, std::map<std::string, json>> by_network;
  const json* seeds = find(census, "seeds");
  if (!seeds || !seeds->contains("data") || !(*seeds)["data"].is_array()) return by_network;
  const json& names = (*seeds)["data"];
  auto take = [&](const std::string& column, const json& ds, const std::string& prefix) {
    if (!ds.is_object() || !ds.contains("data") || !ds["data"].is_array() || ds["data"].size() != names.size())
      return;
    for (std::size_t k = 0; k < names.size(); ++k)
      by_network[label_text(names[k])][column] =
          prefix.empty() ? ds["data"][k] : json(prefix + label_text(ds["data"][k]));
  };
  for (const auto& [name, value] : census.items())
    if (name.rfind("network_", 0) == 0) take(name.substr(8), value, "");
  if (const json* family = find(census, "families/label")) take("family", *family, "family ");
  // The member nearest its family's centroid: the one to open first.
  if (const json* reps = find(census, "families/representative_seeds"); reps && reps->contains("data"))
    for (const json& rep : (*reps)["data"]) by_network[label_text(rep)]["representative"] = "yes";
  return by_network;
}

}  // namespace

std::string json_for_script(const nlohmann::json& value) {
  const std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<')
      out += "\\u003c";
    else
      out += c;
  }
  return out;
}

ReportData read_report_data(const std::string& path) {
  std::lock_guard lock(h5_lock());
  H5::Exception::dontPrint();
  check_is_experiment(path);
  ReportData data;
  try {
    const H5::H5File file(path, H5F_ACC_RDONLY);
    const json root_attrs = read_attributes(file);
    if (!root_attrs.contains("rnnlab_version") || !file.nameExists("networks"))
      throw InputError("'" + path + "' is an HDF5 file but not " + std::string(kExpected) +
                       ": it lacks the root attribute 'rnnlab_version' or the group /networks");
    json& index = data.index;
    index["file"] = fs::path(path).filename().string();
    index["attrs"] = root_attrs;
    const json census =
        file.nameExists("analysis") && H5::Group(file.openGroup("analysis")).nameExists("census")
            ? walk_group(file.openGroup("analysis/census"), "", summary_policy)
            : json(nullptr);
    index["census"] = census;
    index["sweep"] = file.nameExists("sweep") ? walk_group(file.openGroup("sweep"), "", summary_policy) : json(nullptr);
    const auto from_census = census.is_object() ? census_labels(census) : decltype(census_labels(census)){};

    const H5::Group networks = file.openGroup("networks");
    std::vector<std::string> names;
    for (hsize_t k = 0; k < networks.getNumObjs(); ++k)
      if (networks.getObjTypeByIdx(k) == H5G_GROUP) names.push_back(networks.getObjnameByIdx(k));
    // Group names are numbers (seeds, or indices in a sweep): numeric order.
    std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
      return a.size() != b.size() ? a.size() < b.size() : a < b;
    });

    json rows = json::array();
    for (const std::string& name : names) {
      const json net = walk_group(networks.openGroup(name), "", network_policy);
      json row = json::object();
      row["key"] = name;
      for (const char* attr : {"seed", "status", "status_reason", "origin", "iterations", "activation", "alpha", "dt",
                               "sweep_point", "sweep"})
        if (const json* v = attribute(net, "", attr)) row[attr] = *v;
      if (const json* w = find(net, "trained/w_rec"); w && (*w)["shape"].size() == 2) row["units"] = (*w)["shape"][0];
      row["loss"] = last_value(net, "train/loss");
      row["val_loss"] = last_value(net, "train/val_loss");
      row["val_accuracy"] = last_value(net, "train/val_accuracy");
      if (const json* values = find(net, "sweep/@"); values && values->is_object())
        for (const auto& [key, value] : values->items()) row["sweep:" + key] = value;
      for (const LabelColumn& c : kLabelColumns)
        if (const json* v = attribute(net, c.group, c.attr)) row[c.key] = *v;
      // The census has the last word on the labels it assigns.
      if (auto it = from_census.find(name); it != from_census.end())
        for (const auto& [column, value] : it->second) row[column] = value;
      rows.push_back(std::move(row));
      data.networks.push_back(json_for_script(net));
    }
    index["networks"] = std::move(rows);

    json titles = json::object();
    for (const LabelColumn& c : kLabelColumns) titles[c.key] = c.title;
    index["column_titles"] = std::move(titles);
  } catch (const H5::Exception& e) {
    throw InputError("cannot read '" + path + "' as " + std::string(kExpected) + ": " + e.getDetailMsg());
  }
  return data;
}

}  // namespace rnnlab::report

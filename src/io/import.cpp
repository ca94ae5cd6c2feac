#include "io/import.hpp"

#include <H5Cpp.h>

#include <cctype>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/config_values.hpp"
#include "io/h5.hpp"
#include "util/error.hpp"

namespace rnnlab {

namespace {

// ---------------------------------------------------------------------------
// A small JSON reader, enough for Keras' model_config: objects, arrays,
// strings (with escapes), numbers, true/false/null. Keeping it here avoids a
// library dependency for one attribute.

struct Json {
  enum class Kind { null, boolean, number, string, array, object } kind = Kind::null;
  bool boolean = false;
  double number = 0.0;
  std::string string;
  std::vector<Json> array;
  std::vector<std::pair<std::string, Json>> object;  // in file order

  const Json* get(std::string_view key) const {
    if (kind != Kind::object) return nullptr;
    for (const auto& [k, v] : object)
      if (k == key) return &v;
    return nullptr;
  }
  std::string get_string(std::string_view key) const {
    const Json* v = get(key);
    return v && v->kind == Kind::string ? v->string : std::string();
  }
};

class JsonParser {
 public:
  JsonParser(std::string_view text, std::string where) : text_(text), where_(std::move(where)) {}

  Json parse() {
    Json v = value();
    skip_space();
    if (pos_ != text_.size()) fail("unexpected text after the end");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(where_ + ": model_config is not valid JSON (" + what + " at character " + std::to_string(pos_) +
                     ")");
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  char peek() {
    skip_space();
    if (pos_ >= text_.size()) fail("unexpected end");
    return text_[pos_];
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) == word) {
      pos_ += word.size();
      return true;
    }
    return false;
  }

  Json value() {
    if (++depth_ > 200) fail("nesting too deep");
    Json v;
    const char c = peek();
    if (c == '{') {
      v.kind = Json::Kind::object;
      ++pos_;
      if (peek() == '}') {
        ++pos_;
      } else {
        for (;;) {
          if (peek() != '"') fail("expected a key");
          std::string key = string_body();
          expect(':');
          v.object.emplace_back(std::move(key), value());
          if (peek() == ',') { ++pos_; continue; }
          expect('}');
          break;
        }
      }
    } else if (c == '[') {
      v.kind = Json::Kind::array;
      ++pos_;
      if (peek() == ']') {
        ++pos_;
      } else {
        for (;;) {
          v.array.push_back(value());
          if (peek() == ',') { ++pos_; continue; }
          expect(']');
          break;
        }
      }
    } else if (c == '"') {
      v.kind = Json::Kind::string;
      v.string = string_body();
    } else if (literal("true")) {
      v.kind = Json::Kind::boolean;
      v.boolean = true;
    } else if (literal("false")) {
      v.kind = Json::Kind::boolean;
    } else if (literal("null")) {
      v.kind = Json::Kind::null;
    } else if (literal("NaN") || literal("Infinity") || literal("-Infinity")) {
      // Python's json module writes these for non-finite floats.
      v.kind = Json::Kind::number;
    } else {
      v.kind = Json::Kind::number;
      const std::size_t start = pos_;
      while (pos_ < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[pos_])) ||
                                     std::string_view("+-.eE").find(text_[pos_]) != std::string_view::npos))
        ++pos_;
      if (pos_ == start) fail("unexpected character");
      try {
        v.number = std::stod(std::string(text_.substr(start, pos_ - start)));
      } catch (const std::exception&) {
        fail("bad number");
      }
    }
    --depth_;
    return v;
  }

  // At an opening quote: reads the string, decoding escapes to UTF-8.
  std::string string_body() {
    ++pos_;
    std::string out;
    while (true) {
      if (pos_ >= text_.size()) fail("unterminated string");
      const char c = text_[pos_++];
      if (c == '"') break;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) fail("unterminated escape");
      const char e = text_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned code = hex4();
          if (code >= 0xD800 && code < 0xDC00 && text_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            const unsigned low = hex4();
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, code);
          break;
        }
        default: fail("bad escape");
      }
    }
    return out;
  }
  unsigned hex4() {
    if (pos_ + 4 > text_.size()) fail("short \\u escape");
    unsigned code = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = text_[pos_++];
      code <<= 4;
      if (h >= '0' && h <= '9') code |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f') code |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') code |= static_cast<unsigned>(h - 'A' + 10);
      else fail("bad \\u escape");
    }
    return code;
  }
  static void append_utf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  std::string_view text_;
  std::string where_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

// ---------------------------------------------------------------------------
// Reading foreign HDF5 files. These files come from other programs, so every
// read checks rank and shape and says what it expected.

std::string file_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

void check_dt_tau(const std::string& path, double dt, double tau) {
  if (!(dt > 0) || !(tau > 0) || dt > tau)
    throw InputError(path + ": import needs 0 < dt <= tau (ms), got dt = " + std::to_string(dt) +
                     ", tau = " + std::to_string(tau));
}

H5::H5File open_hdf5(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError(path + ": no such file");
  H5::Exception::dontPrint();
  bool is_hdf5 = false;
  try {
    is_hdf5 = H5::H5File::isHdf5(path);
  } catch (const H5::Exception&) {
    is_hdf5 = false;
  }
  if (!is_hdf5) throw InputError(path + ": not an HDF5 file (expected a Keras .h5/.hdf5 model or an HDF5 file of arrays)");
  try {
    return H5::H5File(path, H5F_ACC_RDONLY);
  } catch (const H5::Exception& e) {
    throw InputError(path + ": cannot open as HDF5 (" + e.getDetailMsg() + ")");
  }
}

// A dataset read as float64 into a matrix: rank 2 as rows x cols, rank 1 as n x 1,
// rank 0 as 1 x 1. `rank` reports which.
Eigen::MatrixXd read_dataset(const H5::DataSet& ds, int& rank) {
  const H5::DataSpace space = ds.getSpace();
  rank = space.getSimpleExtentNdims();
  if (rank > 2) return {};
  hsize_t dims[2] = {1, 1};
  if (rank > 0) space.getSimpleExtentDims(dims);
  const Eigen::Index rows = static_cast<Eigen::Index>(dims[0]);
  const Eigen::Index cols = rank == 2 ? static_cast<Eigen::Index>(dims[1]) : 1;
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  RowMajor buffer(rows, cols);
  if (buffer.size() > 0) ds.read(buffer.data(), H5::PredType::NATIVE_DOUBLE);
  return buffer;
}

// Every dataset under `group` (recursively), by path relative to it.
void list_datasets(const H5::Group& group, const std::string& prefix, std::vector<std::string>& out, int depth = 0) {
  if (depth > 32) return;
  const hsize_t n = group.getNumObjs();
  for (hsize_t k = 0; k < n; ++k) {
    const std::string name = group.getObjnameByIdx(k);
    const H5G_obj_t type = group.getObjTypeByIdx(k);
    const std::string path = prefix.empty() ? name : prefix + "/" + name;
    if (type == H5G_DATASET) {
      out.push_back(path);
    } else if (type == H5G_GROUP) {
      list_datasets(group.openGroup(name), path, out, depth + 1);
    }
  }
}

std::string shape_text(const Eigen::MatrixXd& m, int rank) {
  if (rank == 0) return "a scalar";
  if (rank == 1) return "(" + std::to_string(m.rows()) + ",)";
  if (rank == 2) return "(" + std::to_string(m.rows()) + ", " + std::to_string(m.cols()) + ")";
  return "rank " + std::to_string(rank);
}

struct Array {
  Eigen::MatrixXd value;
  int rank = 0;
  std::string where;  // path in the file, for messages
};

Array read_array(const std::string& file, const H5::Group& g, const std::string& path) {
  Array a;
  a.where = path;
  try {
    a.value = read_dataset(g.openDataSet(path), a.rank);
  } catch (const H5::Exception& e) {
    throw InputError(file + ": cannot read dataset " + path + " as numbers (" + e.getDetailMsg() + ")");
  }
  if (a.rank > 2) throw InputError(file + ": dataset " + path + " has rank " + std::to_string(a.rank) + ", expected 1 or 2");
  return a;
}

// Checks that `a` is a matrix of shape rows x cols (-1: any) and returns it.
Eigen::MatrixXd expect_matrix(const std::string& file, const Array& a, long rows, long cols, const std::string& meaning) {
  const bool ok = a.rank == 2 && (rows < 0 || a.value.rows() == rows) && (cols < 0 || a.value.cols() == cols);
  if (!ok) {
    auto dim = [](long d, const char* name) { return d < 0 ? std::string(name) : std::to_string(d); };
    throw InputError(file + ": dataset " + a.where + " has shape " + shape_text(a.value, a.rank) + ", expected (" +
                     dim(rows, "rows") + ", " + dim(cols, "cols") + ") for " + meaning);
  }
  return a.value;
}

Eigen::VectorXd expect_vector(const std::string& file, const Array& a, long n, const std::string& meaning) {
  const bool ok = a.rank == 1 && (n < 0 || a.value.rows() == n);
  if (!ok)
    throw InputError(file + ": dataset " + a.where + " has shape " + shape_text(a.value, a.rank) + ", expected (" +
                     (n < 0 ? std::string("n") : std::to_string(n)) + ",) for " + meaning);
  return a.value.col(0);
}

std::optional<std::string> read_string_attribute(const H5::H5Object& obj, const std::string& name) {
  if (!obj.attrExists(name)) return std::nullopt;
  const H5::Attribute attr = obj.openAttribute(name);
  if (attr.getTypeClass() != H5T_STRING) return std::nullopt;
  // The C++ API reads fixed-length (h5py bytes, Keras 2) and variable-length
  // (h5py str, Keras 3) strings alike through the attribute's own string type.
  std::string value;
  attr.read(attr.getStrType(), value);
  // Fixed-length strings may carry trailing NULs.
  while (!value.empty() && value.back() == '\0') value.pop_back();
  return value;
}

Activation activation_from_name(const std::string& file, const std::string& name, const std::string& what) {
  // Keras, PyTorch and rnnlab share these names (src/model/activation.hpp).
  if (const auto act = parse_activation(name)) return *act;
  throw InputError(file + ": " + what + " has activation '" + name + "', expected one of " + config_detail::join(activation_names(), ", "));
}

NetworkRecord make_record(const std::string& path, const std::string& kind, Network net) {
  NetworkRecord rec;
  rec.seed = 0;
  rec.status = "imported";
  rec.origin = kind + ":" + file_name(path);
  rec.status_reason = "imported from " + path;
  rec.iterations = 0;
  rec.trained = std::move(net);
  return rec;
}

// ---------------------------------------------------------------------------
// Keras.

struct KerasLayer {
  std::string class_name;  // SimpleRNN or Dense
  std::string name;        // the group under model_weights/ (the outer layer's name)
  const Json* config = nullptr;
};

// The layer list of a Sequential or functional model's config.
const Json* layer_list(const Json& root) {
  const Json* config = root.get("config");
  if (!config) return nullptr;
  if (config->kind == Json::Kind::array) return config;  // Keras 2.0-2.1 Sequential
  const Json* layers = config->get("layers");
  return layers && layers->kind == Json::Kind::array ? layers : nullptr;
}

std::vector<KerasLayer> keras_layers(const Json& root) {
  std::vector<KerasLayer> out;
  const Json* layers = layer_list(root);
  if (!layers) return out;
  for (const Json& layer : layers->array) {
    const std::string cls = layer.get_string("class_name");
    const Json* cfg = layer.get("config");
    if (!cfg) continue;
    std::string name = cfg->get_string("name");
    if (name.empty()) name = layer.get_string("name");
    if (cls == "SimpleRNN" || cls == "Dense") {
      out.push_back({cls, name, cfg});
    } else if (cls == "TimeDistributed") {
      // The wrapper owns the weight group; the wrapped layer says what it is.
      const Json* inner = cfg->get("layer");
      if (inner && inner->get_string("class_name") == "Dense" && inner->get("config"))
        out.push_back({"Dense", name, inner->get("config")});
    } else if (cls == "Sequential" || cls == "Functional" || cls == "Model") {
      // A nested model: its weights sit under its own name; not supported.
      for (const KerasLayer& l : keras_layers(layer))
        out.push_back({l.class_name + " (nested in " + name + ")", l.name, l.config});
    }
  }
  return out;
}

// The weights of one layer: datasets found under its group, by base name
// ("kernel", "recurrent_kernel", "bias"), ":0"-style suffixes dropped.
std::map<std::string, std::string> layer_datasets(const std::string& file, const H5::Group& weights_root,
                                                  const KerasLayer& layer) {
  std::map<std::string, std::string> found;
  if (!h5::exists(weights_root, layer.name))
    throw InputError(file + ": the " + layer.class_name + " layer '" + layer.name + "' has no weight group " +
                     "model_weights/" + layer.name + " (expected its kernel there)");
  std::vector<std::string> paths;
  list_datasets(weights_root.openGroup(layer.name), "", paths);
  for (const std::string& p : paths) {
    std::string base = p.substr(p.rfind('/') + 1);
    const auto colon = base.rfind(':');
    if (colon != std::string::npos) base = base.substr(0, colon);
    if (found.count(base))
      throw InputError(file + ": the " + layer.class_name + " layer '" + layer.name + "' has two datasets named " +
                       base + " (" + found[base] + " and " + p + "); expected one");
    found[base] = layer.name + "/" + p;
  }
  return found;
}

bool config_bool(const Json& cfg, const char* key, bool fallback) {
  const Json* v = cfg.get(key);
  return v && v->kind == Json::Kind::boolean ? v->boolean : fallback;
}

std::string config_activation(const std::string& file, const Json& cfg, const std::string& layer) {
  const Json* v = cfg.get("activation");
  if (!v) return "linear";  // Keras' default for Dense when the key is absent
  if (v->kind != Json::Kind::string)
    throw InputError(file + ": layer '" + layer + "' has a custom activation; expected tanh, relu or linear");
  return v->string;
}

}  // namespace

NetworkRecord import_keras(const std::string& path, double dt, double tau) {
  check_dt_tau(path, dt, tau);
  std::lock_guard lock(h5_lock());
  H5::H5File file = open_hdf5(path);
  try {
    const std::optional<std::string> config_text = read_string_attribute(file, "model_config");
    if (!config_text)
      throw InputError(path + ": no model_config attribute at the root; expected a whole Keras model saved " +
                       "with model.save(...) to HDF5");
    const Json config = JsonParser(*config_text, path).parse();
    const std::vector<KerasLayer> layers = keras_layers(config);

    std::vector<KerasLayer> rnns, denses;
    bool after_rnn = false;
    for (const KerasLayer& l : layers) {
      if (l.class_name.find("nested") != std::string::npos)
        throw InputError(path + ": layer " + l.class_name + " sits inside a nested model; expected the SimpleRNN " +
                         "and Dense layers at the top level");
      if (l.class_name == "SimpleRNN") {
        rnns.push_back(l);
        after_rnn = true;
      } else if (l.class_name == "Dense" && after_rnn) {
        denses.push_back(l);
      }
    }
    if (rnns.empty()) {
      std::string names;
      if (const Json* list = layer_list(config))
        for (const Json& l : list->array) names += (names.empty() ? "" : ", ") + l.get_string("class_name");
      throw InputError(path + ": no SimpleRNN layer in model_config (layers: " + (names.empty() ? "none" : names) +
                       "); expected one SimpleRNN layer and a Dense readout");
    }
    if (rnns.size() > 1)
      throw InputError(path + ": " + std::to_string(rnns.size()) + " SimpleRNN layers; expected exactly one");
    if (denses.size() != 1)
      throw InputError(path + ": " + std::to_string(denses.size()) +
                       " Dense layers after the SimpleRNN; expected exactly one (the linear readout)");
    const KerasLayer& rnn = rnns.front();
    const KerasLayer& dense = denses.front();

    const std::string weights_path = h5::exists(file, "model_weights") ? "model_weights" : "";
    const H5::Group weights_root = weights_path.empty() ? file.openGroup("/") : file.openGroup(weights_path);

    Network net;
    net.activation = activation_from_name(path, config_activation(path, *rnn.config, rnn.name),
                                          "SimpleRNN layer '" + rnn.name + "'");
    const std::string dense_activation = config_activation(path, *dense.config, dense.name);
    if (dense_activation != "linear")
      throw InputError(path + ": the Dense layer '" + dense.name + "' has activation '" + dense_activation +
                       "'; expected linear (rnnlab's readout is linear)");
    const bool rnn_bias = config_bool(*rnn.config, "use_bias", true);
    const bool dense_bias = config_bool(*dense.config, "use_bias", true);

    const auto rnn_sets = layer_datasets(path, weights_root, rnn);
    const auto dense_sets = layer_datasets(path, weights_root, dense);
    const std::string rnn_group = "model_weights/" + rnn.name;
    if (rnn_sets.empty() || dense_sets.empty()) {
      const KerasLayer& empty = rnn_sets.empty() ? rnn : dense;
      throw InputError(path + ": the weight group model_weights/" + empty.name + " of the " + empty.class_name +
                       " layer is empty (expected datasets kernel" +
                       (empty.class_name == "SimpleRNN" ? std::string(", recurrent_kernel") : std::string()) +
                       "); the model was saved before it was built or trained");
    }
    auto need = [&](const std::map<std::string, std::string>& sets, const std::string& name, const KerasLayer& l) {
      auto it = sets.find(name);
      if (it == sets.end())
        throw InputError(path + ": no dataset " + name + " under model_weights/" + l.name + " for the " +
                         l.class_name + " layer");
      return read_array(path, weights_root, it->second);
    };

    const Json* units_json = rnn.config->get("units");
    const long units = units_json && units_json->kind == Json::Kind::number ? static_cast<long>(units_json->number) : -1;
    const Eigen::MatrixXd r = expect_matrix(path, need(rnn_sets, "recurrent_kernel", rnn), units, units,
                                            "the SimpleRNN recurrent_kernel (units x units)");
    const long n = static_cast<long>(r.rows());
    if (r.cols() != n)
      throw InputError(path + ": the recurrent_kernel is " + std::to_string(r.rows()) + " x " +
                       std::to_string(r.cols()) + ", expected square");
    const Eigen::MatrixXd k = expect_matrix(path, need(rnn_sets, "kernel", rnn), -1, n, "the SimpleRNN kernel (inputs x units)");
    const Eigen::MatrixXd d = expect_matrix(path, need(dense_sets, "kernel", dense), n, -1, "the Dense kernel (units x outputs)");
    const long outputs = static_cast<long>(d.cols());

    net.w_in = k.transpose();
    net.w_rec = r.transpose();
    net.w_out = d.transpose();
    net.b = Eigen::VectorXd::Zero(n);
    net.b_out = Eigen::VectorXd::Zero(outputs);
    net.x0 = Eigen::VectorXd::Zero(n);
    if (rnn_bias) net.b = expect_vector(path, need(rnn_sets, "bias", rnn), n, "the SimpleRNN bias (units)");
    if (dense_bias) net.b_out = expect_vector(path, need(dense_sets, "bias", dense), outputs, "the Dense bias (outputs)");
    net.dt = dt;
    net.alpha = dt / tau;
    return make_record(path, "keras", std::move(net));
  } catch (const H5::Exception& e) {
    throw InputError(path + ": cannot read the Keras model (" + e.getDetailMsg() + ")");
  }
}

namespace {

// Datasets whose path ends in `key` after a '/' or '.' (or equals it).
std::vector<std::string> find_suffix(const std::vector<std::string>& all, const std::string& key) {
  std::vector<std::string> out;
  for (const std::string& p : all) {
    if (p == key) {
      out.push_back(p);
    } else if (p.size() > key.size() && p.compare(p.size() - key.size(), key.size(), key) == 0) {
      const char before = p[p.size() - key.size() - 1];
      if (before == '/' || before == '.') out.push_back(p);
    }
  }
  return out;
}

}  // namespace

Network network_from_arrays(const std::string& source, const NamedArrays& arrays, bool torch_naming, double dt,
                            double tau, const std::string& activation) {
  check_dt_tau(source, dt, tau);
  std::vector<std::string> all;
  for (const auto& [name, value] : arrays) all.push_back(name);

  // One entry for `key`, or none; two candidates are ambiguous.
  auto find_one = [&](const std::string& key) -> std::optional<std::string> {
    const std::vector<std::string> hits =
        torch_naming ? find_suffix(all, key) : (arrays.count(key) ? std::vector<std::string>{key} : std::vector<std::string>{});
    if (hits.size() > 1)
      throw InputError(source + ": " + std::to_string(hits.size()) + " arrays match " + key + " (" + hits[0] + ", " +
                       hits[1] + "); expected one");
    if (hits.empty()) return std::nullopt;
    return hits.front();
  };
  auto get = [&](const std::string& name) {
    const NamedArray& a = arrays.at(name);
    if (a.rank > 2)
      throw InputError(source + ": " + name + " has rank " + std::to_string(a.rank) + ", expected 1 or 2");
    return Array{a.value, a.rank, name};
  };
  auto need = [&](const std::string& key, const std::string& meaning) {
    const auto p = find_one(key);
    if (!p) {
      const std::string expected = torch_naming ? "weight_ih_l0 (N x I), weight_hh_l0 (N x N)"
                                                : "w_in (N x I), w_rec (N x N), w_out (O x N)";
      throw InputError(source + ": no array " + key + " (" + meaning + "); expected " + expected +
                       (torch_naming ? " in PyTorch nn.RNN naming" : " in rnnlab naming (or pass the PyTorch flag)") +
                       "; it has " + (all.empty() ? std::string("nothing") : config_detail::join(all, ", ")));
    }
    return get(*p);
  };

  if (torch_naming) {
    if (!find_suffix(all, "weight_hh_l1").empty())
      throw InputError(source + ": a second recurrent layer (weight_hh_l1); expected a single-layer nn.RNN");
    for (const std::string& name : all)
      if (name.size() > 8 && name.compare(name.size() - 8, 8, "_reverse") == 0)
        throw InputError(source + ": " + name + " belongs to a bidirectional RNN; rnnlab networks run forward in time only");
  }

  Network net;
  const std::string rec_key = torch_naming ? "weight_hh_l0" : "w_rec";
  const Array rec = need(rec_key, "the recurrent weights");
  if (torch_naming && rec.rank == 2 && rec.value.cols() > 0) {
    // GRU and LSTM state_dicts carry their gates as 3N and 4N rows: name the
    // architecture instead of failing on a shape.
    const long rows = static_cast<long>(rec.value.rows()), n = static_cast<long>(rec.value.cols());
    for (const auto& [factor, kind] : {std::pair{3L, "a GRU"}, std::pair{4L, "an LSTM"}})
      if (rows == factor * n)
        throw InputError(source + ": " + rec.where + " is " + std::to_string(rows) + " x " + std::to_string(n) + " = " +
                         std::to_string(factor) + "N x N, so this looks like " + kind +
                         "; rnnlab networks are plain rate networks (nn.RNN) and cannot represent gates");
  }
  const Eigen::MatrixXd w_rec = expect_matrix(source, rec, -1, -1, "W_rec (N x N)");
  const long n = static_cast<long>(w_rec.rows());
  if (w_rec.cols() != n)
    throw InputError(source + ": " + rec_key + " is " + std::to_string(w_rec.rows()) + " x " +
                     std::to_string(w_rec.cols()) + ", expected square (N x N)");
  net.w_rec = w_rec;
  net.w_in = expect_matrix(source, need(torch_naming ? "weight_ih_l0" : "w_in", "the input weights"), n, -1,
                           "W_in (N x I)");
  net.b = Eigen::VectorXd::Zero(n);
  net.x0 = Eigen::VectorXd::Zero(n);

  if (torch_naming) {
    for (const char* key : {"bias_ih_l0", "bias_hh_l0"})
      if (const auto p = find_one(key)) net.b += expect_vector(source, get(*p), n, std::string(key) + " (N)");
    // The readout: the first name pair present.
    static const std::pair<const char*, const char*> readouts[] = {
        {"weight_out", "bias_out"},         {"fc.weight", "fc.bias"},         {"linear.weight", "linear.bias"},
        {"readout.weight", "readout.bias"}, {"output.weight", "output.bias"}, {"out.weight", "out.bias"}};
    bool have_readout = false;
    for (const auto& [wkey, bkey] : readouts) {
      const auto wp = find_one(wkey);
      if (!wp) continue;
      net.w_out = expect_matrix(source, get(*wp), -1, n, std::string(wkey) + " (O x N)");
      net.b_out = Eigen::VectorXd::Zero(net.w_out.rows());
      if (const auto bp = find_one(bkey))
        net.b_out = expect_vector(source, get(*bp), net.w_out.rows(), std::string(bkey) + " (O)");
      have_readout = true;
      break;
    }
    if (!have_readout) {
      // No readout: the outputs are the rates (W_out = I, O = N), as an
      // nn.RNN's own output is its hidden state.
      net.w_out = Eigen::MatrixXd::Identity(n, n);
      net.b_out = Eigen::VectorXd::Zero(n);
    }
  } else {
    net.w_out = expect_matrix(source, need("w_out", "the readout weights"), -1, n, "W_out (O x N)");
    net.b_out = Eigen::VectorXd::Zero(net.w_out.rows());
    if (const auto p = find_one("b")) net.b = expect_vector(source, get(*p), n, "b (N)");
    if (const auto p = find_one("b_out")) net.b_out = expect_vector(source, get(*p), net.w_out.rows(), "b_out (O)");
  }
  if (const auto p = find_one("x0")) net.x0 = expect_vector(source, get(*p), n, "x0 (N)");

  net.activation = activation_from_name(source, activation.empty() ? "tanh" : activation, "the network");
  net.dt = dt;
  net.alpha = dt / tau;
  return net;
}

NetworkRecord import_arrays(const std::string& path, bool torch_naming, double dt, double tau) {
  check_dt_tau(path, dt, tau);
  std::lock_guard lock(h5_lock());
  H5::H5File file = open_hdf5(path);
  try {
    const H5::Group root = file.openGroup("/");
    std::vector<std::string> names;
    list_datasets(root, "", names);
    NamedArrays arrays;
    for (const std::string& name : names) {
      NamedArray a;
      try {
        a.value = read_dataset(root.openDataSet(name), a.rank);
      } catch (const H5::Exception& e) {
        throw InputError(path + ": cannot read dataset " + name + " as numbers (" + e.getDetailMsg() + ")");
      }
      arrays.emplace(name, std::move(a));
    }
    std::optional<std::string> act = read_string_attribute(file, "activation");
    if (!act) act = read_string_attribute(file, "nonlinearity");
    return make_record(path, torch_naming ? "torch" : "arrays",
                       network_from_arrays(path, arrays, torch_naming, dt, tau, act.value_or("tanh")));
  } catch (const H5::Exception& e) {
    throw InputError(path + ": cannot read the arrays (" + e.getDetailMsg() + ")");
  }
}

void export_torch_arrays(const Network& net, const std::string& path) {
  std::lock_guard lock(h5_lock());
  H5::Exception::dontPrint();
  try {
    H5::H5File file(path, H5F_ACC_TRUNC);
    H5::Group root = file.openGroup("/");
    h5::write_matrix(root, "weight_ih_l0", net.w_in);
    h5::write_matrix(root, "weight_hh_l0", net.w_rec);
    // b is one vector here; PyTorch's two biases add, so the second is 0.
    h5::write_vector(root, "bias_ih_l0", Eigen::VectorXd(net.b));
    h5::write_vector(root, "bias_hh_l0", Eigen::VectorXd(Eigen::VectorXd::Zero(net.b.size())));
    h5::write_matrix(root, "weight_out", net.w_out);
    h5::write_vector(root, "bias_out", Eigen::VectorXd(net.b_out));
    h5::write_vector(root, "x0", Eigen::VectorXd(net.x0));
    h5::write_attr(root, "activation", to_string(net.activation));
    h5::write_attr(root, "alpha", net.alpha);
    h5::write_attr(root, "dt", net.dt);
  } catch (const H5::Exception& e) {
    throw Error(path + ": cannot write the arrays (" + e.getDetailMsg() + ")");
  }
}

}  // namespace rnnlab

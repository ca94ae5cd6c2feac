// Writing, reading and updating the experiment file (layout in
// io/experiment_file.hpp and docs/file-format.md).
//
// Safety: every write goes to "<path>.tmp-<pid>" and is renamed over <path>
// only once the file is closed, so readers see the old file or the new one,
// never half of one; the temporary is removed on any failure. The HDF5
// library used here is not thread-safe, so all HDF5 work happens under
// h5_lock(), and HDF5 objects are scoped so they die before the lock does.
#include "io/experiment_file.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <set>

#include "io/h5.hpp"
#include "io/sweep.hpp"
#include "util/error.hpp"

namespace rnnlab {

namespace fs = std::filesystem;

std::recursive_mutex& h5_lock() {
  static std::recursive_mutex mutex;
  // Everyone who does HDF5 work takes this lock first, so this is the place
  // to stop HDF5 printing its error stack: failures arrive as exceptions
  // that we turn into messages naming the file.
  static const bool quiet = (H5::Exception::dontPrint(), true);
  (void)quiet;
  return mutex;
}

namespace {

// Bumped when the layout changes incompatibly, so readers can tell.
constexpr long kFormatVersion = 1;
const char* const kExpected = "an rnnlab experiment file (written by `rnnlab train`)";

std::string temp_path(const std::string& path) { return path + ".tmp-" + std::to_string(::getpid()); }

void remove_quietly(const std::string& path) {
  std::error_code ignored;
  fs::remove(path, ignored);
}

std::string h5_detail(const H5::Exception& e) {
  std::string detail = e.getDetailMsg();
  return detail.empty() ? std::string("HDF5 error") : detail;
}

// --- writing -------------------------------------------------------------

bool is_empty(const Network& net) {
  return net.w_in.size() == 0 && net.w_rec.size() == 0 && net.w_out.size() == 0 && net.b.size() == 0 &&
         net.b_out.size() == 0 && net.x0.size() == 0;
}

void write_arrays(H5::Group& g, const Network& net, const Eigen::MatrixXd& mask_rec) {
  h5::write_matrix(g, "w_in", net.w_in);
  h5::write_matrix(g, "w_rec", net.w_rec);
  h5::write_matrix(g, "w_out", net.w_out);
  h5::write_vector(g, "b", net.b);
  h5::write_vector(g, "b_out", net.b_out);
  h5::write_vector(g, "x0", net.x0);
  if (net.sign.size() > 0) h5::write_vector(g, "sign", net.sign);
  if (mask_rec.size() > 0) h5::write_matrix(g, "mask_rec", mask_rec);
}

void write_network(H5::Group& networks, const NetworkRecord& rec) {
  H5::Group g = h5::require_group(networks, std::to_string(rec.seed));
  const bool swept = rec.sweep_point >= 0;
  h5::write_attr(g, "seed", static_cast<long>(swept ? rec.sweep_seed : rec.seed));
  if (swept) {
    h5::write_attr(g, "sweep_point", static_cast<long>(rec.sweep_point));
    h5::write_attr(g, "sweep", sweep_label(rec.sweep));
    H5::Group values = h5::require_group(g, "sweep");
    for (const auto& [key, value] : rec.sweep) h5::write_attr(values, key, value);
  }
  h5::write_attr(g, "status", rec.status);
  h5::write_attr(g, "status_reason", rec.status_reason);
  h5::write_attr(g, "origin", rec.origin);
  h5::write_attr(g, "iterations", rec.iterations);
  // alpha, dt and activation describe both weight sets; the trained one is
  // always present, the initial one may be empty for imported networks.
  h5::write_attr(g, "alpha", rec.trained.alpha);
  h5::write_attr(g, "dt", rec.trained.dt);
  h5::write_attr(g, "activation", to_string(rec.trained.activation));
  if (!is_empty(rec.initial)) {
    H5::Group initial = h5::require_group(g, "initial");
    write_arrays(initial, rec.initial, rec.mask_rec);
  }
  H5::Group trained = h5::require_group(g, "trained");
  write_arrays(trained, rec.trained, rec.mask_rec);
  H5::Group train = h5::require_group(g, "train");
  h5::write_vector(train, "iteration", rec.curves.iteration);
  h5::write_vector(train, "loss", rec.curves.loss);
  h5::write_vector(train, "val_loss", rec.curves.val_loss);
  h5::write_vector(train, "val_accuracy", rec.curves.val_accuracy);
  h5::write_vector(train, "wall_time", rec.curves.wall_time);
}

// /sweep/: the sweep's keys, each point's label, and per key the value at
// each point, gathered from the networks (every point has at least one).
void write_sweep_table(H5::H5File& file, const std::vector<NetworkRecord>& networks) {
  std::map<int, const NetworkRecord*> points;
  for (const auto& rec : networks)
    if (rec.sweep_point >= 0) points.emplace(rec.sweep_point, &rec);
  if (points.empty()) return;
  const NetworkRecord& first = *points.begin()->second;
  std::vector<std::string> keys, labels(points.rbegin()->first + 1);
  std::vector<std::vector<std::string>> columns(first.sweep.size(), labels);
  for (const auto& [key, value] : first.sweep) keys.push_back(key);
  for (const auto& [p, rec] : points) {
    if (rec->sweep.size() != keys.size())
      throw Error(fmt::format("networks of one sweep have different sweep keys ({} and {})", sweep_label(first.sweep),
                              sweep_label(rec->sweep)));
    labels[static_cast<std::size_t>(p)] = sweep_label(rec->sweep);
    for (std::size_t k = 0; k < keys.size(); ++k) columns[k][static_cast<std::size_t>(p)] = rec->sweep[k].second;
  }
  H5::Group root = file.openGroup("/");
  H5::Group g = h5::require_group(root, "sweep");
  h5::write_attr(g, "points", static_cast<long>(labels.size()));
  h5::write_strings(g, "keys", keys);
  h5::write_strings(g, "labels", labels);
  for (std::size_t k = 0; k < keys.size(); ++k) h5::write_strings(g, keys[k], columns[k]);
}

void write_file(const std::string& file_path, const Experiment& experiment) {
  H5::H5File file(file_path, H5F_ACC_TRUNC);
  h5::write_attr(file, "config", experiment.config);
  h5::write_attr(file, "rnnlab_version",
                 experiment.rnnlab_version.empty() ? std::string(RNNLAB_VERSION) : experiment.rnnlab_version);
  h5::write_attr(file, "format_version", kFormatVersion);
  H5::Group networks = h5::require_group(file, "networks");
  for (const auto& rec : experiment.networks) write_network(networks, rec);
  write_sweep_table(file, experiment.networks);
  file.close();  // flush now, inside the try, so a full disk is an error here and not in a destructor
}

// --- reading -------------------------------------------------------------

// Refuses anything that is not one of our files, naming it and what was expected.
void check_is_experiment(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError("cannot read '" + path + "': no such file");
  if (fs::is_directory(path, ec)) throw InputError("cannot read '" + path + "': it is a directory, expected " + kExpected);
  bool hdf5 = false;
  try {
    hdf5 = H5::H5File::isHdf5(path);
  } catch (const H5::Exception&) {
    hdf5 = false;
  }
  if (!hdf5) throw InputError("'" + path + "' is not an HDF5 file; expected " + kExpected);
  H5::H5File file(path, H5F_ACC_RDONLY);
  if (!h5::has_attr(file, "rnnlab_version") || !h5::exists(file, "networks"))
    throw InputError("'" + path + "' is an HDF5 file but not " + kExpected +
                     ": it lacks the root attribute 'rnnlab_version' or the group /networks");
}

Network read_arrays(const H5::Group& g, const H5::Group& net_group, Eigen::MatrixXd* mask_rec) {
  Network net;
  net.w_in = h5::read_matrix(g, "w_in");
  net.w_rec = h5::read_matrix(g, "w_rec");
  net.w_out = h5::read_matrix(g, "w_out");
  net.b = h5::read_vector(g, "b");
  net.b_out = h5::read_vector(g, "b_out");
  net.x0 = h5::read_vector(g, "x0");
  if (h5::exists(g, "sign")) net.sign = h5::read_vector(g, "sign");
  if (mask_rec && h5::exists(g, "mask_rec")) *mask_rec = h5::read_matrix(g, "mask_rec");
  net.alpha = h5::read_double_attr(net_group, "alpha");
  net.dt = h5::read_double_attr(net_group, "dt");
  const std::string activation = h5::read_string_attr(net_group, "activation");
  const auto parsed = parse_activation(activation);
  if (!parsed) throw InputError("unknown activation '" + activation + "' in " + net_group.getObjName());
  net.activation = *parsed;
  return net;
}

std::vector<double> read_curve(const H5::Group& train, const std::string& name) {
  if (!h5::exists(train, name)) return {};
  const Eigen::VectorXd v = h5::read_vector(train, name);
  return std::vector<double>(v.data(), v.data() + v.size());
}

NetworkRecord read_network(const H5::Group& g, std::uint64_t seed) {
  NetworkRecord rec;
  rec.seed = seed;
  rec.status = h5::read_string_attr(g, "status");
  if (h5::has_attr(g, "status_reason")) rec.status_reason = h5::read_string_attr(g, "status_reason");
  if (h5::has_attr(g, "origin")) rec.origin = h5::read_string_attr(g, "origin");
  if (h5::has_attr(g, "iterations")) rec.iterations = h5::read_long_attr(g, "iterations");
  if (h5::has_attr(g, "sweep_point")) {
    rec.sweep_point = static_cast<int>(h5::read_long_attr(g, "sweep_point"));
    rec.sweep_seed = static_cast<std::uint64_t>(h5::read_long_attr(g, "seed"));
    // Attributes come back sorted by name, which is the sweep's order of keys.
    if (h5::exists(g, "sweep")) {
      const H5::Group values = g.openGroup("sweep");
      for (int i = 0; i < values.getNumAttrs(); ++i) {
        const std::string key = values.openAttribute(static_cast<unsigned>(i)).getName();
        rec.sweep.emplace_back(key, h5::read_string_attr(values, key));
      }
      std::sort(rec.sweep.begin(), rec.sweep.end());
    }
  }
  rec.trained = read_arrays(g.openGroup("trained"), g, &rec.mask_rec);
  if (h5::exists(g, "initial")) rec.initial = read_arrays(g.openGroup("initial"), g, nullptr);
  if (h5::exists(g, "train")) {
    const H5::Group train = g.openGroup("train");
    rec.curves.iteration = read_curve(train, "iteration");
    rec.curves.loss = read_curve(train, "loss");
    rec.curves.val_loss = read_curve(train, "val_loss");
    rec.curves.val_accuracy = read_curve(train, "val_accuracy");
    rec.curves.wall_time = read_curve(train, "wall_time");
  }
  return rec;
}

// A network group's name is its seed in decimal; other names are not ours.
std::optional<std::uint64_t> parse_seed(const std::string& name) {
  if (name.empty() || name.size() > 20 || !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  try {
    return std::stoull(name);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Experiment read_file(const std::string& path) {
  H5::H5File file(path, H5F_ACC_RDONLY);
  Experiment experiment;
  experiment.config = h5::has_attr(file, "config") ? h5::read_string_attr(file, "config") : "";
  experiment.rnnlab_version = h5::read_string_attr(file, "rnnlab_version");
  const H5::Group networks = file.openGroup("networks");
  for (hsize_t i = 0; i < networks.getNumObjs(); ++i) {
    const std::string name = networks.getObjnameByIdx(i);
    const auto seed = parse_seed(name);
    if (!seed || networks.childObjType(name) != H5O_TYPE_GROUP) continue;
    experiment.networks.push_back(read_network(networks.openGroup(name), *seed));
  }
  std::sort(experiment.networks.begin(), experiment.networks.end(),
            [](const NetworkRecord& a, const NetworkRecord& b) { return a.seed < b.seed; });
  return experiment;
}

}  // namespace

void write_experiment(const std::string& path, const Experiment& experiment) {
  std::set<std::uint64_t> seeds;
  for (const auto& rec : experiment.networks)
    if (!seeds.insert(rec.seed).second)
      throw Error("cannot write '" + path + "': two networks have seed " + std::to_string(rec.seed));

  std::lock_guard lock(h5_lock());
  H5::Exception::dontPrint();
  const std::string tmp = temp_path(path);
  try {
    write_file(tmp, experiment);
    fs::rename(tmp, path);
  } catch (const H5::Exception& e) {
    remove_quietly(tmp);
    throw Error("cannot write '" + path + "': " + h5_detail(e));
  } catch (const fs::filesystem_error& e) {
    remove_quietly(tmp);
    throw Error("cannot write '" + path + "': " + e.code().message());
  } catch (...) {
    remove_quietly(tmp);
    throw;
  }
}

Experiment read_experiment(const std::string& path) {
  std::lock_guard lock(h5_lock());
  H5::Exception::dontPrint();
  try {
    check_is_experiment(path);
    return read_file(path);
  } catch (const InputError&) {
    throw;
  } catch (const H5::Exception& e) {
    throw InputError("cannot read '" + path + "' as " + kExpected + ": " + h5_detail(e));
  } catch (const Error& e) {
    // A missing or malformed dataset: the file is not what we expected.
    throw InputError("cannot read '" + path + "' as " + kExpected + ": " + e.what());
  }
}

void update_experiment(const std::string& path, const std::function<void(H5::H5File&)>& edit) {
  std::lock_guard lock(h5_lock());
  H5::Exception::dontPrint();
  try {
    check_is_experiment(path);
  } catch (const H5::Exception& e) {
    throw InputError("cannot open '" + path + "' as " + kExpected + ": " + h5_detail(e));
  }
  const std::string tmp = temp_path(path);
  try {
    fs::copy_file(path, tmp, fs::copy_options::overwrite_existing);
    {
      H5::H5File file(tmp, H5F_ACC_RDWR);
      edit(file);
      file.close();
    }
    fs::rename(tmp, path);
  } catch (const H5::Exception& e) {
    remove_quietly(tmp);
    throw Error("cannot update '" + path + "': " + h5_detail(e));
  } catch (const fs::filesystem_error& e) {
    remove_quietly(tmp);
    throw Error("cannot update '" + path + "': " + e.code().message());
  } catch (...) {
    remove_quietly(tmp);
    throw;
  }
}

}  // namespace rnnlab

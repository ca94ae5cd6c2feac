// Writing, reading and updating the experiment file (layout in
// io/experiment_file.hpp and docs/file-format.md).
//
// Safety: every write goes to "<path>.tmp-<pid>" and is renamed over <path>
// only once the file is closed, so readers see the old file or the new one,
// never half of one; the temporary is removed on any failure. The HDF5
// library used here is not thread-safe, so all HDF5 work happens under
// h5_lock(), and HDF5 objects are scoped so they die before the lock does.
#include "io/experiment_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <cmath>
#include <limits>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <set>

#include "io/config.hpp"
#include "io/h5.hpp"
#include "io/initial_weights.hpp"
#include "io/sweep.hpp"
#include "util/error.hpp"
#include "util/mpi.hpp"

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

std::string h5_detail(const H5::Exception& e) { return h5::message(e); }

// --- writing -------------------------------------------------------------

bool is_empty(const Network& net) {
  return net.w_in.size() == 0 && net.w_rec.size() == 0 && net.w_out.size() == 0 && net.b.size() == 0 &&
         net.b_out.size() == 0 && net.x0.size() == 0;
}

// Weights trained by rnnlab are float32 values (Weights<float>) held in
// doubles: each array is stored as float32 when that is exact, which halves
// the file and reads back the same bits (io/h5.hpp write_matrix_compact).
// per_unit_tau: the network's weight sets have learned time constants; each
// set then stores its own tau (N,), ms, even an initial one where every unit
// still has model.tau, because the group's alpha attribute is trained/'s.
void write_arrays(H5::Group& g, const Network& net, const Eigen::MatrixXd& mask_rec, bool per_unit_tau) {
  h5::write_matrix_compact(g, "w_in", net.w_in);
  h5::write_matrix_compact(g, "w_rec", net.w_rec);
  h5::write_matrix_compact(g, "w_out", net.w_out);
  h5::write_vector_compact(g, "b", net.b);
  h5::write_vector_compact(g, "b_out", net.b_out);
  h5::write_vector_compact(g, "x0", net.x0);
  if (net.sign.size() > 0) h5::write_vector_compact(g, "sign", net.sign);
  if (per_unit_tau)
    h5::write_vector_compact(g, "tau", net.per_unit_tau() ? net.unit_tau : Eigen::VectorXd(net.dt / net.unit_alpha().array()));
  // An all-ones mask (dense, with autapses: the default) says nothing that
  // its absence does not, and at N = 2000 it was half the file: only a mask
  // with a zero is stored (compressed, io/h5.cpp). Readers take a missing
  // mask_rec as dense (docs/file-format.md), as old files' all-ones one.
  if (mask_rec.size() > 0 && !(mask_rec.array() == 1.0).all()) h5::write_matrix_compact(g, "mask_rec", mask_rec);
}

// The config a network of this file was trained with, for regenerating its
// initial weights (io/initial_weights.hpp); none when the file's config does
// not parse (imports, a config from another version) or names no such point.
using FileConfig = std::optional<ExperimentConfig>;

FileConfig parse_file_config(const std::string& text, const std::string& path) {
  if (text.empty()) return std::nullopt;
  try {
    return parse_config(text, path);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

const ExperimentConfig* network_config(const FileConfig& config, const NetworkRecord& rec) {
  if (!config || rec.origin != "rnnlab") return nullptr;
  if (rec.sweep_point >= static_cast<int>(config->points.size())) return nullptr;
  const ExperimentConfig& at = config->at(rec.sweep_point);
  return initial_regenerable(at) ? &at : nullptr;
}

// The seed the network was initialised from (in a sweep its key is an index).
std::uint64_t init_seed(const NetworkRecord& rec) { return rec.sweep_point >= 0 ? rec.sweep_seed : rec.seed; }

// Whether rec.initial may be left out of the file: large, and regenerated
// from the config and seed bit for bit (checked here, on the writing machine).
bool leave_initial_out(const FileConfig& config, const NetworkRecord& rec) {
  if (rec.initial.w_rec.size() < kRegenerateInitialFrom) return false;
  const ExperimentConfig* at = network_config(config, rec);
  return at && same_bits(regenerate_initial(*at, init_seed(rec)), rec.initial);
}

// The attribute that says initial/ was left out, and the checksum the regenerated weights must have.
constexpr const char* kInitialChecksum = "initial_regenerated_checksum";

void write_network(H5::Group& networks, const NetworkRecord& rec, const FileConfig& config) {
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
  // With learned time constants alpha is trained/'s dt / mean(tau) and each
  // weight set has its tau dataset (write_arrays).
  const bool per_unit_tau = rec.trained.per_unit_tau() || rec.final_weights.per_unit_tau();
  h5::write_attr(g, "alpha", rec.trained.alpha);
  h5::write_attr(g, "dt", rec.trained.dt);
  h5::write_attr(g, "activation", to_string(rec.trained.activation));
  if (!is_empty(rec.initial)) {
    if (leave_initial_out(config, rec)) {
      h5::write_attr(g, kInitialChecksum, weights_checksum(rec.initial));
    } else {
      H5::Group initial = h5::require_group(g, "initial");
      write_arrays(initial, rec.initial, rec.mask_rec, per_unit_tau);
    }
  }
  H5::Group trained = h5::require_group(g, "trained");
  write_arrays(trained, rec.trained, rec.mask_rec, per_unit_tau);
  if (rec.best_iteration >= 0) {
    h5::write_attr(g, "best_iteration", rec.best_iteration);
    h5::write_attr(g, "best_val_loss", rec.best_val_loss);
    h5::write_attr(g, "best_val_accuracy", rec.best_val_accuracy);
  }
  if (!std::isnan(rec.final_val_loss)) {  // trained here, validated at the end
    h5::write_attr(g, "final_val_loss", rec.final_val_loss);
    h5::write_attr(g, "final_val_accuracy", rec.final_val_accuracy);
  }
  if (!is_empty(rec.final_weights)) {
    H5::Group final_group = h5::require_group(g, "final");
    write_arrays(final_group, rec.final_weights, Eigen::MatrixXd(), per_unit_tau);  // the mask is trained/'s
  }
  H5::Group train = h5::require_group(g, "train");
  write_training_curves(train, rec.curves);
  if (!rec.curves.stage_start.empty()) {  // a [[curriculum]]: the stage in force at the end
    h5::write_attr(train, "stage", static_cast<long>(rec.curves.stage_start.size() - 1));
  }
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

void write_contents(H5::H5File& file, const Experiment& experiment);

void write_file(const std::string& file_path, const Experiment& experiment) {
  H5::H5File file = h5::create_in_memory(file_path);
  // A full disk is an error in the save, inside the caller's try.
  h5::fill_and_save(file, [&](H5::H5File& f) { write_contents(f, experiment); }, file_path);
}

void write_contents(H5::H5File& file, const Experiment& experiment) {
  h5::write_attr(file, "config", experiment.config);
  h5::write_attr(file, "rnnlab_version",
                 experiment.rnnlab_version.empty() ? std::string(RNNLAB_VERSION) : experiment.rnnlab_version);
  h5::write_attr(file, "format_version", kFormatVersion);
  H5::Group networks = h5::require_group(file, "networks");
  const FileConfig config = parse_file_config(experiment.config, "the config of " + file.getFileName());
  for (const auto& rec : experiment.networks) write_network(networks, rec, config);
  write_sweep_table(file, experiment.networks);
}

// --- reading -------------------------------------------------------------

// libhdf5 crashes (SIGSEGV) on a few damaged files instead of returning an
// error, e.g. a variable-length string attribute whose global-heap entry is
// corrupted. So the file's metadata is first read in a forked child
// (h5::walk_metadata: attributes, string datasets, dataset headers, no
// weights; milliseconds): if the child dies of a signal, the file is refused
// with a message instead of taking this process down. A child that does not
// finish in time is killed and the read goes ahead (no verdict). Not under
// MPI with several ranks: fork() is unsafe with the memory an InfiniBand
// transport registers.
void refuse_if_hdf5_crashes_on(const std::string& path) {
  if (mpi::size() > 1) return;
  std::fflush(nullptr);  // nothing buffered is written twice
  const pid_t child = ::fork();
  if (child < 0) return;  // no check possible; read as before
  if (child == 0) {
    h5::walk_metadata(path);
    ::_exit(0);  // no atexit handlers, no HDF5 shutdown of the parent's ids
  }
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (true) {
    const pid_t done = ::waitpid(child, &status, WNOHANG);
    if (done == child) break;
    if (done < 0 && errno != EINTR) return;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      return;
    }
    ::usleep(2000);
  }
  if (WIFSIGNALED(status))
    throw InputError(fmt::format("'{}' is damaged: the HDF5 library crashed (signal {}, {}) reading its metadata; "
                                 "expected {}",
                                 path, WTERMSIG(status), ::strsignal(WTERMSIG(status)), kExpected));
}

// Refuses anything that is not one of our files, naming it and what was expected.
void check_is_experiment(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError("cannot read '" + path + "': no such file");
  if (fs::is_directory(path, ec)) throw InputError("cannot read '" + path + "': it is a directory, expected " + kExpected);
  // A pipe or a device would block the open below (a FIFO waits for a writer forever).
  if (!fs::is_regular_file(path, ec))
    throw InputError("cannot read '" + path + "': not a regular file (a pipe or device?); expected " + kExpected);
  bool hdf5 = false;
  try {
    hdf5 = H5::H5File::isHdf5(path);
  } catch (const H5::Exception&) {
    hdf5 = false;
  }
  if (!hdf5) throw InputError("'" + path + "' is not an HDF5 file; expected " + kExpected);
  refuse_if_hdf5_crashes_on(path);
  H5::H5File file(path, H5F_ACC_RDONLY);
  if (!h5::has_attr(file, "rnnlab_version") || !h5::exists(file, "networks"))
    throw InputError("'" + path + "' is an HDF5 file but not " + kExpected +
                     ": it lacks the root attribute 'rnnlab_version' or the group /networks");
}

// The sizes of one weight set: N units, I inputs, O outputs.
struct Sizes {
  hsize_t units = 0, inputs = 0, outputs = 0;
};

// Checks every array of the weight set in `g` against the others before any is
// read: N is the rows of w_rec, I the columns of w_in, O the rows of w_out, and
// w_rec (N, N), w_in (N, I), w_out (O, N), b (N,), b_out (O,), x0 (N,),
// sign (N,) and mask_rec (N, N) must agree. A mismatch would make every
// simulation read outside the arrays, so it is refused here, naming the
// dataset and the shape it should have (docs/file-format.md).
Sizes check_shapes(const H5::Group& g) {
  using Dims = std::vector<hsize_t>;
  const auto rank_of = [&](const char* name, std::size_t rank) {
    const Dims dims = h5::shape(g, name);
    if (dims.size() != rank)
      throw InputError(fmt::format("{}: shape {}, expected a {} array", h5::where(g, name), h5::shape_text(dims),
                                   rank == 2 ? "2-D" : "1-D"));
    return dims;
  };
  Sizes s;
  const Dims w_rec = rank_of("w_rec", 2), w_in = rank_of("w_in", 2), w_out = rank_of("w_out", 2);
  s.units = w_rec[0];
  s.inputs = w_in[1];
  s.outputs = w_out[0];
  const auto expect = [&](const char* name, const Dims& found, const Dims& wanted, const char* meaning) {
    if (found != wanted)
      throw InputError(fmt::format("{}: shape {}, expected {} = {} with N = {} units (the rows of w_rec), I = {} "
                                   "inputs (the columns of w_in), O = {} outputs (the rows of w_out)",
                                   h5::where(g, name), h5::shape_text(found), h5::shape_text(wanted), meaning,
                                   s.units, s.inputs, s.outputs));
  };
  expect("w_rec", w_rec, {s.units, s.units}, "(N, N)");
  expect("w_in", w_in, {s.units, s.inputs}, "(N, I)");
  expect("w_out", w_out, {s.outputs, s.units}, "(O, N)");
  expect("b", rank_of("b", 1), {s.units}, "(N,)");
  expect("b_out", rank_of("b_out", 1), {s.outputs}, "(O,)");
  expect("x0", rank_of("x0", 1), {s.units}, "(N,)");
  if (h5::exists(g, "sign")) expect("sign", rank_of("sign", 1), {s.units}, "(N,)");
  if (h5::exists(g, "tau")) expect("tau", rank_of("tau", 1), {s.units}, "(N,)");
  if (h5::exists(g, "mask_rec")) expect("mask_rec", rank_of("mask_rec", 2), {s.units, s.units}, "(N, N)");
  return s;
}

// alpha and dt enter every step: a NaN or a zero would silently make every
// state NaN or frozen, so they are refused here.
double positive_attr(const H5::Group& net_group, const char* name, double upper) {
  const double value = h5::read_double_attr(net_group, name);
  if (!std::isfinite(value) || value <= 0 || value > upper)
    throw InputError(fmt::format("{}: {} = {}, expected a finite number in (0, {}]", h5::where(net_group, "@" + std::string(name)),
                                 name, value, upper));
  return value;
}

Network read_arrays(const H5::Group& g, const H5::Group& net_group, Eigen::MatrixXd* mask_rec) {
  check_shapes(g);
  Network net;
  net.w_in = h5::read_matrix(g, "w_in");
  net.w_rec = h5::read_matrix(g, "w_rec");
  net.w_out = h5::read_matrix(g, "w_out");
  net.b = h5::read_vector(g, "b");
  net.b_out = h5::read_vector(g, "b_out");
  net.x0 = h5::read_vector(g, "x0");
  if (h5::exists(g, "sign")) {
    net.sign = h5::read_vector(g, "sign");
    if (!((net.sign.array() == 1.0) || (net.sign.array() == -1.0)).all())
      throw InputError(h5::where(g, "sign") + ": Dale's law signs must each be +1 or -1");
  }
  if (mask_rec && h5::exists(g, "mask_rec")) {
    *mask_rec = h5::read_matrix(g, "mask_rec");
    if (!mask_rec->allFinite())
      throw InputError(h5::where(g, "mask_rec") + ": the connectivity mask has non-finite entries");
  }
  // 1 is the discrete network; a larger alpha (tau < dt) overshoots every step.
  net.alpha = positive_attr(net_group, "alpha", 1.0);
  net.dt = positive_attr(net_group, "dt", std::numeric_limits<double>::max());
  if (h5::exists(g, "tau")) {  // learned time constants, one per unit (ms)
    const Eigen::VectorXd tau = h5::read_vector(g, "tau");
    if (tau.size() != net.units())
      throw InputError(fmt::format("{}: {} time constants, expected one per unit (N = {})", h5::where(g, "tau"),
                                   tau.size(), net.units()));
    // tau_i >= dt keeps every a_i = dt / tau_i in (0, 1], as alpha above.
    if (!(tau.array() >= net.dt).all() || !tau.allFinite())
      throw InputError(fmt::format("{}: every time constant must be finite and >= dt = {:g} ms", h5::where(g, "tau"),
                                   net.dt));
    net.set_unit_tau(tau);
  }
  const std::string activation = h5::read_string_attr(net_group, "activation");
  const auto parsed = parse_activation(activation);
  if (!parsed) throw InputError("unknown activation '" + activation + "' in " + net_group.getObjName());
  net.activation = *parsed;
  return net;
}

// Analyses compare the weight sets of a network entry by entry (weight
// change, masks): initial/ and final/ must have trained/'s sizes.
void check_sizes(const H5::Group& g, const char* name, long units, long inputs, long outputs, const Network& trained) {
  if (units != trained.units() || inputs != trained.inputs() || outputs != trained.outputs())
    throw InputError(fmt::format("{}: {}/ has {} units, {} inputs, {} outputs but trained/ has {}, {}, {}",
                                 h5::where(g, name), name, units, inputs, outputs, trained.units(), trained.inputs(),
                                 trained.outputs()));
}

void check_same_sizes(const H5::Group& g, const char* name, const Network& other, const Network& trained) {
  if (!is_empty(other)) check_sizes(g, name, other.units(), other.inputs(), other.outputs(), trained);
}

// A weight set a reader skips (ReadOptions) is still checked, from its
// metadata alone: the shapes (check_shapes), numeric datasets, and trained/'s
// sizes. A damaged file is then refused by every command, whatever it reads.
void check_skipped_weights(const H5::Group& g, const char* name, const Network& trained) {
  const H5::Group set = g.openGroup(name);
  const Sizes s = check_shapes(set);
  for (const char* array : {"w_in", "w_rec", "w_out", "b", "b_out", "x0", "sign", "mask_rec"}) {
    if (!h5::exists(set, array)) continue;
    const H5T_class_t type = set.openDataSet(array).getTypeClass();
    if (type != H5T_FLOAT && type != H5T_INTEGER) throw InputError(h5::where(set, array) + ": expected a numeric dataset");
  }
  check_sizes(g, name, static_cast<long>(s.units), static_cast<long>(s.inputs), static_cast<long>(s.outputs), trained);
}


// The initial weights of a network whose initial/ the writer left out
// (leave_initial_out), regenerated and checked against the stored checksum.
// A file moved to a build whose arithmetic differs (another compiler or CPU
// flags) may not reproduce them: then they are left empty, as for an import,
// and the analyses that compare with them are skipped, with a warning.
Network regenerated_initial(const H5::Group& g, const NetworkRecord& rec, const FileConfig& config) {
  const std::string expected = h5::read_string_attr(g, kInitialChecksum);
  const ExperimentConfig* at = network_config(config, rec);
  if (at) {
    Network initial = regenerate_initial(*at, init_seed(rec));
    if (weights_checksum(initial) == expected) return initial;
  }
  std::string attribute = "@";
  attribute += kInitialChecksum;
  fmt::print(stderr,
             "rnnlab: warning: {}: the initial weights were left out to be regenerated from the config and seed, "
             "but {}; the network is read without them\n",
             h5::where(g, attribute),
             at ? "this build regenerates different bits" : "the file's config does not allow it");
  return {};
}

NetworkRecord read_network(const H5::Group& g, std::uint64_t seed, const FileConfig* config,
                           const ReadOptions& options) {
  NetworkRecord rec;
  rec.seed = seed;
  rec.status = h5::read_string_attr(g, "status");
  if (h5::has_attr(g, "status_reason")) rec.status_reason = h5::read_string_attr(g, "status_reason");
  if (h5::has_attr(g, "origin")) rec.origin = h5::read_string_attr(g, "origin");
  if (h5::has_attr(g, "iterations")) rec.iterations = h5::read_long_attr(g, "iterations");
  if (h5::has_attr(g, "sweep_point")) {
    const long point = h5::read_long_attr(g, "sweep_point");
    if (point < 0 || point > std::numeric_limits<int>::max())
      throw InputError(fmt::format("{}: {} is not a sweep point index", h5::where(g, "@sweep_point"), point));
    rec.sweep_point = static_cast<int>(point);
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
  if (options.initial && h5::exists(g, "initial")) {
    rec.initial = read_arrays(g.openGroup("initial"), g, nullptr);
    check_same_sizes(g, "initial", rec.initial, rec.trained);
  } else if (options.initial && h5::has_attr(g, kInitialChecksum)) {
    rec.initial = regenerated_initial(g, rec, *config);
    check_same_sizes(g, "initial", rec.initial, rec.trained);
  } else if (h5::exists(g, "initial")) {
    check_skipped_weights(g, "initial", rec.trained);
  }
  // The best and final weights' fields (absent in files written before they were kept).
  if (h5::has_attr(g, "best_iteration")) {
    rec.best_iteration = h5::read_long_attr(g, "best_iteration");
    rec.best_val_loss = h5::read_double_attr(g, "best_val_loss");
    rec.best_val_accuracy = h5::read_double_attr(g, "best_val_accuracy");
  }
  if (h5::has_attr(g, "final_val_loss")) {
    rec.final_val_loss = h5::read_double_attr(g, "final_val_loss");
    rec.final_val_accuracy = h5::read_double_attr(g, "final_val_accuracy");
  }
  if (options.final_weights && h5::exists(g, "final")) {
    rec.final_weights = read_arrays(g.openGroup("final"), g, nullptr);
    check_same_sizes(g, "final", rec.final_weights, rec.trained);
  } else if (h5::exists(g, "final")) {
    check_skipped_weights(g, "final", rec.trained);
  }
  if (h5::exists(g, "train")) {
    const H5::Group train = g.openGroup("train");
    rec.curves = read_training_curves(train, false);
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

Experiment read_file(const std::string& path, const ReadOptions& options) {
  H5::H5File file(path, H5F_ACC_RDONLY);
  Experiment experiment;
  experiment.config = h5::has_attr(file, "config") ? h5::read_string_attr(file, "config") : "";
  experiment.rnnlab_version = h5::read_string_attr(file, "rnnlab_version");
  // Parsed only for the networks whose initial weights are to be regenerated.
  const FileConfig config =
      options.initial ? parse_file_config(experiment.config, "the config of " + path) : std::nullopt;
  const H5::Group networks = file.openGroup("networks");
  for (hsize_t i = 0; i < networks.getNumObjs(); ++i) {
    const std::string name = networks.getObjnameByIdx(i);
    const auto seed = parse_seed(name);
    if (!seed || networks.childObjType(name) != H5O_TYPE_GROUP) continue;
    experiment.networks.push_back(read_network(networks.openGroup(name), *seed, &config, options));
  }
  // Each sweep point has at least one network, so a larger index is corrupt
  // (and would size tables by it).
  for (const NetworkRecord& rec : experiment.networks)
    if (rec.sweep_point >= static_cast<long>(experiment.networks.size()))
      throw InputError(fmt::format("{}:/networks/{}/@sweep_point = {}, but the file holds only {} networks", path,
                                   rec.seed, rec.sweep_point, experiment.networks.size()));
  std::sort(experiment.networks.begin(), experiment.networks.end(),
            [](const NetworkRecord& a, const NetworkRecord& b) { return a.seed < b.seed; });
  return experiment;
}

// --- the writer's lock --------------------------------------------------

// The locks this process holds: lock file -> (descriptor, holders). flock
// belongs to an open file description, so a second open() in this process
// would conflict with the first; nested holders share one instead.
struct HeldLock {
  int fd = -1;
  int holders = 0;
};

std::mutex& held_locks_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::map<std::string, HeldLock>& held_locks() {
  static std::map<std::string, HeldLock> locks;
  return locks;
}

std::string read_holder(int fd) {
  char text[512] = {};
  const ssize_t n = ::pread(fd, text, sizeof(text) - 1, 0);
  std::string holder = n > 0 ? std::string(text, static_cast<std::size_t>(n)) : "";
  while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
  return holder.empty() ? "another process" : holder;
}

std::string describe_self(const std::string& what) {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) std::strcpy(host, "?");
  const std::time_t now = std::time(nullptr);
  char when[64] = {};
  std::strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", std::localtime(&now));
  return fmt::format("rnnlab {} (pid {} on {}, since {})", what, ::getpid(), host, when);
}

// Opens and locks `lock_path` without waiting. The file may be unlinked by its
// holder between our open() and flock(): then we hold a lock on a name no one
// else sees, so the inode is compared with the path's, and on a mismatch we try again.
int acquire(const std::string& lock_path, const std::string& target, const std::string& what) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      throw Error(fmt::format("cannot create the lock file '{}' for '{}': {}", lock_path, target, std::strerror(errno)));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      if (err == EINTR) {
        ::close(fd);
        continue;
      }
      if (err == EWOULDBLOCK) {
        const std::string holder = read_holder(fd);
        ::close(fd);
        throw InputError(fmt::format("'{}' is in use by {}: one process at a time may write it; wait for it to "
                                     "finish (the lock is '{}')",
                                     target, holder, lock_path));
      }
      ::close(fd);
      throw Error(fmt::format("cannot lock '{}': {}", lock_path, std::strerror(err)));
    }
    struct stat mine {}, named {};
    if (::fstat(fd, &mine) == 0 && ::stat(lock_path.c_str(), &named) == 0 && mine.st_ino == named.st_ino &&
        mine.st_dev == named.st_dev) {
      const std::string holder = describe_self(what) + "\n";
      if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, holder.data(), holder.size(), 0) < 0) {
        // Only the holder's description is lost; the lock itself holds.
      }
      return fd;
    }
    ::close(fd);  // unlinked under us: the next open() creates or finds the current one
  }
  throw Error(fmt::format("cannot lock '{}': the lock file keeps changing", lock_path));
}

// "<path>.tmp-<pid>" files left by writers that were killed (a process that
// is gone cannot finish its rename). Called by the lock's holder, so no other
// process of ours is writing a temporary of `path` now (under MPI the ranks
// that do write them wait for rank 0, which takes the lock first).
void remove_orphan_temporaries(const fs::path& path) {
  std::error_code ec;
  const std::string prefix = path.filename().string() + ".tmp-";
  for (auto it = fs::directory_iterator(path.parent_path(), ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.empty() || digits.size() > 9 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(digits));
    if (::kill(pid, 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}

}  // namespace

FileLock::FileLock(const std::string& path, const std::string& what) {
  std::error_code ec;
  fs::path absolute = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (absolute.empty()) absolute = path;
  lock_path_ = absolute.string() + ".lock";
  // A new output's folder may not exist yet; its writer would create it anyway.
  if (absolute.has_parent_path()) fs::create_directories(absolute.parent_path(), ec);
  std::lock_guard guard(held_locks_mutex());
  HeldLock& held = held_locks()[lock_path_];
  if (held.holders == 0) {
    try {
      held.fd = acquire(lock_path_, path, what);
      remove_orphan_temporaries(absolute);
    } catch (...) {
      held_locks().erase(lock_path_);
      throw;
    }
  }
  ++held.holders;
}

FileLock::~FileLock() {
  std::lock_guard guard(held_locks_mutex());
  auto it = held_locks().find(lock_path_);
  if (it == held_locks().end() || --it->second.holders > 0) return;
  // Unlinked while still locked, then closed (which releases the lock): a
  // process waiting on the old inode sees it is no longer the named one.
  ::unlink(lock_path_.c_str());
  ::close(it->second.fd);
  held_locks().erase(it);
}

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

Experiment read_experiment(const std::string& path, const ReadOptions& options) {
  std::lock_guard lock(h5_lock());
  H5::Exception::dontPrint();
  try {
    check_is_experiment(path);
    return read_file(path, options);
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
  // Two updates at once would each copy the file and the later rename would
  // drop the other's result: a second process is refused instead.
  const FileLock writer(path, "update");
  std::lock_guard lock(h5_lock());
  H5::Exception::dontPrint();
  try {
    check_is_experiment(path);
  } catch (const H5::Exception& e) {
    throw InputError("cannot open '" + path + "' as " + kExpected + ": " + h5_detail(e));
  }
  const std::string tmp = temp_path(path);
  try {
    {
      // Edited in memory and written to the temporary in one piece (io/h5.hpp).
      H5::H5File file = h5::open_in_memory(path);
      h5::fill_and_save(file, edit, tmp);
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

std::string unusable_reason(const NetworkRecord& rec) {
  const Network& net = rec.trained;
  if (net.units() == 0)
    return fmt::format("no weights (status {}{})", rec.status, rec.status_reason.empty() ? "" : ": " + rec.status_reason);
  const bool finite = net.w_rec.allFinite() && net.w_in.allFinite() && net.w_out.allFinite() && net.b.allFinite() &&
                      net.b_out.allFinite() && net.x0.allFinite();
  if (!finite) return fmt::format("its weights are not finite (status {})", rec.status);
  return "";
}

void write_training_curves(H5::Group& g, const TrainingCurves& curves) {
  h5::write_vector(g, "iteration", curves.iteration);
  h5::write_vector(g, "loss", curves.loss);
  h5::write_vector(g, "val_loss", curves.val_loss);
  h5::write_vector(g, "val_accuracy", curves.val_accuracy);
  h5::write_vector(g, "wall_time", curves.wall_time);
  if (!curves.stage_start.empty()) h5::write_vector(g, "stage_start", curves.stage_start);
}

TrainingCurves read_training_curves(const H5::Group& g, bool required) {
  auto column = [&](const char* name) {
    if (!required && !h5::exists(g, name)) return std::vector<double>{};
    const Eigen::VectorXd v = h5::read_vector(g, name);
    return std::vector<double>(v.data(), v.data() + v.size());
  };
  TrainingCurves curves{column("iteration"), column("loss"), column("val_loss"), column("val_accuracy"),
                        column("wall_time"), {}};
  if (h5::exists(g, "stage_start")) curves.stage_start = column("stage_start");
  return curves;
}

}  // namespace rnnlab

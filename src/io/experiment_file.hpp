#pragma once
// The experiment file (docs/file-format.md): one HDF5 file per experiment.
//
//   /                        attrs: config (TOML text as run), rnnlab_version
//   /networks/<seed>/        attrs: seed, status ("trained" | "collapsed" | "diverged" | "imported"
//                                   | "failed" | "missing"), status_reason, iterations, origin,
//                                   alpha, dt, activation; best_iteration, best_val_loss,
//                                   best_val_accuracy, final_val_loss, final_val_accuracy
//                                   (trained by rnnlab since the best weights are kept)
//                            in a sweep the group is /networks/<index>, with attrs
//                            sweep_point, sweep (its label) and a group sweep/ (key = value)
//   /sweep/                  only in a sweep: keys, labels, one dataset per key
//       initial/, trained/   w_in (N x I), w_rec (N x N), w_out (O x N), b, b_out, x0,
//                            sign (N, Dale only), mask_rec (N x N; absent = all ones, dense);
//                            float32 where the values are exactly float32, else float64;
//                            trained/ holds the weights with the best validation loss
//                            (docs/training.md); initial/ is left out for large networks
//                            whose initial weights the config and seed regenerate, with
//                            attr initial_regenerated_checksum (io/initial_weights.hpp)
//       final/               the last weights, when they are not the best ones (no mask_rec:
//                            trained/'s applies)
//       train/               iteration, loss, val_loss, val_accuracy, wall_time
//       analysis/...         written by `rnnlab analyze`
//
// Files are written to a temporary name beside the target and renamed, so a
// crash never leaves half a file. HDF5 calls are serialised by one mutex
// (h5_lock()), so threads may call these functions freely.
#include <cstdint>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/network.hpp"
#include "spec/training_curves.hpp"

namespace H5 { class H5File; class Group; }

namespace rnnlab {

std::recursive_mutex& h5_lock();

struct NetworkRecord {
  // The network's key: its group /networks/<seed>. The seed it was trained
  // from, except in a sweep (sweep_point >= 0): there it is the network's
  // index in the job and sweep_seed is the seed (docs/file-format.md).
  std::uint64_t seed = 0;
  std::string status = "trained";  // trained | collapsed | diverged | imported | failed | missing
  std::string status_reason;       // why it collapsed or diverged, what it was imported from
  std::string origin = "rnnlab";   // "rnnlab", or the source of an import
  long iterations = 0;
  Network initial;                 // effective weights at initialisation (may be empty for imports)
  // Effective weights with the lowest validation loss seen in training (at
  // best_iteration); for files without best_iteration (older files, imports,
  // networks that diverged before any validation), the last weights.
  Network trained;
  // The last weights when they are not the best ones; empty when trained is the last.
  Network final_weights;
  long best_iteration = -1;  // -1: not recorded
  double best_val_loss = std::numeric_limits<double>::quiet_NaN();
  double best_val_accuracy = std::numeric_limits<double>::quiet_NaN();
  double final_val_loss = std::numeric_limits<double>::quiet_NaN();  // of the last weights
  double final_val_accuracy = std::numeric_limits<double>::quiet_NaN();
  Eigen::MatrixXd mask_rec;        // N x N connectivity mask (empty = dense)
  TrainingCurves curves;
  // Its place in a sweep (docs/config.md "[sweep]"); -1 and empty without one.
  int sweep_point = -1;
  std::vector<std::pair<std::string, std::string>> sweep;  // (key, value as TOML text), sorted by key
  std::uint64_t sweep_seed = 0;                            // in a sweep, the seed it was trained from
};

struct Experiment {
  std::string config;          // TOML text
  std::string rnnlab_version;
  std::vector<NetworkRecord> networks;
};

// One writer per file: an advisory lock (flock) on "<path>.lock" beside it,
// taken by the commands that write or rewrite `path` (train, import, analyze
// and update_experiment) for as long as they work on it. A second process is
// refused with an InputError (exit 2) naming the holder (command, pid, host,
// since when). Re-entrant within one process: a command holding it may call
// update_experiment, which takes it again. The kernel drops the lock when the
// holder dies, so a killed run leaves no stale lock; the file itself is
// removed on release. `what` names the holder in that message ("train").
// Taking it also removes "<path>.tmp-<pid>" temporaries of killed writers.
class FileLock {
 public:
  FileLock(const std::string& path, const std::string& what);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  std::string lock_path_;
};

// Why a network cannot be run or analysed, or "" when it can: no weights
// (training failed or has not finished: status failed / missing) or
// non-finite weights (it diverged to NaN). The one check every command and
// analysis uses, so a bad network is skipped with this reason and the rest go on.
std::string unusable_reason(const NetworkRecord& rec);

// Writes the whole experiment atomically (temporary file + rename).
void write_experiment(const std::string& path, const Experiment& experiment);

// The training curves of one network as column datasets of `g` (the file's
// networks/<seed>/train/ and a checkpoint's curves/ share the layout), with
// stage_start only for a [[curriculum]]. The reader takes a missing column as
// empty unless `required` (a checkpoint's own curves must all be there).
void write_training_curves(H5::Group& g, const TrainingCurves& curves);
TrainingCurves read_training_curves(const H5::Group& g, bool required);
// Which weight sets read_experiment reads: a command that needs only the
// trained weights (`rnnlab info`) skips the others, which at N = 2000 are
// tens of MB each or an initialisation to regenerate.
struct ReadOptions {
  bool initial = true;        // initial/ (or its regeneration, io/initial_weights.hpp)
  bool final_weights = true;  // final/
};

// Reads every network (weights, curves; not the analysis groups).
Experiment read_experiment(const std::string& path, const ReadOptions& options = {});
// Opens a copy of `path` read-write, lets `edit` add to it (e.g. analysis
// results), then renames the copy over `path`. If `edit` throws, `path` is untouched.
void update_experiment(const std::string& path, const std::function<void(H5::H5File&)>& edit);

}  // namespace rnnlab

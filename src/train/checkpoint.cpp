#include "train/checkpoint.hpp"

#include <H5Cpp.h>
#include <unistd.h>

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "util/error.hpp"
#include "util/text_file.hpp"

namespace rnnlab {

namespace fs = std::filesystem;

namespace {

std::string network_file(const std::string& dir, std::uint64_t seed) { return fmt::format("{}/{}.h5", dir, seed); }

void write_weights(H5::Group& parent, const std::string& name, const Weights<float>& w) {
  H5::Group g = h5::require_group(parent, name);
  h5::write_matrix(g, "w_in", w.w_in.cast<double>());
  h5::write_matrix(g, "w_rec", w.w_rec.cast<double>());
  h5::write_matrix(g, "w_out", w.w_out.cast<double>());
  h5::write_vector(g, "b", Eigen::VectorXd(w.b.cast<double>()));
  h5::write_vector(g, "b_out", Eigen::VectorXd(w.b_out.cast<double>()));
  h5::write_vector(g, "x0", Eigen::VectorXd(w.x0.cast<double>()));
  if (w.log_tau.size() > 0) h5::write_vector(g, "log_tau", Eigen::VectorXd(w.log_tau.cast<double>()));
}

// float -> double -> float is exact, so the resumed run continues bit for bit.
Weights<float> read_weights(const H5::Group& parent, const std::string& name) {
  H5::Group g = parent.openGroup(name);
  Weights<float> w;
  w.w_in = h5::read_matrix(g, "w_in").cast<float>();
  w.w_rec = h5::read_matrix(g, "w_rec").cast<float>();
  w.w_out = h5::read_matrix(g, "w_out").cast<float>();
  w.b = h5::read_vector(g, "b").cast<float>();
  w.b_out = h5::read_vector(g, "b_out").cast<float>();
  w.x0 = h5::read_vector(g, "x0").cast<float>();
  if (h5::exists(g, "log_tau")) w.log_tau = h5::read_vector(g, "log_tau").cast<float>();
  return w;
}

}  // namespace

std::string checkpoint_dir_for(const std::string& output_path) { return output_path + ".partial"; }

void prepare_checkpoint_dir(const std::string& dir, const std::string& config_text, bool resume) {
  const std::string config_path = dir + "/config.toml";
  if (resume && fs::exists(config_path)) {
    if (read_text(config_path) != config_text)
      throw InputError(fmt::format("--resume: the config differs from the one the checkpoints in '{}' were made "
                                   "with; run with the same config (and --set options), or without --resume",
                                   dir));
    return;
  }
  fs::create_directories(dir);
  write_text_atomically(config_path, config_text);
}

void save_checkpoint(const std::string& dir, const NetworkState& state) { save_checkpoint(dir, state.seed, state); }

void save_checkpoint(const std::string& dir, std::uint64_t key, const NetworkState& state) {
  const std::string path = network_file(dir, key);
  const std::string tmp = fmt::format("{}.tmp-{}", path, ::getpid());
  // On any failure (a full disk, say) the temporary goes and the last good
  // checkpoint stays: the error names the file, and the worker records it.
  try {
    std::lock_guard lock(h5_lock());
    H5::H5File file = h5::create_in_memory(tmp);  // written in one piece (io/h5.hpp)
    h5::fill_and_save(file, [&](H5::H5File& f) {
      H5::Group root = f.openGroup("/");
      h5::write_attr(root, "seed", static_cast<long>(state.seed));
      h5::write_attr(root, "iteration", state.iteration);
      h5::write_attr(root, "status", state.status);
      h5::write_attr(root, "reason", state.reason);
      h5::write_attr(root, "wall_time", state.wall_time);
      h5::write_attr(root, "adam_step", state.adam.step);
      write_weights(root, "theta", state.theta);
      if (state.adam.step > 0) {
        write_weights(root, "adam_m", state.adam.m);
        write_weights(root, "adam_v", state.adam.v);
      }
      // The best parameters so far: a resumed run keeps comparing against them.
      h5::write_attr(root, "best_iteration", state.best_iteration);
      h5::write_attr(root, "best_val_loss", state.best_val_loss);
      h5::write_attr(root, "best_val_accuracy", state.best_val_accuracy);
      h5::write_attr(root, "final_val_loss", state.final_val_loss);
      h5::write_attr(root, "final_val_accuracy", state.final_val_accuracy);
      if (state.best_iteration >= 0) write_weights(root, "best", state.best_theta);
      H5::Group curves = h5::require_group(root, "curves");
      // With a curriculum the stage in force is the last begun: a resume continues it.
      write_training_curves(curves, state.curves);
    }, tmp);
    fs::rename(tmp, path);
  } catch (const H5::Exception& e) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw Error(fmt::format("cannot write checkpoint '{}': {}", path, h5::message(e)));
  } catch (const fs::filesystem_error& e) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw Error(fmt::format("cannot write checkpoint '{}': {}", path, e.code().message()));
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
}

std::optional<NetworkState> load_checkpoint(const std::string& dir, std::uint64_t key) {
  const std::string path = network_file(dir, key);
  if (!fs::exists(path)) return std::nullopt;
  std::lock_guard lock(h5_lock());
  try {
    H5::H5File file(path, H5F_ACC_RDONLY);
    H5::Group root = file.openGroup("/");
    NetworkState state;
    state.seed = static_cast<std::uint64_t>(h5::read_long_attr(root, "seed"));
    state.iteration = h5::read_long_attr(root, "iteration");
    state.status = h5::read_string_attr(root, "status");
    state.reason = h5::read_string_attr(root, "reason");
    state.wall_time = h5::read_double_attr(root, "wall_time");
    state.adam.step = h5::read_long_attr(root, "adam_step");
    state.theta = read_weights(root, "theta");
    if (state.adam.step > 0) {
      state.adam.m = read_weights(root, "adam_m");
      state.adam.v = read_weights(root, "adam_v");
    }
    if (h5::has_attr(root, "best_iteration")) {  // absent in checkpoints written before best weights were kept
      state.best_iteration = h5::read_long_attr(root, "best_iteration");
      state.best_val_loss = h5::read_double_attr(root, "best_val_loss");
      state.best_val_accuracy = h5::read_double_attr(root, "best_val_accuracy");
      state.final_val_loss = h5::read_double_attr(root, "final_val_loss");
      state.final_val_accuracy = h5::read_double_attr(root, "final_val_accuracy");
      if (state.best_iteration >= 0) state.best_theta = read_weights(root, "best");
    }
    state.curves = read_training_curves(root.openGroup("curves"), true);
    return state;
  } catch (const H5::Exception& e) {
    throw Error(fmt::format("cannot read checkpoint '{}': {}", path, h5::message(e)));
  }
}

namespace {

std::string failure_file(const std::string& dir, std::uint64_t key) { return fmt::format("{}/{}.failed", dir, key); }

}  // namespace

void save_failure(const std::string& dir, std::uint64_t key, const std::string& reason) {
  const std::string path = failure_file(dir, key);
  const std::string tmp = fmt::format("{}.tmp-{}", path, ::getpid());
  bool written = false;
  {
    std::ofstream out(tmp);
    out << reason;
    out.close();
    written = static_cast<bool>(out);
  }
  std::error_code ignored;  // a note that cannot be written leaves the network "missing": still resumable
  if (written) fs::rename(tmp, path, ignored);
  if (!written || ignored) fs::remove(tmp, ignored);
}

std::optional<std::string> load_failure(const std::string& dir, std::uint64_t key) {
  const std::string path = failure_file(dir, key);
  if (!fs::exists(path)) return std::nullopt;
  return read_text(path);
}

void clear_failure(const std::string& dir, std::uint64_t key) {
  std::error_code ignored;  // no note: nothing to do
  fs::remove(failure_file(dir, key), ignored);
}

}  // namespace rnnlab

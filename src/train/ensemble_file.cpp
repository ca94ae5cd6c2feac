#include "train/ensemble_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <mutex>

#include "train/checkpoint.hpp"
#include "train/ensemble.hpp"
#include "train/record.hpp"
#include "train/warm_start.hpp"
#include "util/error.hpp"

namespace rnnlab {

namespace {

// Exclusive for the life of the object, against other processes (flock) and
// other threads of this one (the mutex; flock alone would do, as each lock
// opens the file anew, but the mutex makes that plain).
class FolderLock {
 public:
  explicit FolderLock(const std::string& dir) : guard_(mutex()) {
    const std::string path = dir + "/lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw Error(fmt::format("cannot open the lock file '{}': {}", path, std::strerror(errno)));
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd_);
      throw Error(fmt::format("cannot lock '{}': {}", path, std::strerror(err)));
    }
  }
  ~FolderLock() { ::close(fd_); }  // closing releases the flock
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  std::lock_guard<std::mutex> guard_;
  int fd_ = -1;
};

NetworkRecord record_without_weights(const std::string& status, const std::string& reason) {
  NetworkRecord rec;
  rec.status = status;
  rec.status_reason = reason;
  return rec;
}

}  // namespace

std::vector<NetworkRecord> records_from_checkpoints(const ExperimentConfig& config, const std::string& dir) {
  std::vector<NetworkRecord> records;
  for (const NetworkSlot& slot : config.networks()) {
    const std::optional<NetworkState> state = load_checkpoint(dir, slot.key);
    if (state && state->finished()) {
      const ExperimentConfig& point = config.at(slot.point);
      records.push_back(network_record(point.model, initial_model(point, slot.seed), *state));
    } else if (const auto reason = load_failure(dir, slot.key)) {
      records.push_back(record_without_weights("failed", *reason));
    } else {
      records.push_back(record_without_weights(
          kMissingStatus,
          state ? fmt::format("not finished: checkpoint at iteration {}; rerun with --resume", state->iteration)
                : "not started; rerun with --resume"));
    }
    place_in_job(records.back(), slot, config);
  }
  return records;
}

AssemblyCount assemble_experiment_file(const ExperimentConfig& config, const std::string& dir,
                                       const std::string& output) {
  FolderLock lock(dir);
  Experiment experiment;
  experiment.config = config.toml_text;
  experiment.rnnlab_version = RNNLAB_VERSION;
  experiment.networks = records_from_checkpoints(config, dir);
  write_experiment(output, experiment);
  AssemblyCount count;
  for (const NetworkRecord& rec : experiment.networks) (rec.status == kMissingStatus ? count.missing : count.finished)++;
  return count;
}

}  // namespace rnnlab

#include "train/ensemble.hpp"

#include <algorithm>
#include <atomic>
#include <H5Cpp.h>
#include <fmt/format.h>

#include <exception>
#include <mutex>
#include <new>
#include <thread>

#include "train/checkpoint.hpp"
#include "train/record.hpp"
#include "train/warm_start.hpp"

namespace rnnlab {

int resolve_threads(int requested, int configured) {
  const int threads = requested > 0 ? requested : configured;
  return threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

ThreadPlan plan_threads(int threads, int networks) {
  ThreadPlan plan;
  plan.networks_at_once = std::max(1, std::min(threads, networks));
  plan.per_network = std::max(1, threads / plan.networks_at_once);
  return plan;
}

namespace {

// A trainer reports under its seed, which repeats at every sweep point; the
// ensemble's sink hears the network's key instead.
class KeyedProgress : public ProgressSink {
 public:
  KeyedProgress(ProgressSink* sink, std::uint64_t key) : sink_(sink), key_(key) {}
  void update(std::uint64_t, long iteration, double loss, double val_accuracy) override {
    sink_->update(key_, iteration, loss, val_accuracy);
  }
  void finished(std::uint64_t, const std::string& status, const std::string& reason) override {
    sink_->finished(key_, status, reason);
  }

 private:
  ProgressSink* sink_;
  std::uint64_t key_;
};

NetworkRecord train_one(const ExperimentConfig& config, const NetworkSlot& slot, const EnsembleOptions& options,
                        int threads, bool& trained_now) {
  const ExperimentConfig& point = config.at(slot.point);
  NetworkTrainer trainer = make_trainer(point, slot.seed, options.task ? options.task(point, slot.seed) : nullptr);
  // More threads than the batch has chunks would wait idle.
  trainer.set_threads(std::min(threads, BatchChunks(1, point.train.batch, kTrialsPerChunk).count()));
  NetworkState state = trainer.initial_state();
  const bool checkpoints = !options.checkpoint_dir.empty();
  if (checkpoints && options.resume)
    if (auto saved = load_checkpoint(options.checkpoint_dir, slot.key)) state = std::move(*saved);
  KeyedProgress progress(options.progress, slot.key);
  ProgressSink* sink = options.progress ? &progress : nullptr;
  if (!state.finished()) {
    auto save = [&](const NetworkState& s) {
      if (checkpoints) save_checkpoint(options.checkpoint_dir, slot.key, s);
    };
    trainer.run(state, save, sink);
    save(state);  // finished networks are kept too: a resume does not retrain them
    trained_now = true;
  } else if (sink) {
    sink->finished(slot.key, state.status, state.reason);
  }
  NetworkRecord rec = network_record(point.model, trainer.initial_model(), state);
  place_in_job(rec, slot, config);
  return rec;
}

}  // namespace

NetworkTrainer make_trainer(const ExperimentConfig& point, std::uint64_t seed, std::shared_ptr<const Task> task) {
  const bool given = task != nullptr;
  if (!given) task = make_task(point.task.name, point.task.params, point.model.dt);
  NetworkTrainer trainer(point.model, point.train, initial_model(point, seed), task, seed);
  if (point.curriculum.empty()) return trainer;
  // Each stage's task from its parameters; a task given by the caller (from
  // Python) is every stage's, as the config refuses stages that change its parameters.
  std::vector<TrainingStage> stages;
  for (const CurriculumStage& stage : point.curriculum)
    stages.push_back({given ? task : std::shared_ptr<const Task>(make_task(point.task.name, stage.task, point.model.dt)),
                      stage.iterations, stage.until_accuracy});
  trainer.set_curriculum(std::move(stages));
  return trainer;
}

std::vector<NetworkSlot> share_of_networks(const ExperimentConfig& config, int rank, int ranks) {
  const std::vector<NetworkSlot> all = config.networks();
  std::vector<NetworkSlot> mine;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (static_cast<int>(i % static_cast<std::size_t>(std::max(1, ranks))) == rank) mine.push_back(all[i]);
  return mine;
}

void place_in_job(NetworkRecord& rec, const NetworkSlot& slot, const ExperimentConfig& config) {
  rec.seed = slot.key;
  rec.sweep_point = slot.point;
  rec.sweep.clear();
  rec.sweep_seed = 0;
  if (slot.point < 0) return;
  rec.sweep = config.sweep.point(slot.point);
  rec.sweep_seed = slot.seed;
}

std::vector<NetworkRecord> train_ensemble(const ExperimentConfig& config, const EnsembleOptions& options) {
  check_init_from(config);  // a bad train.init_from is the user's error (exit 2), not each network's failure
  const std::vector<NetworkSlot> slots = share_of_networks(config, options.rank, options.ranks);
  std::vector<NetworkRecord> records(slots.size());
  std::atomic<std::size_t> next{0};
  // An exception must not leave a worker thread (std::terminate ends the
  // whole job): everything, HDF5's own exceptions included, is caught here.
  const auto message_of = [](std::exception_ptr error) -> std::string {
    try {
      std::rethrow_exception(error);
    } catch (const std::bad_alloc&) {
      return "out of memory (std::bad_alloc)";
    } catch (const std::exception& e) {
      return e.what();
    } catch (const H5::Exception& e) {
      return "HDF5 error in " + e.getFuncName() + ": " + e.getDetailMsg();
    } catch (...) {
      return "an unknown error";
    }
  };
  std::mutex refresh_mutex;
  bool refresh_failed = false;
  const ThreadPlan plan =
      plan_threads(resolve_threads(options.threads, config.ensemble.threads), static_cast<int>(slots.size()));
  auto worker = [&] {
    for (std::size_t i = next++; i < slots.size(); i = next++) {
      const NetworkSlot& slot = slots[i];
      bool trained_now = false;
      std::exception_ptr error;
      try {
        records[i] = train_one(config, slot, options, plan.per_network, trained_now);
      } catch (...) {
        error = std::current_exception();
      }
      if (error) {
        // Only this network is lost; the file says why.
        const std::string reason = message_of(error);
        records[i] = NetworkRecord{};
        records[i].status = "failed";
        records[i].status_reason = reason;
        place_in_job(records[i], slot, config);
        trained_now = true;
        try {
          if (!options.checkpoint_dir.empty()) save_failure(options.checkpoint_dir, slot.key, reason);
        } catch (...) {
          // No note: the network stays "missing" in the file, still resumable.
        }
        if (options.progress) options.progress->finished(slot.key, "failed", reason);
      }
      if (!trained_now || !options.on_finished) continue;
      // The refresh of the output file (a full disk, say) is not this
      // network's failure: its checkpoint is kept and the final write tries
      // again, reporting the error if it persists. Said once per job.
      try {
        options.on_finished(slot.key);
      } catch (...) {
        const std::string reason = message_of(std::current_exception());
        std::lock_guard lock(refresh_mutex);
        if (!refresh_failed)
          fmt::print(stderr, "rnnlab: warning: {}; the checkpoints are kept and the final write tries again\n",
                     reason);
        refresh_failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < plan.networks_at_once; ++t) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  return records;
}

}  // namespace rnnlab

#include "train/ensemble.hpp"

#include <algorithm>
#include <atomic>
#include <fmt/format.h>
#include <thread>

#include "train/checkpoint.hpp"

namespace rnnlab {

int resolve_threads(int requested, int configured, int jobs) {
  int threads = requested > 0 ? requested : configured;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::max(1, std::min(threads, jobs));
}

namespace {

NetworkRecord train_one(const ExperimentConfig& config, std::uint64_t seed, const EnsembleOptions& options,
                        bool& trained_now) {
  NetworkTrainer trainer(config, seed);
  NetworkState state = trainer.initial_state();
  const bool checkpoints = !options.checkpoint_dir.empty();
  if (checkpoints && options.resume)
    if (auto saved = load_checkpoint(options.checkpoint_dir, seed)) state = std::move(*saved);
  if (!state.finished()) {
    auto save = [&](const NetworkState& s) {
      if (checkpoints) save_checkpoint(options.checkpoint_dir, s);
    };
    trainer.run(state, save, options.progress);
    save(state);  // finished networks are kept too: a resume does not retrain them
    trained_now = true;
  } else if (options.progress) {
    options.progress->finished(seed, state.status, state.reason);
  }
  return trainer.record(state);
}

}  // namespace

std::vector<std::uint64_t> share_of_seeds(const ExperimentConfig& config, int rank, int ranks) {
  const std::vector<std::uint64_t> all = config.seeds();
  std::vector<std::uint64_t> mine;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (static_cast<int>(i % static_cast<std::size_t>(std::max(1, ranks))) == rank) mine.push_back(all[i]);
  return mine;
}

std::vector<NetworkRecord> train_ensemble(const ExperimentConfig& config, const EnsembleOptions& options) {
  const std::vector<std::uint64_t> seeds = share_of_seeds(config, options.rank, options.ranks);
  std::vector<NetworkRecord> records(seeds.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < seeds.size(); i = next++) {
      bool trained_now = false;
      try {
        records[i] = train_one(config, seeds[i], options, trained_now);
      } catch (const std::exception& e) {
        // Only this network is lost; the file says why.
        records[i].seed = seeds[i];
        records[i].status = "failed";
        records[i].status_reason = e.what();
        trained_now = true;
        if (!options.checkpoint_dir.empty()) save_failure(options.checkpoint_dir, seeds[i], e.what());
        if (options.progress) options.progress->finished(seeds[i], "failed", e.what());
      }
      if (trained_now && options.on_finished) options.on_finished(seeds[i]);
    }
  };
  const int threads =
      resolve_threads(options.threads, config.ensemble.threads, static_cast<int>(seeds.size()));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  return records;
}

}  // namespace rnnlab

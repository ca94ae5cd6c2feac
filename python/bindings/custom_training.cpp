#include "custom_training.hpp"

namespace rnnlab::py_bind {

std::vector<NetworkRecord> train_on_task(const ExperimentConfig& config, const Task& task, ProgressSink* progress) {
  // The caller owns the task and outlives the training: a non-owning pointer.
  const std::shared_ptr<const Task> shared(&task, [](const Task*) {});
  std::vector<NetworkRecord> records;
  for (const auto seed : config.seeds()) {
    NetworkTrainer trainer(config, seed, shared);
    NetworkState state = trainer.initial_state();
    trainer.run(state, {}, progress);
    NetworkRecord rec = trainer.record(state);
    rec.origin = "python:" + task.name();
    records.push_back(std::move(rec));
  }
  return records;
}

}  // namespace rnnlab::py_bind

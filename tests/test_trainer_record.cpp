// The trainer takes specs, and a network's record is made outside it
// (train/record.hpp) from its state and initial model: a file assembled from
// checkpoints holds the very record training returned, without a trainer or
// a single trial drawn. Tasks can come from outside the registry
// (EnsembleOptions::task), and a config naming a Python task parses but
// cannot make its task here.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fmt/format.h>

#include "config_support.hpp"
#include "io/config.hpp"
#include "tasks/python_task.hpp"
#include "train/checkpoint.hpp"
#include "train/ensemble.hpp"
#include "train/ensemble_file.hpp"
#include "util/error.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;
using testing_support::parse;

// Dale's law and a sparse mask, so that initial/, the signs and mask_rec are
// all the initial model's (re-made for the record, not taken from a trainer);
// a rate high enough that the best weights are not the last (final/ written).
const char* kConstrained = R"(
[task]
name = "flipflop"
bits = 1
duration = 200

[model]
units = 12
dale = true
connectivity = 0.5

[train]
iterations = 40
batch = 8
learning_rate = 0.05
validate_every = 10
validation_trials = 16
checkpoint_every = 0
seed = 4

[ensemble]
seeds = 2
)";

// A registry task that counts the batches drawn from it.
class CountingTask : public Task {
 public:
  CountingTask(std::unique_ptr<Task> task, std::atomic<int>& batches) : task_(std::move(task)), batches_(batches) {}
  std::string name() const override { return task_->name(); }
  int n_inputs() const override { return task_->n_inputs(); }
  int n_outputs() const override { return task_->n_outputs(); }
  int steps() const override { return task_->steps(); }
  TrialBatch batch(int trials, Rng& rng) const override {
    ++batches_;
    return task_->batch(trials, rng);
  }
  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    return task_->accuracy(batch, outputs);
  }

 private:
  std::unique_ptr<Task> task_;
  std::atomic<int>& batches_;
};

void expect_same_network(const Network& a, const Network& b) {
  EXPECT_EQ(a.w_in, b.w_in);
  EXPECT_EQ(a.w_rec, b.w_rec);
  EXPECT_EQ(a.w_out, b.w_out);
  EXPECT_EQ(a.b, b.b);
  EXPECT_EQ(a.x0, b.x0);
  EXPECT_EQ(a.sign, b.sign);
  EXPECT_EQ(a.alpha, b.alpha);
}

TEST(TrainerRecord, AssembledFromCheckpointsWithoutTrialsItIsTheRecordTrainingReturned) {
  const ExperimentConfig config = parse(kConstrained);
  const std::string dir = (fs::temp_directory_path() / fmt::format("rnnlab-record-{}", ::getpid())).string();
  fs::remove_all(dir);
  prepare_checkpoint_dir(dir, config.toml_text, false);
  std::atomic<int> batches{0};
  EnsembleOptions options;
  options.threads = 2;
  options.checkpoint_dir = dir;
  options.task = [&](const ExperimentConfig& point, std::uint64_t) {
    return std::make_shared<CountingTask>(make_task(point.task.name, point.task.params, point.model.dt), batches);
  };
  const std::vector<NetworkRecord> trained = train_ensemble(config, options);
  // Per network: the validation trials once, then one batch per iteration.
  EXPECT_EQ(batches, 2 * (1 + 40));

  const std::vector<NetworkRecord> assembled = records_from_checkpoints(config, dir);
  EXPECT_EQ(batches, 2 * (1 + 40));  // the records drew no trial
  ASSERT_EQ(assembled.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const NetworkRecord &a = trained[i], &b = assembled[i];
    EXPECT_EQ(a.seed, 4 + i);
    EXPECT_EQ(b.seed, a.seed);
    EXPECT_EQ(b.status, a.status);
    EXPECT_EQ(b.iterations, 40);
    expect_same_network(b.initial, a.initial);
    expect_same_network(b.trained, a.trained);
    EXPECT_EQ(b.mask_rec, a.mask_rec);
    EXPECT_GT((a.mask_rec.array() == 0).count(), 0);  // the sparse mask: something to compare
    EXPECT_EQ(a.initial.sign.size(), 12);
    EXPECT_EQ(b.best_iteration, a.best_iteration);
    EXPECT_EQ(b.best_val_loss, a.best_val_loss);
    EXPECT_EQ(b.curves.val_loss, a.curves.val_loss);
    EXPECT_EQ(b.final_weights.units(), a.final_weights.units());
    if (a.final_weights.units() > 0) expect_same_network(b.final_weights, a.final_weights);
  }
  // The initial weights are the initialiser's for each seed, not one another's.
  EXPECT_NE(assembled[0].initial.w_rec, assembled[1].initial.w_rec);

  // The task from EnsembleOptions::task is the registry's own here: the same bits as without it.
  const std::vector<NetworkRecord> registry = train_ensemble(config, EnsembleOptions{1});
  for (std::size_t i = 0; i < 2; ++i) expect_same_network(registry[i].trained, trained[i].trained);
  fs::remove_all(dir);
}

TEST(TrainerRecord, APythonTaskConfigParsesButItsTaskIsMadeOnlyInPython) {
  const std::string text = "[task]\nname = \"python:Decision\"\ninputs = 2\noutputs = 3\nlow = 0.25\nsteps = 24\n"
                           "[model]\nunits = 8\n";
  const ExperimentConfig config = parse(text);
  EXPECT_EQ(config.task.name, "python:Decision");
  EXPECT_EQ(config.model.inputs, 2);
  EXPECT_EQ(config.model.outputs, 3);
  EXPECT_EQ(std::get<double>(config.task.params.at("low")), 0.25);
  // The config as run keeps the table, whole numbers as integers, and parses to the same.
  EXPECT_NE(config.toml_text.find("[task]\nname = \"python:Decision\"\ninputs = 2\nlow = 0.25\noutputs = 3\nsteps = 24\n"),
            std::string::npos)
      << config.toml_text;
  EXPECT_EQ(parse(config.toml_text).task.params, config.task.params);

  try {
    make_task(config.task.name, config.task.params, 10.0);
    ADD_FAILURE() << "a Python task was made in C++";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("\"python:Decision\" is a task written in Python"), std::string::npos) << what;
    EXPECT_NE(what.find("rnnlab.dynamics(record.trained, task=Decision())"), std::string::npos) << what;
  }
  EXPECT_NE(testing_support::error_of("[task]\nname = \"python:Decision\"\ninputs = 2\n").find("task.outputs"),
            std::string::npos);
  EXPECT_NE(testing_support::error_of("[task]\nname = \"python:Decision\"\ninputs = 0.5\noutputs = 1\n")
                .find("task.inputs: a task from Python"),
            std::string::npos);
  EXPECT_TRUE(is_python_task("python:x"));
  EXPECT_FALSE(is_python_task("flipflop"));
}

}  // namespace
}  // namespace rnnlab

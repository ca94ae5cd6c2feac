// [[curriculum]] (docs/training.md "Curricula"): stages run in order on the
// same weights, each on its own task parameters; a stage ends at its
// iteration budget or, earlier, at its until_accuracy; a run stopped
// mid-curriculum resumes bit for bit; bad stages are refused naming the key.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>

#include "config_support.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "test_support.hpp"
#include "train/checkpoint.hpp"
#include "train/ensemble.hpp"
#include "util/error.hpp"
#include "training_support.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;
using testing_support::train_on_one_thread;
using testing_support::fresh_test_dir;
using testing_support::KillAt;
using testing_support::run_rnnlab;

// A perceptual decision whose delay grows: 0 ms, then 100 ms, then the
// [task]'s own 200 ms. Small and short enough to train in well under a second.
const char* const kGrowingDelay = R"(
[task]
name = "perceptual_dm"
fixation = 20
stimulus = 100
delay = 200
decision = 100
grace = 20
[model]
units = 12
dt = 20
tau = 100
[train]
iterations = 50
batch = 16
learning_rate = 0.01
validate_every = 5
validation_trials = 32
checkpoint_every = 10
seed = 3

[[curriculum]]
iterations = 20
delay = 0

[[curriculum]]
iterations = 15
delay = 100

[[curriculum]]
iterations = 25
)";

ExperimentConfig config_of(const std::vector<std::string>& overrides = {}) {
  return parse_config(kGrowingDelay, "curriculum.toml", overrides);
}

double number(const ParamValue& v) { return std::get<double>(v); }

TEST(Curriculum, StagesTakeTheirOwnTaskParametersAndTheRestFromTask) {
  const ExperimentConfig config = config_of();
  ASSERT_EQ(config.curriculum.size(), 3u);
  EXPECT_EQ(number(config.curriculum[0].task.at("delay")), 0.0);
  EXPECT_EQ(number(config.curriculum[1].task.at("delay")), 100.0);
  EXPECT_EQ(number(config.curriculum[2].task.at("delay")), 200.0);
  EXPECT_EQ(number(config.curriculum[1].task.at("stimulus")), 100.0);  // from [task]
  EXPECT_EQ(config.curriculum[1].iterations, 15);
  // The config as run says the same, and reads back to the same stages.
  const ExperimentConfig again = parse_config(config.toml_text, "as-run");
  ASSERT_EQ(again.curriculum.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(again.curriculum[i].task, config.curriculum[i].task);
    EXPECT_EQ(again.curriculum[i].iterations, config.curriculum[i].iterations);
  }
}

// The task as training sees it: counts the training batches drawn from it and
// remembers their length (validation draws validation_trials, told apart by size).
class CountingTask : public Task {
 public:
  CountingTask(std::shared_ptr<const Task> inner, int batch, double accuracy = -1)
      : inner_(std::move(inner)), batch_(batch), accuracy_(accuracy) {}
  std::string name() const override { return inner_->name(); }
  int n_inputs() const override { return inner_->n_inputs(); }
  int n_outputs() const override { return inner_->n_outputs(); }
  int steps() const override { return inner_->steps(); }
  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch b = inner_->batch(trials, rng);
    if (trials == batch_) {
      ++drawn;
      last_steps = b.steps;
    }
    return b;
  }
  double accuracy(const TrialBatch& b, const Eigen::MatrixXf& y) const override {
    return accuracy_ >= 0 ? accuracy_ : inner_->accuracy(b, y);
  }
  mutable std::atomic<int> drawn{0};
  mutable std::atomic<int> last_steps{0};

 private:
  std::shared_ptr<const Task> inner_;
  int batch_;
  double accuracy_;
};

TEST(Curriculum, EachStageTrainsOnItsOwnTrialsForItsIterations) {
  const ExperimentConfig config = config_of();
  NetworkTrainer trainer = make_trainer(config, 3);
  std::vector<std::shared_ptr<CountingTask>> tasks;
  std::vector<TrainingStage> stages;
  for (const CurriculumStage& stage : config.curriculum) {
    tasks.push_back(std::make_shared<CountingTask>(make_task(config.task.name, stage.task, config.model.dt),
                                                   config.train.batch));
    stages.push_back({tasks.back(), stage.iterations, 0.0});
  }
  trainer.set_curriculum(stages);
  NetworkState state = trainer.initial_state();
  trainer.run(state, nullptr, nullptr);
  EXPECT_EQ(state.status, "trained") << state.reason;
  EXPECT_EQ(state.iteration, 60);
  EXPECT_EQ(state.curves.stage_start, (std::vector<double>{0, 20, 35}));
  EXPECT_EQ(tasks[0]->drawn, 20);
  EXPECT_EQ(tasks[1]->drawn, 15);
  EXPECT_EQ(tasks[2]->drawn, 25);
  // Stage 1's trials have stage 1's delay: 100 ms = 5 more steps of 20 ms than stage 0's.
  EXPECT_EQ(tasks[1]->last_steps - tasks[0]->last_steps, 5);
  EXPECT_EQ(tasks[2]->last_steps - tasks[0]->last_steps, 10);
}

TEST(Curriculum, UntilAccuracyEndsAStageAtTheFirstValidationThatReachesIt) {
  const ExperimentConfig config = config_of();
  NetworkTrainer trainer = make_trainer(config, 3);
  const std::shared_ptr<const Task> task = make_task(config.task.name, config.task.params, config.model.dt);
  // Stage 0 scores 0.95 on every validation, stage 1 0.5: only stage 0 reaches 0.9.
  auto easy = std::make_shared<CountingTask>(task, config.train.batch, 0.95);
  auto hard = std::make_shared<CountingTask>(task, config.train.batch, 0.5);
  trainer.set_curriculum({{easy, 40, 0.9}, {hard, 12, 0.9}});
  NetworkState state = trainer.initial_state();
  trainer.run(state, nullptr, nullptr);
  EXPECT_EQ(state.curves.stage_start, (std::vector<double>{0, 5}));  // the first validation, not 40
  EXPECT_EQ(easy->drawn, 5);
  EXPECT_EQ(hard->drawn, 12);  // not reached: runs its budget
  EXPECT_EQ(state.iteration, 17);

  // A last stage that reaches its criterion ends training.
  NetworkTrainer again = make_trainer(config, 3);
  auto easy_last = std::make_shared<CountingTask>(task, config.train.batch, 0.95);
  again.set_curriculum({{hard, 10, 0.0}, {easy_last, 40, 0.9}});
  NetworkState done = again.initial_state();
  again.run(done, nullptr, nullptr);
  EXPECT_EQ(done.status, "trained");
  EXPECT_EQ(done.iteration, 15);
  EXPECT_NE(done.reason.find("curriculum[1].until_accuracy"), std::string::npos) << done.reason;
}

TEST(Curriculum, TheFileRecordsWhereEachStageBeganAndResumeIsBitForBit) {
  const ExperimentConfig config = config_of();
  const auto uninterrupted = train_on_one_thread(config);
  ASSERT_EQ(uninterrupted.size(), 1u);
  EXPECT_EQ(uninterrupted[0].curves.stage_start, (std::vector<double>{0, 20, 35}));

  const fs::path dir = fresh_test_dir("rnnlab-curriculum-resume");
  const std::string checkpoints = (dir / "out.h5.partial").string();
  prepare_checkpoint_dir(checkpoints, config.toml_text, false);
  KillAt kill(25);  // in stage 1, after the checkpoint at 20 (stage 1's first iteration)
  EnsembleOptions options;
  options.checkpoint_dir = checkpoints;
  options.progress = &kill;
  train_on_one_thread(config, options);
  const auto saved = load_checkpoint(checkpoints, 3);
  ASSERT_TRUE(saved.has_value());
  ASSERT_EQ(saved->iteration, 20);
  EXPECT_EQ(saved->curves.stage_start, (std::vector<double>{0, 20}));  // stage 1 in force
  options.progress = nullptr;
  options.resume = true;
  const auto resumed = train_on_one_thread(config, options);
  ASSERT_EQ(resumed.size(), 1u);
  EXPECT_EQ(resumed[0].trained.w_rec, uninterrupted[0].trained.w_rec);
  EXPECT_EQ(resumed[0].final_weights.w_rec, uninterrupted[0].final_weights.w_rec);
  EXPECT_EQ(resumed[0].curves.val_loss, uninterrupted[0].curves.val_loss);
  EXPECT_EQ(resumed[0].curves.stage_start, uninterrupted[0].curves.stage_start);

  // The experiment file keeps the stage starts.
  Experiment exp;
  exp.config = config.toml_text;
  exp.networks = resumed;
  write_experiment((dir / "out.h5").string(), exp);
  EXPECT_EQ(read_experiment((dir / "out.h5").string()).networks[0].curves.stage_start,
            (std::vector<double>{0, 20, 35}));
  fs::remove_all(dir);
}

// The message of the InputError a config with `stage` appended refuses, or "" if it parses.
std::string refusal(const std::string& stage) {
  try {
    parse_config(std::string(kGrowingDelay) + stage, "bad.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Curriculum, BadStagesAreRefusedNamingTheKey) {
  EXPECT_NE(refusal("[[curriculum]]\ndelai = 5\n").find("curriculum[3].delai"), std::string::npos);
  EXPECT_NE(refusal("[[curriculum]]\ndelai = 5\n").find("delay"), std::string::npos);  // the suggestion
  EXPECT_NE(refusal("[[curriculum]]\niterations = -5\n").find("curriculum[3].iterations"), std::string::npos);
  EXPECT_NE(refusal("[[curriculum]]\nuntil_accuracy = 1.5\n").find("curriculum[3].until_accuracy"),
            std::string::npos);
  EXPECT_NE(refusal("[[curriculum]]\nuntil_accuracy = -0.1\n").find("curriculum[3].until_accuracy"),
            std::string::npos);
  EXPECT_NE(refusal("[[curriculum]]\ndelay = -100\n").find("curriculum[3].delay"), std::string::npos);
  EXPECT_NE(refusal("[[curriculum]]\ndelay = \"long\"\n").find("curriculum[3].delay"), std::string::npos);
  EXPECT_EQ(refusal("[[curriculum]]\ndelay = 40\nuntil_accuracy = 1.0\n"), "");
  EXPECT_NE(refusal("curriculum = 3\n"), "");
}

TEST(Curriculum, TheCliRefusesABadStageWithExitTwo) {
  const fs::path dir = fresh_test_dir("rnnlab-curriculum-cli");
  {
    std::ofstream out(dir / "bad.toml");
    out << kGrowingDelay << "[[curriculum]]\niterations = 0\n";
  }
  const auto r = run_rnnlab(fmt::format("train {} -o {}", (dir / "bad.toml").string(), (dir / "out.h5").string()),
                            dir / "log");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("curriculum[3].iterations"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "out.h5"));
  fs::remove_all(dir);
}

TEST(Curriculum, TheExampleAndItsBaselineDifferOnlyInTheStages) {
  const fs::path dir = fs::path(RNNLAB_SOURCE_DIR) / "examples" / "curriculum";
  const ExperimentConfig staged = load_config((dir / "parametric_wm.toml").string());
  const ExperimentConfig flat = load_config((dir / "parametric_wm_flat.toml").string());
  ASSERT_EQ(staged.curriculum.size(), 3u);
  EXPECT_TRUE(flat.curriculum.empty());
  EXPECT_EQ(staged.iteration_budget(), flat.iteration_budget());
  EXPECT_EQ(staged.task.params, flat.task.params);
  EXPECT_EQ(staged.curriculum.back().task, staged.task.params);  // the last stage is [task]
}

}  // namespace
}  // namespace rnnlab

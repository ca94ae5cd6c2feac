// One network on several threads (train/bptt.hpp, BatchChunks): the batch is
// cut into chunks of a fixed size, each chunk's forward and backward pass
// runs on any thread, and the chunks' gradients are summed in chunk order.
// So 1, 2 or 3 threads give the same bits, and the chunked gradient is the
// gradient of the whole batch (checked in float64 against the one-chunk pass,
// itself checked against finite differences in test_gradient.cpp).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <atomic>
#include <cmath>
#include <fmt/format.h>
#include <stdexcept>

#include "io/config.hpp"
#include "model/constraints.hpp"
#include "train/bptt.hpp"
#include "train/ensemble.hpp"
#include "train/objective.hpp"
#include "util/rng.hpp"
#include "util/thread_pool.hpp"

namespace rnnlab {
namespace {

TEST(ThreadPool, RunsEveryJobOnceAndPassesOnTheFirstError) {
  for (int threads : {1, 2, 3}) {
    ThreadPool pool(threads);
    std::vector<std::atomic<int>> runs(100);
    for (int call = 0; call < 20; ++call) pool.run(100, [&](int i) { ++runs[i]; });
    for (auto& r : runs) EXPECT_EQ(r.load(), 20) << threads << " threads";
    EXPECT_THROW(pool.run(10, [](int i) { if (i == 3) throw std::runtime_error("job 3"); }), std::runtime_error);
    int after = 0;
    pool.run(1, [&](int) { ++after; });  // still usable
    EXPECT_EQ(after, 1);
  }
}

TEST(BatchChunks, LayoutRoundTripsAndEveryColumnHasOnePlace) {
  const BatchChunks chunks(5, 37, 16);  // 16 + 16 + 5 trials
  ASSERT_EQ(chunks.count(), 3);
  EXPECT_EQ(chunks.trials_in(2), 5);
  Eigen::MatrixXf batch = Eigen::MatrixXf::Random(3, 5 * 37), chunked, back;
  to_chunked(batch, chunks, chunked);
  for (Eigen::Index col = 0; col < batch.cols(); ++col)
    ASSERT_EQ(chunked.col(chunks.chunked_column(col)), batch.col(col)) << "column " << col;
  from_chunked(chunked, chunks, back);
  EXPECT_EQ(back, batch);
  // Chunk 1, step 2, its trial 3 is trial 19 of the batch.
  EXPECT_EQ(chunked.col(chunks.first_column(1) + 2 * 16 + 3), batch.col(2 * 37 + 19));
}

struct Problem {
  int units = 12, inputs = 3, outputs = 2, steps = 9, trials = 37;
  Weights<double> w;
  Eigen::MatrixXd inputs_m, targets, noise;
  Eigen::RowVectorXd mask;
};

Problem problem() {
  Problem p;
  Rng rng = Rng::stream(5, Purpose::init);
  auto random = [&](int rows, int cols) {
    Eigen::MatrixXd m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = rng.normal();
    return m;
  };
  p.w = Weights<double>::zeros(p.units, p.inputs, p.outputs);
  p.w.w_in = random(p.units, p.inputs);
  p.w.w_rec = 1.2 * random(p.units, p.units) / std::sqrt(double(p.units));
  p.w.w_out = random(p.outputs, p.units);
  p.w.b = random(p.units, 1);
  p.w.b_out = random(p.outputs, 1);
  p.w.x0 = random(p.units, 1);
  const int cols = p.steps * p.trials;
  p.inputs_m = random(p.inputs, cols);
  p.targets = random(p.outputs, cols);
  p.noise = 0.1 * random(p.units, cols);
  p.mask = (random(1, cols).array() > -0.5).cast<double>();
  return p;
}

TEST(ChunkedGradient, EqualsTheWholeBatchGradient) {
  const Problem p = problem();
  const Regularisation reg{0.01, 0.02};
  Rollout<double> whole_work, chunked_work;
  Weights<double> whole, chunked;
  const LossTerms<double> whole_loss = loss_and_gradient(p.w, 0.2, Activation::tanh, p.inputs_m, p.targets, p.mask, p.steps,
                                              p.trials, &p.noise, reg, whole_work, whole);
  const BatchChunks chunks(p.steps, p.trials, 16);
  Eigen::MatrixXd u, target, noise;
  Eigen::RowVectorXd mask;
  to_chunked(p.inputs_m, chunks, u);
  to_chunked(p.targets, chunks, target);
  to_chunked(p.noise, chunks, noise);
  to_chunked(p.mask, chunks, mask);
  ThreadPool pool(2);
  const double chunked_loss = loss_and_gradient(p.w, 0.2, Activation::tanh, u, target, mask, chunks, &noise, reg,
                                                chunked_work, chunked, &pool).total();
  EXPECT_NEAR(chunked_loss, whole_loss.total(), 1e-13 * whole_loss.total());
  Weights<double> expected = whole;
  chunked.for_each(expected, [](const auto& got, const auto& want) {
    EXPECT_EQ(got.size(), want.size());
    if (want.size() == 0) return;  // log_tau: no learned time constants here
    EXPECT_LT((got - want).norm(), 1e-12 * want.norm()) << (got - want).norm() << " vs " << want.norm();
  });
  Eigen::MatrixXd y;
  from_chunked(chunked_work.y, chunks, y);
  EXPECT_LT((y - whole_work.y).norm(), 1e-13 * whole_work.y.norm());
}

TEST(ChunkedGradient, SameBitsForOneTwoAndThreeThreads) {
  ModelSpec spec;
  spec.units = 24;
  spec.inputs = 3;
  spec.outputs = 2;
  spec.sigma_rec = 0.1;
  spec.sigma_in = 0.05;
  Rng init = Rng::stream(8, Purpose::init);
  const Constraints constraints = Constraints::from_spec(spec, init);
  TrialBatch batch;
  batch.steps = 20;
  batch.trials = 53;  // 4 chunks, the last of 5 trials
  batch.inputs = Eigen::MatrixXf::Random(3, 20 * 53);
  batch.targets = Eigen::MatrixXf::Random(2, 20 * 53);
  batch.mask = Eigen::RowVectorXf::Ones(20 * 53);
  Weights<float> theta = Weights<float>::zeros(24, 3, 2);
  theta.w_in.setRandom();
  theta.w_rec = 0.3f * Eigen::MatrixXf::Random(24, 24);
  theta.w_out.setRandom();
  Weights<float> grads[3];
  float losses[3];
  Eigen::MatrixXf outputs[3];
  for (int threads : {1, 2, 3}) {
    Objective objective(spec, constraints, Regularisation{0.01, 0.01});
    objective.set_threads(threads);
    EXPECT_EQ(objective.threads(), threads);
    Rng noise = Rng::stream(3, Purpose::train);
    losses[threads - 1] = objective.loss_and_gradient(theta, batch, noise, grads[threads - 1]).total();
    Rng eval_noise = Rng::stream(4, Purpose::train);
    objective.evaluate(theta, batch, &eval_noise);
    outputs[threads - 1] = objective.outputs();
  }
  for (int k : {1, 2}) {
    EXPECT_EQ(losses[k], losses[0]);
    grads[k].for_each(grads[0], [&](const auto& got, const auto& want) { EXPECT_EQ(got, want) << k + 1 << " threads"; });
    EXPECT_EQ(outputs[k], outputs[0]);
  }
  EXPECT_GT(grads[0].w_rec.norm(), 0.0f);
}

TEST(ThreadPlan, NetworksFirstThenTheirBatches) {
  EXPECT_EQ(plan_threads(2, 1).networks_at_once, 1);
  EXPECT_EQ(plan_threads(2, 1).per_network, 2);
  EXPECT_EQ(plan_threads(2, 5).networks_at_once, 2);
  EXPECT_EQ(plan_threads(2, 5).per_network, 1);
  EXPECT_EQ(plan_threads(8, 3).networks_at_once, 3);
  EXPECT_EQ(plan_threads(8, 3).per_network, 2);
  EXPECT_EQ(plan_threads(1, 0).per_network, 1);
}

// Trains with 1, 2 and 3 threads: one network (all threads on its batch)
// and an ensemble of 2 (one network per thread, or 2 threads per network
// with 4 threads); weights and curves have the same bits every time.
const char* kConfig = R"(
  [task]
  name = "flipflop"
  bits = 2
  duration = 300
  [model]
  units = 16
  sigma_rec = 0.05
  x0 = "learned"
  [train]
  iterations = 30
  batch = 40
  validate_every = 10
  validation_trials = 40
  seed = 4
)";

TEST(TrainingThreads, OneNetworkAndAnEnsembleGiveTheSameBitsWithOneTwoOrThreeThreads) {
  for (int seeds : {1, 2}) {
    const ExperimentConfig config = parse_config(kConfig, "test.toml", {fmt::format("ensemble.seeds={}", seeds)});
    std::vector<std::vector<NetworkRecord>> runs;
    for (int threads : {1, 2, 3, 4}) {
      EnsembleOptions options;
      options.threads = threads;
      runs.push_back(train_ensemble(config, options));
    }
    for (std::size_t k = 1; k < runs.size(); ++k)
      for (int i = 0; i < seeds; ++i) {
        const NetworkRecord &got = runs[k][i], &want = runs[0][i];
        ASSERT_EQ(got.status, "trained") << got.status_reason;
        EXPECT_EQ(got.trained.w_rec, want.trained.w_rec) << k + 1 << " threads, network " << i;
        EXPECT_EQ(got.trained.w_in, want.trained.w_in);
        EXPECT_EQ(got.trained.x0, want.trained.x0);
        EXPECT_EQ(got.curves.loss, want.curves.loss);
        EXPECT_EQ(got.curves.val_loss, want.curves.val_loss);
        EXPECT_EQ(got.curves.val_accuracy, want.curves.val_accuracy);
      }
    EXPECT_NE(runs[0][0].trained.w_rec, runs[0][0].initial.w_rec);
  }
}

}  // namespace
}  // namespace rnnlab

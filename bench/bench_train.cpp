// Training throughput (issue 2, "Benchmark"; figures in bench/README.md).
//
// The problem: N in {64, 128, 256, 512} units, batch 64, 200 steps, tanh,
// alpha = 0.1, float32, 3 inputs and 3 outputs, one thread. The batch is
// task-free: random inputs and targets drawn once, mask all ones, so that what
// is timed is the training step itself (the task generator is not).
//
//   BM_TrainIteration/N     one full iteration: constraints -> forward -> loss ->
//                           backward -> chain to Theta -> Adam (clipped), exactly
//                           what NetworkTrainer::run does per batch
//   BM_TrainIterationNoise/N  the same with sigma_rec = 0.1 (the N x T*B normal
//                           draws of Objective::draw_noise are then included)
//   BM_GemmBound/N          the GEMMs of one iteration alone, on preallocated
//                           matrices: W_in U, per step W_rec r_{t-1}, W_out R,
//                           W_out^T dY, per step W_rec^T d_{t+1}, and the
//                           gradient GEMMs dW_rec = D R^T, dW_in = D U^T, dW_out = dY R^T
//   BM_Forward/N, BM_LossGradient/N, BM_Adam/N, BM_Tanh/N, BM_Constraints/N
//                           the parts, for "where the time goes"
//   BM_Ensemble/threads     rnnlab::train_ensemble on the 3-bit flip-flop (N = 128,
//                           batch 64, 200 steps, 20 iterations, 4 networks) with
//                           1 and 2 threads: networks/s and iterations/s
//
// Iteration counts are chosen on wall-clock time (UseRealTime); Google
// Benchmark reports both the wall time and the CPU time of the benchmark
// thread (of the whole process for BM_Ensemble). bench/run.sh runs this next
// to bench/torch_train.py and builds its ratios on the CPU times, which on a
// shared machine do not depend on the scheduler. The counters "it/s" and
// "GFLOP/s" are per wall-clock second.
#include <benchmark/benchmark.h>

#include <string>

#include "io/config.hpp"
#include "model/init.hpp"
#include "train/adam.hpp"
#include "train/bptt.hpp"
#include "train/ensemble.hpp"
#include "train/objective.hpp"

namespace {

using namespace rnnlab;

constexpr int kBatch = 64;
constexpr int kSteps = 200;
constexpr int kInputs = 3;
constexpr int kOutputs = 3;

struct Problem {
  ModelSpec spec;
  InitialModel init;
  TrialBatch batch;
};

Problem make_problem(int units, double sigma_rec = 0.0) {
  Problem p;
  p.spec.units = units;
  p.spec.inputs = kInputs;
  p.spec.outputs = kOutputs;
  p.spec.activation = Activation::tanh;
  p.spec.dt = 10.0;
  p.spec.tau = 100.0;  // alpha = 0.1
  p.spec.gain = 0.9;
  p.spec.sigma_rec = sigma_rec;
  p.init = initialise(p.spec, 1);
  Rng rng = Rng::stream(1, Purpose::user);
  const Eigen::Index cols = static_cast<Eigen::Index>(kSteps) * kBatch;
  p.batch.steps = kSteps;
  p.batch.trials = kBatch;
  p.batch.inputs.resize(kInputs, cols);
  p.batch.targets.resize(kOutputs, cols);
  for (Eigen::Index i = 0; i < p.batch.inputs.size(); ++i) p.batch.inputs.data()[i] = static_cast<float>(rng.normal());
  for (Eigen::Index i = 0; i < p.batch.targets.size(); ++i)
    p.batch.targets.data()[i] = rng.bernoulli(0.5) ? 1.0f : -1.0f;
  p.batch.mask = Eigen::RowVectorXf::Ones(cols);
  return p;
}

// Floating-point operations of the GEMMs of one iteration (multiply-add = 2).
double gemm_flops(int n) {
  const double N = n, B = kBatch, T = kSteps, I = kInputs, O = kOutputs, TB = T * B;
  return 2.0 * (N * I * TB        // W_in U
                + N * N * B * T   // W_rec r, per step (step 0: a matrix-vector product)
                + O * N * TB      // W_out R
                + N * O * TB      // W_out^T dY
                + N * N * B * (T - 1)  // W_rec^T d, per step
                + N * N * TB      // dW_rec
                + N * I * TB      // dW_in
                + O * N * TB);    // dW_out
}

void set_counters(benchmark::State& state, int n, double iterations_per_call = 1.0) {
  state.counters["it/s"] =
      benchmark::Counter(iterations_per_call * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["GFLOP/s"] = benchmark::Counter(iterations_per_call * gemm_flops(n) * 1e-9 *
                                                     static_cast<double>(state.iterations()),
                                                 benchmark::Counter::kIsRate);
}

void train_iterations(benchmark::State& state, double sigma_rec) {
  const int n = static_cast<int>(state.range(0));
  Problem p = make_problem(n, sigma_rec);
  Objective objective(p.spec, p.init.constraints, Regularisation{});
  Weights<float> theta = p.init.theta.cast<float>();
  AdamState adam;
  const AdamOptions options{1e-3, 0.9, 0.999, 1e-8, 1.0};
  Weights<float> grad;
  long k = 0;
  for (auto _ : state) {
    // As NetworkTrainer::run: a fresh noise stream per iteration.
    Rng rng = Rng::stream(1, Purpose::train, static_cast<std::uint64_t>(k++));
    const LossTerms<float> terms = objective.loss_and_gradient(theta, p.batch, rng, grad);
    benchmark::DoNotOptimize(terms);
    benchmark::DoNotOptimize(adam_step(options, adam, theta, grad));
    benchmark::ClobberMemory();
  }
  set_counters(state, n);
}

void BM_TrainIteration(benchmark::State& state) { train_iterations(state, 0.0); }
void BM_TrainIterationNoise(benchmark::State& state) { train_iterations(state, 0.1); }

void BM_GemmBound(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const Eigen::Index B = kBatch, TB = static_cast<Eigen::Index>(kSteps) * kBatch;
  using M = Eigen::MatrixXf;
  const M w_in = M::Random(n, kInputs), w_rec = M::Random(n, n) / static_cast<float>(n), w_out = M::Random(kOutputs, n);
  const M u = M::Random(kInputs, TB), dy = M::Random(kOutputs, TB);
  M x(n, TB), r = M::Random(n, TB), y(kOutputs, TB), delta(n, TB), from_next(n, B);
  M g_rec(n, n), g_in(n, kInputs), g_out(kOutputs, n);
  Eigen::VectorXf r0 = Eigen::VectorXf::Random(n), v(n);
  for (auto _ : state) {
    x.noalias() = w_in * u;
    v.noalias() = w_rec * r0;
    for (int t = 1; t < kSteps; ++t) x.middleCols(t * B, B).noalias() += w_rec * r.middleCols((t - 1) * B, B);
    y.noalias() = w_out * r;
    delta.noalias() = w_out.transpose() * dy;
    for (int t = kSteps - 2; t >= 0; --t) {
      from_next.noalias() = w_rec.transpose() * delta.middleCols((t + 1) * B, B);
      delta.middleCols(t * B, B) += from_next;
    }
    g_rec.noalias() = delta.rightCols(TB - B) * r.leftCols(TB - B).transpose();
    g_in.noalias() = delta * u.transpose();
    g_out.noalias() = dy * r.transpose();
    benchmark::DoNotOptimize(x.data());
    benchmark::DoNotOptimize(g_rec.data());
    benchmark::DoNotOptimize(g_in.data());
    benchmark::DoNotOptimize(g_out.data());
    benchmark::DoNotOptimize(v.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, n);
}

void BM_Forward(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  Problem p = make_problem(n);
  const Weights<float> w = p.init.constraints.effective(p.init.theta.cast<float>());
  Rollout<float> rollout;
  for (auto _ : state) {
    forward<float>(w, 0.1f, Activation::tanh, p.batch.inputs, kSteps, kBatch, nullptr, rollout);
    benchmark::DoNotOptimize(rollout.y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, n);
}

// Forward + loss + backward on the effective weights (no constraints, no Adam).
void BM_LossGradient(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  Problem p = make_problem(n);
  const Weights<float> w = p.init.constraints.effective(p.init.theta.cast<float>());
  Weights<float> grad = Weights<float>::zeros(n, kInputs, kOutputs);
  Rollout<float> work;
  for (auto _ : state) {
    const LossTerms<float> terms = loss_and_gradient<float>(w, 0.1f, Activation::tanh, p.batch.inputs, p.batch.targets,
                                                     p.batch.mask, kSteps, kBatch, nullptr, Regularisation{}, work, grad);
    benchmark::DoNotOptimize(terms);
    benchmark::ClobberMemory();
  }
  set_counters(state, n);
}

// Constraints::effective + chain_to_theta, as Objective does them per iteration.
void BM_Constraints(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  Problem p = make_problem(n);
  const Weights<float> theta = p.init.theta.cast<float>();
  for (auto _ : state) {
    const Weights<float> w = p.init.constraints.effective(theta);
    const Weights<float> d = p.init.constraints.chain_to_theta(theta, w);
    benchmark::DoNotOptimize(d.w_rec.data());
    benchmark::ClobberMemory();
  }
  state.counters["it/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Adam(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  Problem p = make_problem(n);
  Weights<float> theta = p.init.theta.cast<float>();
  Weights<float> grad = theta;
  AdamState adam;
  const AdamOptions options{1e-3, 0.9, 0.999, 1e-8, 1.0};
  for (auto _ : state) {
    Weights<float> g = grad;  // adam_step clips in place
    benchmark::DoNotOptimize(adam_step(options, adam, theta, g));
    benchmark::ClobberMemory();
  }
  state.counters["it/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// The activation over the whole rollout, as forward (phi) and backward (phi') apply it.
void BM_Tanh(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const Eigen::MatrixXf x = Eigen::MatrixXf::Random(n, static_cast<Eigen::Index>(kSteps) * kBatch);
  Eigen::MatrixXf r(x.rows(), x.cols()), d(x.rows(), x.cols());
  for (auto _ : state) {
    apply_phi(Activation::tanh, x, r);
    apply_dphi(Activation::tanh, x, d);
    benchmark::DoNotOptimize(r.data());
    benchmark::DoNotOptimize(d.data());
    benchmark::ClobberMemory();
  }
  state.counters["it/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

constexpr int kEnsembleNetworks = 4;
constexpr int kEnsembleIterations = 20;

void BM_Ensemble(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const std::string toml = R"(
[task]
name = "flipflop"
bits = 3
duration = 2000

[model]
units = 128
dt = 10.0
tau = 100.0
gain = 0.9

[train]
iterations = )" + std::to_string(kEnsembleIterations) +
                           R"(
batch = 64
validate_every = 1000
validation_trials = 64
checkpoint_every = 0

[ensemble]
seeds = )" + std::to_string(kEnsembleNetworks) + "\n";
  const ExperimentConfig config = parse_config(toml, "bench_train");
  EnsembleOptions options;
  options.threads = threads;
  for (auto _ : state) {
    auto records = train_ensemble(config, options);
    benchmark::DoNotOptimize(records.data());
  }
  const double calls = static_cast<double>(state.iterations());
  state.counters["networks/s"] = benchmark::Counter(kEnsembleNetworks * calls, benchmark::Counter::kIsRate);
  state.counters["it/s"] =
      benchmark::Counter(kEnsembleNetworks * kEnsembleIterations * calls, benchmark::Counter::kIsRate);
}

void sizes(benchmark::internal::Benchmark* b) {
  for (int n : {64, 128, 256, 512}) b->Arg(n);
  b->ArgName("N")->Unit(benchmark::kMillisecond)->UseRealTime();
}

}  // namespace

BENCHMARK(BM_TrainIteration)->Apply(sizes);
BENCHMARK(BM_TrainIterationNoise)->Apply(sizes);
BENCHMARK(BM_GemmBound)->Apply(sizes);
BENCHMARK(BM_Forward)->Apply(sizes);
BENCHMARK(BM_LossGradient)->Apply(sizes);
BENCHMARK(BM_Constraints)->Apply(sizes);
BENCHMARK(BM_Adam)->Apply(sizes);
BENCHMARK(BM_Tanh)->Apply(sizes);
BENCHMARK(BM_Ensemble)->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

BENCHMARK_MAIN();

// One network on several threads (bench/README.md, "One network on several
// threads"): the cost of one training iteration's forward + backward pass
// (train/bptt.cpp, loss_and_gradient) at N units, batch B, T steps, tanh,
// alpha 0.1, float32, 3 inputs and 3 outputs, in three settings measured in
// interleaved rounds (so that load drift on a shared machine hits them alike):
//
//   whole     the batch as one chunk on one thread (the code before chunking)
//   chunked   chunks of kTrialsPerChunk trials, one thread: the cost of chunking
//   threads=K the same chunks on K threads (a ThreadPool of K)
//
//   bench_threads [--sizes 64,128] [--batches 64] [--steps 200] [--threads 2]
//                 [--rounds 3] [--seconds 0.5]
//
// Each measurement repeats the iteration until --seconds of wall time have
// passed (at least twice) and reports wall and CPU (process) ms per iteration,
// and the CPU time of the calling thread and of the pool's other threads.
// Prints "RESULT units=.. batch=.. steps=.. setting=.. round=.. wall_ms=..
// cpu_ms=.. main_cpu_ms=.. other_cpu_ms=..".
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "train/bptt.hpp"
#include "util/rng.hpp"
#include "util/thread_pool.hpp"

namespace {

using namespace rnnlab;

std::vector<int> parse_list(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) out.push_back(std::stoi(item));
  return out;
}

double cpu_seconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct Problem {
  Weights<float> w;
  Eigen::MatrixXf inputs, targets;  // chunked layout
  Eigen::RowVectorXf mask;
};

Problem make_problem(int units, int trials, int steps, const BatchChunks& chunks) {
  // Weights as a "normal" initialisation with gain 0.9 draws them (model/init.cpp).
  Problem p;
  Rng rng = Rng::stream(1, Purpose::user);
  p.w = Weights<float>::zeros(units, 3, 3);
  auto fill = [&](Eigen::MatrixXf& m, double sd) {
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(sd * rng.normal());
  };
  fill(p.w.w_rec, 0.9 / std::sqrt(static_cast<double>(units)));
  fill(p.w.w_in, 1.0);
  fill(p.w.w_out, 1.0 / std::sqrt(static_cast<double>(units)));
  const Eigen::Index cols = static_cast<Eigen::Index>(steps) * trials;
  Eigen::MatrixXf inputs(3, cols), targets(3, cols);
  for (Eigen::Index i = 0; i < inputs.size(); ++i) inputs.data()[i] = static_cast<float>(rng.normal());
  for (Eigen::Index i = 0; i < targets.size(); ++i) targets.data()[i] = rng.bernoulli(0.5) ? 1.0f : -1.0f;
  to_chunked(inputs, chunks, p.inputs);
  to_chunked(targets, chunks, p.targets);
  p.mask = Eigen::RowVectorXf::Ones(cols);
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes{128}, batches{64};
  int steps = 200, threads = 2, rounds = 3;
  double seconds = 0.5;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--sizes") sizes = parse_list(v);
    else if (a == "--batches") batches = parse_list(v);
    else if (a == "--steps") steps = std::stoi(v);
    else if (a == "--threads") threads = std::stoi(v);
    else if (a == "--rounds") rounds = std::stoi(v);
    else if (a == "--seconds") seconds = std::stod(v);
    else {
      std::fprintf(stderr, "bench_threads: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  ThreadPool pool(threads);
  for (int round = 0; round < rounds; ++round)
    for (int n : sizes)
      for (int batch : batches) {
        struct Setting {
          std::string name;
          BatchChunks chunks;
          ThreadPool* pool;
        };
        const std::vector<Setting> settings{
            {"whole", BatchChunks(steps, batch, batch), nullptr},
            {"chunked", BatchChunks(steps, batch, kTrialsPerChunk), nullptr},
            {"threads=" + std::to_string(threads), BatchChunks(steps, batch, kTrialsPerChunk), &pool}};
        for (const Setting& s : settings) {
          const Problem p = make_problem(n, batch, steps, s.chunks);
          Rollout<float> work;
          Weights<float> grad;
          auto once = [&] {
            loss_and_gradient<float>(p.w, 0.1f, Activation::tanh, p.inputs, p.targets, p.mask, s.chunks, nullptr,
                              Regularisation{}, work, grad, s.pool);
          };
          once();  // warm: allocations, caches
          const auto t0 = std::chrono::steady_clock::now();
          const double c0 = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID), m0 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
          int count = 0;
          double wall = 0.0;
          do {
            once();
            ++count;
            wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          } while (count < 2 || wall < seconds);
          const double cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
          const double main_cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - m0;
          // The calling thread's CPU time and the pool's other threads' (the
          // rest of the process's): the larger is the critical path on a
          // machine with a free core for each thread.
          std::printf(
              "RESULT units=%d batch=%d steps=%d setting=%s round=%d wall_ms=%.3f cpu_ms=%.3f main_cpu_ms=%.3f "
              "other_cpu_ms=%.3f\n",
              n, batch, steps, s.name.c_str(), round, 1e3 * wall / count, 1e3 * cpu / count, 1e3 * main_cpu / count,
              1e3 * (cpu - main_cpu) / count);
          std::fflush(stdout);
        }
      }
  return 0;
}

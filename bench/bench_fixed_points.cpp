// Fixed-point finder benchmark (issue 4, "Benchmark"; figures in bench/README.md).
//
//   bench_fixed_points NETWORK.h5 [STARTS.npy [POINTS.npy]] [--repeats R] [--threads T] [--noise S]
//
// (or RNNLAB_FP_NETWORK / RNNLAB_FP_STARTS in the environment). Reads the first
// network of NETWORK.h5 (bench/run.sh trains a 3-bit flip-flop, N = 100, with
// bench/fp_flipflop.toml), runs it noiselessly on 64 trials of its own task,
// draws 1024 starting states from those trajectories plus N(0, S^2) noise
// (S = 0.5 by default, as in FixedPointFinder's examples), writes them to
// STARTS.npy (K x N, float64) so that bench/torch_fixed_points.py starts from
// the very same states, and times find_fixed_points (Newton/LM, polished to
// q < 1e-12, de-duplicated at the default tolerance, every distinct point
// linearised and classified) over R repetitions. Prints one line per
// repetition and a summary line "RESULT key=value ...". POINTS.npy (P x N)
// receives the distinct fixed points found, so that the PyTorch script can say
// which of them Adam found too.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "analysis/fixed_points.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "train/bptt.hpp"

namespace {

using namespace rnnlab;

constexpr int kStarts = 1024;
constexpr int kTrials = 64;

// K x N float64 in C order: the memory of an Eigen N x K column-major matrix.
void write_npy(const std::string& path, const Eigen::MatrixXd& starts) {
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + std::to_string(starts.cols()) + ", " +
                       std::to_string(starts.rows()) + "), }";
  const std::size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  const unsigned short len = static_cast<unsigned short>(header.size());
  out.put(static_cast<char>(len & 0xff));
  out.put(static_cast<char>(len >> 8));
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(reinterpret_cast<const char*>(starts.data()), static_cast<std::streamsize>(starts.size() * sizeof(double)));
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::vector<std::string> positional;
    int repeats = 5, threads = 0;
    double noise = 0.5;
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "--repeats" && i + 1 < argc) repeats = std::stoi(argv[++i]);
      else if (a == "--threads" && i + 1 < argc) threads = std::stoi(argv[++i]);
      else if (a == "--noise" && i + 1 < argc) noise = std::stod(argv[++i]);
      else positional.push_back(a);
    }
    const std::string path = positional.size() > 0 ? positional[0] : env_or("RNNLAB_FP_NETWORK", "");
    const std::string starts_path = positional.size() > 1 ? positional[1] : env_or("RNNLAB_FP_STARTS", "");
    const std::string points_path = positional.size() > 2 ? positional[2] : env_or("RNNLAB_FP_POINTS", "");
    if (path.empty()) {
      std::cerr << "usage: bench_fixed_points NETWORK.h5 [STARTS.npy [POINTS.npy]] [--repeats R] [--threads T] [--noise S]\n";
      return 2;
    }

    const Experiment exp = read_experiment(path);
    if (exp.networks.empty()) throw std::runtime_error(path + " holds no network");
    const Network& net = exp.networks.front().trained;
    const ExperimentConfig config = parse_config(exp.config, path);
    const auto task = make_task(config.task.name, config.task.params, net.dt);

    // Trajectories of the network on its own task, noiseless, in float64.
    Rng rng = Rng::stream(exp.networks.front().seed, Purpose::analysis, 7);
    const TrialBatch batch = task->batch(kTrials, rng);
    Rollout<double> rollout;
    forward<double>(net, net.alpha, net.activation, batch.inputs.cast<double>(), batch.steps, batch.trials, nullptr,
                    rollout);
    const Eigen::MatrixXd starts = sample_starts(rollout.x, kStarts, noise, rng);
    if (!starts_path.empty()) write_npy(starts_path, starts);

    FixedPointOptions options;  // defaults: fixed_tolerance 1e-12, dedup_tolerance 1e-6
    options.threads = threads;
    const Eigen::VectorXd u;  // zero input
    // Wall time, and CPU time of the process (all threads): on a shared machine
    // the CPU time is the figure that does not depend on the scheduler.
    std::vector<double> seconds, cpu_seconds;
    FixedPointResult result;
    for (int r = 0; r < repeats; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      const std::clock_t c0 = std::clock();
      result = find_fixed_points(net, u, starts, options);
      cpu_seconds.push_back(static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
      seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      std::printf("rep %d: %.4f s wall, %.4f s CPU\n", r, seconds.back(), cpu_seconds.back());
    }
    auto median_of = [](std::vector<double> v) {
      std::sort(v.begin(), v.end());
      return v[v.size() / 2];
    };
    const double median = median_of(seconds), median_cpu = median_of(cpu_seconds);
    if (!points_path.empty()) {
      Eigen::MatrixXd points(net.units(), result.summary.fixed_points);
      int k = 0;
      for (const auto& p : result.points)
        if (p.kind == PointKind::fixed) points.col(k++) = p.x;
      write_npy(points_path, points.leftCols(k));
    }
    long solves = 0;
    for (const auto& s : result.starts) solves += s.iterations;
    const FixedPointSummary& s = result.summary;
    std::printf(
        "RESULT method=rnnlab_newton threads=%d units=%d starts=%d median_s=%.6f cpu_s=%.6f fixed_points=%d "
        "fixed_starts=%d slow_points=%d slow_starts=%d not_converged=%d stable=%d saddles=%d unstable=%d "
        "marginal=%d mean_solves=%.2f\n",
        threads, net.units(), s.starts, median, median_cpu, s.fixed_points, s.fixed_starts, s.slow_points,
        s.slow_starts, s.not_converged, s.stable, s.saddles, s.unstable, s.marginal,
        static_cast<double>(solves) / std::max(1, s.starts));
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "bench_fixed_points: " << e.what() << "\n";
    return 1;
  }
}

// The fixed-point search of a network in a sweep of task parameters
// (sweep.task.*) uses its own point's task: its trials give the starts and its
// `mean` / CONDITION=VALUE inputs (sweep_point_task, fixed_point_input.hpp).
#include <gtest/gtest.h>

#include <H5Cpp.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>

#include "pipeline/fixed_point_input.hpp"
#include "pipeline/fixed_points_io.hpp"
#include "analysis/fixed_points_schema.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "io/result_file.hpp"
#include "pipeline/train_to_file.hpp"
#include "util/error.hpp"

namespace rnnlab {
namespace {

// Oscillator trials: a 50 ms pulse of 1 (5 of 100 steps) on the pulse trials,
// nothing on the others (kick 0). Point 0 has a pulse on every trial, point 1
// on none; the base task on about half.
const char* kSweep = R"(
[task]
name = "oscillator"
duration = 1000
pulse = 50
[model]
units = 4
dt = 10.0
tau = 100.0
[sweep]
"task.no_pulse_probability" = [0.0, 1.0]
)";

TEST(FixedPointSweep, EachPointsSearchUsesItsOwnTask) {
  const ExperimentConfig config = parse_config(kSweep, "sweep.toml");
  ASSERT_EQ(config.points.size(), 2u);
  Network net;
  static_cast<Weights<double>&>(net) = Weights<double>::zeros(4, 1, 1);
  net.w_in.setOnes();
  net.dt = 10.0;
  net.alpha = 0.1;
  FixedPointConfig fp;
  fp.input = parse_input_choice("mean", "analysis.fixed_points.input");
  fp.sampling.trials = 16;
  fp.sampling.starts = 8;
  // The mean input over the point's trials: 5 pulse steps of 100 on every
  // trial at point 0 (0.05), none at point 1 (0).
  const NetworkStarts all_pulse = network_starts(net, 1, sweep_point_task(config, 0, net.dt).get(), fp);
  const NetworkStarts no_pulse = network_starts(net, 1, sweep_point_task(config, 1, net.dt).get(), fp);
  EXPECT_NEAR(all_pulse.input(0), 0.05, 1e-7);
  EXPECT_EQ(no_pulse.input(0), 0.0);
  // The starts are states of the point's trials: without a pulse (W_rec = 0,
  // b = 0, x0 = 0) the network never leaves the origin.
  EXPECT_EQ(no_pulse.starts.cwiseAbs().maxCoeff(), 0.0);
  EXPECT_GT(all_pulse.starts.cwiseAbs().maxCoeff(), 0.01);
  // The base [task] (no_pulse_probability 0.5) is neither.
  const NetworkStarts base = network_starts(net, 1, sweep_point_task(config, -1, net.dt).get(), fp);
  EXPECT_GT(base.input(0), 0.0);
  EXPECT_LT(base.input(0), 0.05);
  // A point the config does not have is refused.
  EXPECT_THROW(sweep_point_task(config, 2, net.dt), Error);
}

// The same through the file: `analyze --fixed-points` on a trained sweep
// records, for each network, the mean input of its own point's trials.
TEST(FixedPointSweep, TheFileAnalysisSearchesEachPointOnItsOwnTask) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("rnnlab-fp-sweep-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "sweep.h5").string();
  const ExperimentConfig config =
      parse_config(std::string(kSweep) + "[train]\niterations = 2\nbatch = 4\n", "sweep.toml");
  TrainToFile out;
  out.path = path;
  out.threads = 1;
  out.quiet = true;
  train_to_file(config, out);
  FixedPointOverrides o;
  o.input = "mean";
  o.trials = 16;
  o.starts = 8;
  o.threads = 1;
  analyze_fixed_points_file(path, o);
  const Experiment e = read_experiment(path);
  ASSERT_EQ(e.networks.size(), 2u);
  std::lock_guard lock(h5_lock());
  const H5::H5File file(path, H5F_ACC_RDONLY);
  for (const NetworkRecord& rec : e.networks) {
    const auto& d = fixed_points_schema();
    const FixedPointsRecord r =
        d.read(read_result(file.openGroup(fmt::format("networks/{}/analysis/fixed_points", rec.seed)), d.schema()));
    // Point 0: a pulse on every trial (mean 0.05); point 1: none.
    EXPECT_NEAR(r.input(0), rec.sweep_point == 0 ? 0.05 : 0.0, 1e-7) << "network " << rec.seed;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rnnlab

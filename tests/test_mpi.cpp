// MPI across ranks (docs/cluster.md): `mpirun -n R rnnlab train` gives the
// networks of a 1-process run, bit for bit; a rank killed mid-run leaves a file
// with the finished networks and the missing ones listed; --resume (with
// another number of ranks) completes it. Skipped where rnnlab was built
// without MPI or mpirun is not installed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "io/experiment_file.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using rnnlab::Experiment;
using rnnlab::NetworkRecord;

const char* const kMpirun = "mpirun --oversubscribe --allow-run-as-root";

bool have_mpirun() { return std::system("command -v mpirun > /dev/null 2>&1") == 0; }

using Result = rnnlab::testing_support::CommandResult;
using rnnlab::testing_support::run_shell;

// Every network of `a` and `b`: the same seeds, statuses and bits.
void expect_same_networks(const Experiment& a, const Experiment& b) {
  ASSERT_EQ(a.networks.size(), b.networks.size());
  for (std::size_t i = 0; i < a.networks.size(); ++i) {
    const NetworkRecord& x = a.networks[i];
    const NetworkRecord& y = b.networks[i];
    SCOPED_TRACE(fmt::format("seed {}", x.seed));
    EXPECT_EQ(x.seed, y.seed);
    EXPECT_EQ(x.sweep_point, y.sweep_point);
    EXPECT_EQ(x.sweep_seed, y.sweep_seed);
    EXPECT_EQ(x.sweep, y.sweep);
    EXPECT_EQ(x.status, y.status);
    EXPECT_EQ(x.iterations, y.iterations);
    for (const auto* pair : {&x.trained, &x.initial}) {
      const rnnlab::Network& p = *pair;
      const rnnlab::Network& q = pair == &x.trained ? y.trained : y.initial;
      EXPECT_EQ(p.w_in, q.w_in);
      EXPECT_EQ(p.w_rec, q.w_rec);
      EXPECT_EQ(p.w_out, q.w_out);
      EXPECT_EQ(p.b, q.b);
      EXPECT_EQ(p.b_out, q.b_out);
      EXPECT_EQ(p.x0, q.x0);
    }
    EXPECT_EQ(x.curves.loss, y.curves.loss);
    EXPECT_EQ(x.curves.val_loss, y.curves.val_loss);
  }
}

class Mpi : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RNNLAB_WITH_MPI) GTEST_SKIP() << "rnnlab was built without MPI (install libopenmpi-dev and reconfigure)";
    if (!have_mpirun()) GTEST_SKIP() << "mpirun is not installed (Debian: openmpi-bin)";
    dir = rnnlab::testing_support::fresh_test_dir("rnnlab-mpi-test");
  }
  void TearDown() override {
    if (!dir.empty()) fs::remove_all(dir);
  }

  std::string config(const std::string& text) {
    const std::string path = (dir / "c.toml").string();
    std::ofstream(path) << text;
    return path;
  }
  std::string out(const std::string& name) { return (dir / name).string(); }

  // `rnnlab train` on `ranks` processes (0: without mpirun).
  Result train(int ranks, const std::string& cfg, const std::string& output, const std::string& extra = "") {
    const std::string rnnlab = fmt::format("{} train {} -o {} --threads 1 --quiet {}", RNNLAB_BINARY, cfg, output, extra);
    return run_shell(ranks == 0 ? rnnlab : fmt::format("{} -n {} {}", kMpirun, ranks, rnnlab), dir / "log");
  }

  fs::path dir;
};

const char* const kTiny = R"(
[task]
name = "flipflop"
bits = 1
duration = 200
[model]
units = 8
[train]
iterations = 40
validate_every = 20
checkpoint_every = 10
[ensemble]
seeds = 5
)";

TEST_F(Mpi, TwoAndThreeRanksGiveTheNetworksOfOneProcess) {
  const std::string cfg = config(kTiny);
  const Result one = train(0, cfg, out("one.h5"));
  ASSERT_EQ(one.code, 0) << one.output;
  const Experiment reference = rnnlab::read_experiment(out("one.h5"));
  ASSERT_EQ(reference.networks.size(), 5u);
  for (int ranks : {2, 3}) {
    SCOPED_TRACE(fmt::format("{} ranks", ranks));
    const std::string output = out(fmt::format("ranks{}.h5", ranks));
    const Result r = train(ranks, cfg, output);
    ASSERT_EQ(r.code, 0) << r.output;
    EXPECT_FALSE(fs::exists(output + ".partial")) << "the checkpoints are removed once every network is in";
    expect_same_networks(reference, rnnlab::read_experiment(output));
    // Only rank 0 prints the final lines.
    std::size_t wrote = 0;
    for (std::size_t at = r.output.find("wrote "); at != std::string::npos; at = r.output.find("wrote ", at + 1)) ++wrote;
    EXPECT_EQ(wrote, 1u) << r.output;
  }
}

// A sweep splits by network, not by seed: 3 points x 2 seeds over 2 and 3
// ranks give the networks of one process, each at its point with its seed.
TEST_F(Mpi, ASweepOnTwoAndThreeRanksGivesTheNetworksOfOneProcess) {
  const std::string cfg = config(R"(
[task]
name = "flipflop"
bits = 1
duration = 200
[model]
units = 6
[train]
iterations = 20
validate_every = 10
checkpoint_every = 10
[ensemble]
seeds = 2
[sweep]
"model.units" = [4, 6, 8]
)");
  const Result one = train(0, cfg, out("one.h5"));
  ASSERT_EQ(one.code, 0) << one.output;
  const Experiment reference = rnnlab::read_experiment(out("one.h5"));
  ASSERT_EQ(reference.networks.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(reference.networks[i].sweep_point, static_cast<int>(i / 2));
    EXPECT_EQ(reference.networks[i].sweep_seed, 1 + i % 2);
    EXPECT_EQ(reference.networks[i].trained.units(), 4 + 2 * static_cast<int>(i / 2));
  }
  for (int ranks : {2, 3}) {
    SCOPED_TRACE(fmt::format("{} ranks", ranks));
    const std::string output = out(fmt::format("sweep{}.h5", ranks));
    const Result r = train(ranks, cfg, output);
    ASSERT_EQ(r.code, 0) << r.output;
    expect_same_networks(reference, rnnlab::read_experiment(output));
  }
  // Rank 0's progress line says whose networks it counts, and the job's total.
  const Result talk = run_shell(fmt::format("{} -n 2 {} train {} -o {} --threads 1", kMpirun, RNNLAB_BINARY, cfg,
                                            out("talk.h5")),
                                dir / "log");
  ASSERT_EQ(talk.code, 0) << talk.output;
  EXPECT_NE(talk.output.find("train (rank 0 of 2, its share): 3/3 networks done"), std::string::npos) << talk.output;
  EXPECT_NE(talk.output.find("| all ranks: "), std::string::npos) << talk.output;
}

// A real kill: once the first network is in the file, one rank process of a
// 2-rank job gets SIGKILL (mpirun then ends the job). The file holds the
// finished networks, names the others "missing"; a 3-rank --resume completes
// the set with the weights of an uninterrupted 1-process run.
TEST_F(Mpi, ARankKilledMidRunLosesOnlyUnfinishedNetworksAndResumeCompletesThem) {
  const std::string cfg = config(R"(
[task]
name = "flipflop"
bits = 1
duration = 300
[model]
units = 16
[train]
iterations = 1500
validate_every = 100
checkpoint_every = 20
[ensemble]
seeds = 5
)");
  const Result one = train(0, cfg, out("one.h5"));
  ASSERT_EQ(one.code, 0) << one.output;
  const Experiment reference = rnnlab::read_experiment(out("one.h5"));

  const std::string killed = out("killed.h5");
  const std::string log = out("killed.log");
  const pid_t mpirun = fork();
  ASSERT_GE(mpirun, 0);
  if (mpirun == 0) {
    const std::string command = fmt::format("exec {} -n 2 {} train {} -o {} --threads 1 --quiet > {} 2>&1", kMpirun,
                                            RNNLAB_BINARY, cfg, killed, log);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 6000 && !fs::exists(killed); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // The rank processes are mpirun's children.
  pid_t rank_pid = 0;
  if (FILE* p = ::popen(fmt::format("pgrep -P {}", mpirun).c_str(), "r")) {
    long pid = 0;
    if (std::fscanf(p, "%ld", &pid) == 1) rank_pid = static_cast<pid_t>(pid);
    ::pclose(p);
  }
  if (rank_pid > 0) ::kill(rank_pid, SIGKILL);
  int status = 0;
  ::waitpid(mpirun, &status, 0);
  ASSERT_TRUE(fs::exists(killed)) << "no network finished within 30 s";
  ASSERT_GT(rank_pid, 0) << "found no rank process under mpirun " << mpirun;
  ASSERT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the job was not stopped by the kill";
  ASSERT_TRUE(fs::exists(killed + ".partial"));

  // The file names every seed; each is finished with the reference's bits, or
  // missing without weights.
  const Experiment partial = rnnlab::read_experiment(killed);
  ASSERT_EQ(partial.networks.size(), reference.networks.size());
  int finished = 0, missing = 0;
  for (std::size_t i = 0; i < partial.networks.size(); ++i) {
    const NetworkRecord& rec = partial.networks[i];
    EXPECT_EQ(rec.seed, reference.networks[i].seed);
    if (rec.status == "missing") {
      ++missing;
      EXPECT_EQ(rec.trained.w_rec.size(), 0);
      EXPECT_NE(rec.status_reason.find("--resume"), std::string::npos) << rec.status_reason;
    } else {
      ++finished;
      EXPECT_EQ(rec.status, reference.networks[i].status);
      EXPECT_EQ(rec.trained.w_rec, reference.networks[i].trained.w_rec);
    }
  }
  EXPECT_GE(finished, 1);
  EXPECT_GE(missing, 1) << "the kill came too late to test anything";

  const Result resumed = train(3, cfg, killed, "--resume");
  ASSERT_EQ(resumed.code, 0) << resumed.output;
  EXPECT_FALSE(fs::exists(killed + ".partial"));
  expect_same_networks(reference, rnnlab::read_experiment(killed));
}

// Without a launcher the binary does not touch MPI, even when built with it.
TEST_F(Mpi, APlainRunNeedsNoLauncher) {
  const std::string cfg = config(kTiny);
  const Result r = run_shell(fmt::format("env -u OMPI_COMM_WORLD_SIZE -u PMI_SIZE -u PMIX_RANK -u PMIX_SIZE "
                                     "{} train {} -o {} --seeds 1 --quiet",
                                     RNNLAB_BINARY, cfg, out("plain.h5")),
                         dir / "log");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(r.output.find("MPI"), std::string::npos) << r.output;
}

}  // namespace

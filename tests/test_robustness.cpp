// Nothing a user can do crashes rnnlab or loses a result: inconsistent or
// absurd arrays in a file are refused at the reader (exit 2, naming the
// dataset and the expected shape), a failing disk is an error with a message
// (exit 1) that leaves the old output and no temporary, a bad network is
// skipped rather than blocking the file, and a second writer is refused.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "io/import.hpp"
#include "robustness_support.hpp"
#include "util/error.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;
using testing_support::CommandResult;
using namespace robustness_support;

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << "output: " << (haystack)

class Robustness : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(base_file().empty());
    dir = testing_support::fresh_test_dir("rnnlab-robust");
  }
  void TearDown() override { fs::remove_all(dir); }

  // A fresh copy of the trained base file.
  std::string copy(const std::string& name) {
    const std::string path = (dir / name).string();
    fs::copy_file(base_file(), path, fs::copy_options::overwrite_existing);
    return path;
  }
  CommandResult run(const std::string& args) { return testing_support::run_rnnlab(args, dir / "cmd.log"); }
  // `rnnlab ARGS` under a shell prelude (ulimit, trap), through bash.
  CommandResult run_under(const std::string& prelude, const std::string& args) {
    const std::string log = (dir / "cmd.log").string();
    CommandResult r = testing_support::run_shell(
        fmt::format("bash -c \"{}; exec {} {}\"", prelude, RNNLAB_BINARY, args), log);
    fs::remove(log);
    return r;
  }

  fs::path dir;
};

// --- shapes, sizes and values at the reader ---------------------------------

struct BadShape {
  const char* dataset;
  std::vector<hsize_t> dims;
  const char* expected;  // what the message must say it should be
};

// The base network has N = 8 units, I = 1 input (bits = 1), O = 1 output.
TEST_F(Robustness, InconsistentShapesAreRefusedNamingDatasetAndExpectedShape) {
  const std::vector<BadShape> cases = {
      {"w_rec", {11, 8}, "expected (11, 11)"},  // N is w_rec's rows; it must be square
      {"w_rec", {8, 11}, "expected (8, 8)"},
      {"w_in", {7, 1}, "expected (8, 1)"},
      {"w_out", {1, 9}, "expected (1, 8)"},
      {"b", {9}, "expected (8,)"},
      {"b_out", {2}, "expected (1,)"},
      {"x0", {64}, "expected (8,)"},
      {"mask_rec", {8, 7}, "expected (8, 8)"},
      {"w_rec", {64, 1}, "expected (64, 64)"},
      {"w_rec", {8}, "expected a 2-D array"},
      {"b", {8, 1}, "expected a 1-D array"},
  };
  for (const BadShape& c : cases) {
    SCOPED_TRACE(fmt::format("{} {}", c.dataset, h5::shape_text(c.dims)));
    const std::string bad = copy("bad.h5");
    replace_dataset(bad, fmt::format("networks/2/trained/{}", c.dataset), c.dims);
    for (const char* command : {"eval {} --trials 16", "info {}", "analyze {} --spectrum"}) {
      const CommandResult r = run(fmt::format(fmt::runtime(command), bad));
      EXPECT_EQ(r.code, 2) << command << ": " << r.output;
      EXPECT_CONTAINS(r.output, fmt::format("{}:/networks/2/trained/{}", bad, c.dataset));
      EXPECT_CONTAINS(r.output, c.expected);
    }
  }
}

TEST_F(Robustness, InitialAndTrainedOfOneNetworkMustAgree) {
  const std::string bad = copy("bad.h5");
  // A consistent 5-unit initial set beside the 8-unit trained one.
  for (const auto& [name, dims] : std::vector<std::pair<std::string, std::vector<hsize_t>>>{
           {"w_rec", {5, 5}}, {"w_in", {5, 1}}, {"w_out", {1, 5}}, {"b", {5}}, {"b_out", {1}}, {"x0", {5}}})
    replace_dataset(bad, "networks/1/initial/" + name, dims);
  H5::Exception::dontPrint();
  {
    std::lock_guard lock(h5_lock());
    H5::H5File f(bad, H5F_ACC_RDWR);
    if (H5Lexists(f.getId(), "networks/1/initial/mask_rec", H5P_DEFAULT) > 0) f.unlink("networks/1/initial/mask_rec");
  }
  const CommandResult r = run(fmt::format("eval {} --trials 16", bad));
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_CONTAINS(r.output, "initial/ has 5 units");
}

TEST_F(Robustness, AbsurdDeclaredSizesAreRefusedBeforeAllocating) {
  // 10^7 x 10^7 float64 = 800 TB declared, nothing stored (chunked, unwritten).
  const std::string bad = copy("bad.h5");
  replace_dataset(bad, "networks/1/train/loss", {10'000'000'000ULL}, 0, /*chunked=*/true);
  const CommandResult r = run(fmt::format("info {}", bad));
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_CONTAINS(r.output, "networks/1/train/loss");
  EXPECT_CONTAINS(r.output, "more than this machine's memory");

  // Through the library: InputError, no std::bad_alloc.
  replace_dataset(bad, "networks/1/trained/w_rec", {10'000'000, 10'000'000}, 0, /*chunked=*/true);
  std::lock_guard lock(h5_lock());
  H5::H5File f(bad, H5F_ACC_RDONLY);
  const H5::Group g = f.openGroup("networks/1/trained");
  EXPECT_THROW(h5::read_matrix(g, "w_rec"), InputError);
}

TEST_F(Robustness, NonFiniteOrImpossibleAttributesAreRefused) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& [name, value] : std::vector<std::pair<std::string, double>>{
           {"alpha", nan}, {"alpha", 0.0}, {"alpha", 1.5}, {"dt", nan}, {"dt", -1.0},
           {"dt", std::numeric_limits<double>::infinity()}}) {
    SCOPED_TRACE(name + " = " + std::to_string(value));
    const std::string bad = copy("bad.h5");
    set_double_attr(bad, "networks/1", name, value);
    const CommandResult r = run(fmt::format("eval {} --trials 16", bad));
    EXPECT_EQ(r.code, 2) << r.output;
    EXPECT_CONTAINS(r.output, "networks/1/@" + name);
  }
  const std::string bad = copy("bad.h5");
  set_long_attr(bad, "networks/2", "sweep_point", 1'000'000'000'000L);
  const CommandResult r = run(fmt::format("info {}", bad));
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_CONTAINS(r.output, "sweep_point");
}

TEST_F(Robustness, SignsMustBePlusOrMinusOne) {
  const std::string bad = copy("bad.h5");
  replace_dataset(bad, "networks/1/trained/sign", {8}, 0.5);
  const CommandResult r = run(fmt::format("info {}", bad));
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_CONTAINS(r.output, "networks/1/trained/sign");
}

TEST_F(Robustness, AFifoIsRefusedNotWaitedOn) {
  const std::string fifo = (dir / "pipe.h5").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  for (const char* command : {"info", "eval", "analyze --spectrum"}) {
    const CommandResult r = testing_support::run_shell(
        fmt::format("timeout 20 {} {} {}", RNNLAB_BINARY, command, fifo), dir / "fifo.log");
    EXPECT_EQ(r.code, 2) << command << ": " << r.output;  // 124 would be the timeout
    EXPECT_CONTAINS(r.output, "not a regular file");
  }
}

TEST_F(Robustness, ImportRefusesNonFiniteTauAndDt) {
  for (const char* option : {"--tau nan", "--tau inf", "--dt nan", "--dt inf"}) {
    const CommandResult r = run(fmt::format("import {} -o {} {}", base_file(), (dir / "imp.h5").string(), option));
    EXPECT_EQ(r.code, 2) << option << ": " << r.output;
    EXPECT_CONTAINS(r.output, std::string(option).substr(0, 4));
    EXPECT_FALSE(fs::exists(dir / "imp.h5"));
  }
}

// --- a failing disk -----------------------------------------------------------

// A real write failure, without a small file system: the shell limits the
// size of any file the command writes (RLIMIT_FSIZE) and ignores SIGXFSZ, so
// write() beyond the limit fails with EFBIG inside libhdf5, as on a full disk.
// Each case: exit 1 with a message, no crash, no temporary, the old output intact.
TEST_F(Robustness, WriteFailuresAreErrorsThatKeepTheOldOutput) {
  const std::string config = (dir / "c.toml").string();
  std::ofstream(config) << kBaseConfig;
  const auto base_kb = static_cast<long>(fs::file_size(base_file()) / 1024);

  struct Case {
    std::string name, args;
    long limit_kb;  // the largest file the command may write
    std::string output;
  };
  const std::string out = (dir / "out.h5").string();
  const std::string source = (dir / "torch.h5").string();  // an import source, small
  export_torch_arrays(read_experiment(base_file()).networks[0].trained, source);
  const std::vector<Case> cases = {
      // The checkpoints and the file are larger than 4 KB: the first write fails.
      {"train, 1 thread", fmt::format("train {} -o {} --seeds 2 --quiet --force --threads 1", config, out), 4, out},
      {"train, 2 threads", fmt::format("train {} -o {} --seeds 2 --quiet --force --threads 2", config, out), 4, out},
      // The copy of the file fits; the analysis written into it does not.
      {"analyze", fmt::format("analyze {} --spectrum", out), base_kb + 1, out},
      {"import", fmt::format("import {} -o {} --force --format torch", source, out), 2, out},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    fs::copy_file(base_file(), out, fs::copy_options::overwrite_existing);
    const std::vector<char> before = file_bytes(out);
    const CommandResult r = run_under(fmt::format("trap '' XFSZ; ulimit -f {}", c.limit_kb), c.args);
    EXPECT_EQ(r.code, 1) << r.output;  // -1 or 128+ would be a signal, 134 an abort
    EXPECT_CONTAINS(r.output, "rnnlab: failed:");
    EXPECT_EQ(r.output.find("terminate called"), std::string::npos) << r.output;
    EXPECT_EQ(file_bytes(out), before) << "the old output must be untouched";
    EXPECT_EQ(temporaries_under(dir), std::vector<std::string>{}) << r.output;
    fs::remove_all(out + ".partial");
  }
}

// --- one bad network does not block the file -----------------------------------

TEST_F(Robustness, EvalSkipsNetworksWithoutUsableWeightsAndSaysHowMany) {
  const std::string file = copy("mixed.h5");
  replace_dataset(file, "networks/2/trained/w_rec", {8, 8}, std::numeric_limits<double>::quiet_NaN());
  const CommandResult r = run(fmt::format("eval {} --trials 32", file));
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_CONTAINS(r.output, "skipped: its weights are not finite");
  EXPECT_CONTAINS(r.output, "evaluated 1 of 2 networks; 1 skipped");
  const CommandResult json = run(fmt::format("eval {} --trials 32 --json", file));
  ASSERT_EQ(json.code, 0) << json.output;
  EXPECT_CONTAINS(json.output, "\"skipped\": 1,");

  // A network that never trained (status "missing", no weights) beside a trained one.
  Experiment exp = read_experiment(base_file());
  exp.networks[1] = NetworkRecord{};
  exp.networks[1].seed = 2;
  exp.networks[1].status = "missing";
  exp.networks[1].status_reason = "not started; rerun with --resume";
  const std::string missing = (dir / "missing.h5").string();
  write_experiment(missing, exp);
  const CommandResult m = run(fmt::format("eval {} --trials 32", missing));
  ASSERT_EQ(m.code, 0) << m.output;
  EXPECT_CONTAINS(m.output, "skipped: no weights (status missing: not started");
  EXPECT_CONTAINS(m.output, "evaluated 1 of 2 networks");

  // Nothing left to evaluate: exit 1 with the reason.
  exp.networks[0] = exp.networks[1];
  exp.networks[0].seed = 1;
  write_experiment(missing, exp);
  const CommandResult none = run(fmt::format("eval {} --trials 32", missing));
  EXPECT_EQ(none.code, 1) << none.output;
  EXPECT_CONTAINS(none.output, "none of its 2 network(s) can be evaluated");
}

// Every network diverging is a failed job: exit 1 and a line on stderr
// that says so (the per-network reasons are on stdout).
TEST_F(Robustness, AllNetworksDivergedIsAFailureWithAMessage) {
  const std::string config = (dir / "c.toml").string();
  std::ofstream(config) << kBaseConfig;
  const std::string out = (dir / "diverged.h5").string();
  const CommandResult r = run(fmt::format(
      "train {} -o {} --seeds 2 --quiet --set train.learning_rate=1e30 --set train.clip=0 --set train.epsilon=1e-300",
      config, out));
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_CONTAINS(r.output, "rnnlab: failed: no network of");
  EXPECT_CONTAINS(r.output, "wrote " + out + " (0 of 2 networks trained)");
  // Their weights are NaN: eval has nothing to evaluate, and says so.
  const CommandResult e = run(fmt::format("eval {} --trials 16", out));
  EXPECT_EQ(e.code, 1) << e.output;
  EXPECT_CONTAINS(e.output, "none of its 2 network(s) can be evaluated");
}

// --- resources and requeued jobs ------------------------------------------------

// A job that cannot fit in memory is refused before anything is written,
// naming the key that makes it large (here the validation set: a million
// trials of 20 steps of 8 units, about 3 GB against a 1 GB limit).
TEST_F(Robustness, AJobLargerThanTheMemoryLimitIsRefusedNamingTheKey) {
  const std::string config = (dir / "c.toml").string();
  std::ofstream(config) << kBaseConfig;
  const std::string out = (dir / "big.h5").string();
  const CommandResult r = run_under(
      "export RNNLAB_MEMORY_LIMIT=1G",
      fmt::format("train {} -o {} --quiet --set train.validation_trials=1000000", config, out));
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_CONTAINS(r.output, "more than the limit of 1.07 GB ($RNNLAB_MEMORY_LIMIT)");
  EXPECT_CONTAINS(r.output, "train.validation_trials = 1000000 trials");
  EXPECT_CONTAINS(r.output, "model.dt");
  // The largest part is named first: the validation set, not the batch.
  EXPECT_LT(r.output.find("train.validation_trials"), r.output.find("train.batch")) << r.output;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out + ".partial"));

  // The same job under a limit it fits in trains (and is only described).
  const CommandResult fits = run_under("export RNNLAB_MEMORY_LIMIT=8G",
                                       fmt::format("train {} -o {} --quiet", config, out));
  EXPECT_EQ(fits.code, 0) << fits.output;
  const CommandResult bad_limit = run_under("export RNNLAB_MEMORY_LIMIT=lots",
                                            fmt::format("train {} -o {} --quiet --force", config, out));
  EXPECT_EQ(bad_limit.code, 2) << bad_limit.output;
  EXPECT_CONTAINS(bad_limit.output, "$RNNLAB_MEMORY_LIMIT = 'lots' is not a memory size");
}

// A requeued cluster job reruns `train --resume` after the job finished:
// it says so, exits 0 and leaves the file as it was. A file of another
// config is not what it resumes.
TEST_F(Robustness, ResumingAFinishedJobSaysSoAndExitsZero) {
  const std::string config = (dir / "c.toml").string();
  std::ofstream(config) << kBaseConfig;
  const std::string out = (dir / "done.h5").string();
  ASSERT_EQ(run(fmt::format("train {} -o {} --quiet --seeds 2", config, out)).code, 0);
  const std::vector<char> before = file_bytes(out);
  const CommandResult again = run(fmt::format("train {} -o {} --quiet --seeds 2 --resume", config, out));
  EXPECT_EQ(again.code, 0) << again.output;
  EXPECT_CONTAINS(again.output, "is already complete (2 of 2 networks trained); nothing to do");
  EXPECT_EQ(file_bytes(out), before);
  const CommandResult other = run(fmt::format("train {} -o {} --quiet --seeds 3 --resume", config, out));
  EXPECT_EQ(other.code, 2) << other.output;
  EXPECT_CONTAINS(other.output, "holds a job of another config");
  EXPECT_EQ(file_bytes(out), before);
}

// --- one writer at a time --------------------------------------------------------

// This test process holds the lock, as a running `rnnlab analyze` would:
// another process that would write the file is refused, naming the holder;
// once released, the same command works.
TEST_F(Robustness, ASecondWriterIsRefusedNamingTheHolder) {
  const std::string file = copy("held.h5");
  const std::vector<char> before = file_bytes(file);
  std::ofstream((dir / "c.toml").string()) << kBaseConfig;
  {
    const FileLock held(file, "test-holder");
    EXPECT_TRUE(fs::exists(file + ".lock"));
    const CommandResult analyze = run(fmt::format("analyze {} --spectrum", file));
    EXPECT_EQ(analyze.code, 2) << analyze.output;
    EXPECT_CONTAINS(analyze.output, fmt::format("is in use by rnnlab test-holder (pid {}", ::getpid()));
    const CommandResult train =
        run(fmt::format("train {} -o {} --force --quiet", (dir / "c.toml").string(), file));
    EXPECT_EQ(train.code, 2) << train.output;
    EXPECT_CONTAINS(train.output, "is in use by rnnlab test-holder");
    const CommandResult import = run(fmt::format("import {} -o {} --force", base_file(), file));
    EXPECT_EQ(import.code, 2) << import.output;
    EXPECT_CONTAINS(import.output, "rnnlab test-holder");
    EXPECT_EQ(file_bytes(file), before);
    // Re-entrant in one process: an update under the held lock works.
    EXPECT_NO_THROW(update_experiment(file, [](H5::H5File&) {}));
  }
  EXPECT_FALSE(fs::exists(file + ".lock")) << "released locks leave no file";
  const CommandResult after = run(fmt::format("analyze {} --spectrum", file));
  EXPECT_EQ(after.code, 0) << after.output;
}

// A writer killed before its rename leaves "<path>.tmp-<pid>"; the next
// writer removes it (its process is gone) but not one of a live process.
TEST_F(Robustness, TemporariesOfKilledWritersAreRemovedByTheNextWriter) {
  const std::string file = copy("f.h5");
  const std::string orphan = file + ".tmp-99999999";  // above any pid_max: no such process
  const std::string live = file + ".tmp-" + std::to_string(::getpid());
  std::ofstream(orphan) << "half a file";
  std::ofstream(live) << "being written";
  const CommandResult r = run(fmt::format("analyze {} --spectrum", file));
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_FALSE(fs::exists(orphan));
  EXPECT_TRUE(fs::exists(live));
}

// Two real `train` processes on one output: the second is refused while the
// first runs, and the first's run is not disturbed (its file is complete).
TEST_F(Robustness, TwoTrainsOnOneOutputTheSecondIsRefused) {
  const std::string config = (dir / "long.toml").string();
  std::ofstream(config) << R"(
[task]
name = "flipflop"
bits = 1
duration = 200
[model]
units = 8
[train]
iterations = 3000
validate_every = 100
)";
  const std::string out = (dir / "out.h5").string();
  const pid_t first = ::fork();
  ASSERT_GE(first, 0);
  if (first == 0) {
    const std::string log = (dir / "first.log").string();
    std::freopen(log.c_str(), "w", stdout);
    std::freopen(log.c_str(), "a", stderr);
    ::execl(RNNLAB_BINARY, RNNLAB_BINARY, "train", config.c_str(), "-o", out.c_str(), "--seeds", "2", "--quiet",
            "--threads", "1", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // The lock file appears once the first holds it (before any training).
  for (int i = 0; i < 2000 && !fs::exists(out + ".lock"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(fs::exists(out + ".lock"));
  const CommandResult second = run(fmt::format("train {} -o {} --seeds 2 --quiet --force", config, out));
  int status = 0;
  ::waitpid(first, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(second.code, 2) << second.output;
  EXPECT_CONTAINS(second.output, "is in use by rnnlab train (pid");
  const Experiment exp = read_experiment(out);
  ASSERT_EQ(exp.networks.size(), 2u);
  for (const NetworkRecord& rec : exp.networks) EXPECT_EQ(rec.iterations, 3000);
}

}  // namespace
}  // namespace rnnlab

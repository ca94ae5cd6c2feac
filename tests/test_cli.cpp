// The command line as a user meets it: exit codes, messages, no half-written files.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <vector>

#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;

using rnnlab::testing_support::CommandResult;

CommandResult run(const std::string& args) {
  return rnnlab::testing_support::run_rnnlab(
      args, fmt::format("{}/rnnlab-cli-{}.log", fs::temp_directory_path().string(), ::getpid()));
}

// `rnnlab ARGS` run as `PREFIX rnnlab ARGS` (e.g. PREFIX = "VAR=value" or "env -u VAR").
CommandResult run_shell_in_env(const std::string& prefix, const std::string& args) {
  const std::string log = fmt::format("{}/rnnlab-cli-env-{}.log", fs::temp_directory_path().string(), ::getpid());
  CommandResult r = rnnlab::testing_support::run_shell(fmt::format("{} {} {}", prefix, RNNLAB_BINARY, args), log);
  fs::remove(log);
  return r;
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override { dir = rnnlab::testing_support::fresh_test_dir("rnnlab-cli-test"); }
  void TearDown() override { fs::remove_all(dir); }

  std::string write_config(const std::string& text, const std::string& name = "c.toml") {
    const std::string path = (dir / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::string out(const std::string& name = "out.h5") { return (dir / name).string(); }

  fs::path dir;
};

const char* const kTiny = rnnlab::testing_support::kTinyFlipflop;

TEST_F(Cli, TrainWritesAFileThatInfoReads) {
  const auto cfg = write_config(kTiny);
  const CommandResult train = run(fmt::format("train {} -o {} --seeds 2 --quiet", cfg, out()));
  ASSERT_EQ(train.code, 0) << train.output;
  EXPECT_TRUE(fs::exists(out()));
  EXPECT_FALSE(fs::exists(out() + ".partial")) << "checkpoints are removed once the file is written";
  const CommandResult info = run(fmt::format("info {} --json", out()));
  ASSERT_EQ(info.code, 0) << info.output;
  EXPECT_NE(info.output.find("\"seed\": 1"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("\"seed\": 2"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("\"status\": \"trained\""), std::string::npos);
}

// The thread count of a training run: --threads, else SLURM's CPUs per task,
// else ensemble.threads, else one per core; said once on stderr.
TEST_F(Cli, ThreadsDefaultToSlurmCpusPerTask) {
  const auto cfg = write_config(std::string(kTiny) + "[ensemble]\nthreads = 3\nseeds = 4\n");
  const auto threads_line = [&](const std::string& prefix, const std::string& flags) {
    const CommandResult r = run_shell_in_env(prefix, fmt::format("train {} -o {} --force {}", cfg, out(), flags));
    EXPECT_EQ(r.code, 0) << r.output;
    const auto at = r.output.find("training 4 network(s) with");
    return at == std::string::npos ? r.output : r.output.substr(at, r.output.find('\n', at) - at);
  };
  EXPECT_EQ(threads_line("SLURM_CPUS_PER_TASK=2", ""), "training 4 network(s) with 2 thread(s) ($SLURM_CPUS_PER_TASK)");
  EXPECT_EQ(threads_line("SLURM_CPUS_PER_TASK=2", "--threads 1"), "training 4 network(s) with 1 thread(s) (--threads)");
  EXPECT_EQ(threads_line("env -u SLURM_CPUS_PER_TASK", ""), "training 4 network(s) with 3 thread(s) (ensemble.threads)");
}

TEST_F(Cli, BadConfigsExitWithCode2AndWriteNothing) {
  struct Case {
    std::string config, expect;
  };
  const std::vector<Case> cases = {
      {std::string(kTiny) + "unitz = 3\n", "unitz"},                                   // [train] unknown key
      {"[task]\nname = \"flipflop\"\n[model]\nunits = \"many\"\n", "model.units"},     // wrong type
      {"[task]\nname = \"flipflop\"\n[model]\nunits = -4\n", "model.units"},           // out of range
      {"[task]\nname = \"flipflop\"\n[model]\nactivation = \"tanhh\"\n", "tanh"},      // not allowed
      {"[task]\nname = \"flip_flop\"\n", "flipflop"},                                  // unknown task
      {"[task]\nname = \"flipflop\"\nbitz = 2\n", "bits"},                             // unknown task key
      {"[task\nname = \"flipflop\"\n", "c.toml"},                                      // TOML syntax
  };
  for (const Case& c : cases) {
    const auto cfg = write_config(c.config);
    const CommandResult r = run(fmt::format("train {} -o {} --quiet", cfg, out()));
    EXPECT_EQ(r.code, 2) << c.config << "\n" << r.output;
    EXPECT_NE(r.output.find(c.expect), std::string::npos) << "message should name '" << c.expect << "':\n" << r.output;
    EXPECT_FALSE(fs::exists(out()));
    EXPECT_FALSE(fs::exists(out() + ".partial"));
  }
  const CommandResult missing = run(fmt::format("train {} -o {}", (dir / "nope.toml").string(), out()));
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.output.find("nope.toml"), std::string::npos) << missing.output;
  const CommandResult bad_set = run(fmt::format("train {} -o {} --set model.unitz=3", write_config(kTiny), out()));
  EXPECT_EQ(bad_set.code, 2);
  EXPECT_NE(bad_set.output.find("model.units"), std::string::npos) << bad_set.output;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(Cli, ExistingOutputIsKeptWithoutForce) {
  const auto cfg = write_config(kTiny);
  std::ofstream(out()) << "precious";
  const CommandResult r = run(fmt::format("train {} -o {} --quiet", cfg, out()));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("--force"), std::string::npos) << r.output;
  std::ifstream in(out());
  std::string content;
  in >> content;
  EXPECT_EQ(content, "precious");
  const CommandResult forced = run(fmt::format("train {} -o {} --quiet --force", cfg, out()));
  EXPECT_EQ(forced.code, 0) << forced.output;
}

// A real kill: SIGKILL once the first checkpoint is on disk, then --resume.
// The resumed file must hold exactly the weights of an uninterrupted run.
TEST_F(Cli, ResumeAfterSigkillGivesTheUninterruptedWeights) {
  const auto cfg = write_config(R"(
[task]
name = "flipflop"
bits = 2
duration = 500
[model]
units = 24
[train]
iterations = 400
validate_every = 50
checkpoint_every = 40
seed = 4
[ensemble]
seeds = 2
)");
  const CommandResult full = run(fmt::format("train {} -o {} --quiet --threads 1", cfg, out("full.h5")));
  ASSERT_EQ(full.code, 0) << full.output;

  const std::string killed = out("killed.h5");
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    execl(RNNLAB_BINARY, RNNLAB_BINARY, "train", cfg.c_str(), "-o", killed.c_str(), "--quiet", "--threads", "1",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  const std::string first_checkpoint = killed + ".partial/4.h5";
  for (int i = 0; i < 6000 && !fs::exists(first_checkpoint); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(fs::exists(first_checkpoint)) << "no checkpoint appeared";
  if (WIFSIGNALED(status)) EXPECT_FALSE(fs::exists(killed)) << "a killed run leaves no output file";

  const CommandResult resumed = run(fmt::format("train {} -o {} --quiet --resume", cfg, killed));
  ASSERT_EQ(resumed.code, 0) << resumed.output;
  EXPECT_FALSE(fs::exists(killed + ".partial"));
  const rnnlab::Experiment a = rnnlab::read_experiment(out("full.h5"));
  const rnnlab::Experiment b = rnnlab::read_experiment(killed);
  ASSERT_EQ(a.networks.size(), 2u);
  ASSERT_EQ(b.networks.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(a.networks[i].iterations, b.networks[i].iterations);
    EXPECT_EQ(a.networks[i].trained.w_rec, b.networks[i].trained.w_rec);
    EXPECT_EQ(a.networks[i].trained.w_in, b.networks[i].trained.w_in);
    EXPECT_EQ(a.networks[i].trained.w_out, b.networks[i].trained.w_out);
    EXPECT_EQ(a.networks[i].curves.val_loss, b.networks[i].curves.val_loss);
  }
}

// The main job end to end on a tiny ensemble: training, every analysis, the
// census (whose counts must add up to the ensemble) and the summary.
TEST_F(Cli, RunTrainsAnalysesAndTakesTheCensus) {
  const auto cfg = write_config(R"(
[task]
name = "flipflop"
bits = 1
duration = 300
[model]
units = 12
[train]
iterations = 60
validate_every = 30
[ensemble]
seeds = 3
)");
  const std::string dir = (this->dir / "run").string();
  const CommandResult r = run(fmt::format("run {} -o {} --quiet", cfg, dir));
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(fs::exists(dir + "/summary.txt"));
  const std::string results = dir + "/results.h5";
  {
    std::lock_guard lock(rnnlab::h5_lock());
    H5::H5File file(results, H5F_ACC_RDONLY);
    H5::Group root = file.openGroup("/");
    for (const char* seed : {"1", "2", "3"})
      for (const char* analysis : {"spectrum", "fixed_points", "dynamics"})
        EXPECT_TRUE(rnnlab::h5::exists(root, fmt::format("networks/{}/analysis/{}", seed, analysis)))
            << seed << " " << analysis;
    H5::Group census = root.openGroup("analysis/census");
    const Eigen::MatrixXd attractors = rnnlab::h5::read_matrix(census, "attractor_counts");
    const Eigen::MatrixXd jarne = rnnlab::h5::read_matrix(census, "jarne_counts");
    EXPECT_EQ(attractors.sum(), 3.0);
    EXPECT_EQ(jarne.sum(), 3.0);
  }
  EXPECT_NE(r.output.find("jarne"), std::string::npos) << r.output;
  // A second run does not overwrite the results without --force.
  const CommandResult again = run(fmt::format("run {} -o {} --quiet", cfg, dir));
  EXPECT_EQ(again.code, 2) << again.output;
}

// How often `needle` occurs in `text`.
int occurrences(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

// `rnnlab run` (what `make demo` shows) says each thing once: the networks'
// results only in the summary, the census table once, one final progress
// line, one "wrote" per file; --verbose adds each network's analysis lines.
TEST_F(Cli, RunSaysEachThingOnce) {
  const std::string cfg = out("run.toml");
  std::ofstream(cfg) << R"(
[task]
name = "flipflop"
bits = 1
duration = 300
[model]
units = 12
[train]
iterations = 40
validate_every = 20
[ensemble]
seeds = 2
)";
  const std::string dir = (this->dir / "run").string();
  const CommandResult r = run(fmt::format("run {} -o {} --threads 2", cfg, dir));
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(occurrences(r.output, "network    1: trained"), 1) << r.output;
  EXPECT_EQ(occurrences(r.output, "network    2: trained"), 1) << r.output;
  EXPECT_EQ(occurrences(r.output, "train: 2/2 networks done"), 1) << r.output;
  EXPECT_EQ(occurrences(r.output, "wrote " + dir + "/results.h5"), 1) << r.output;
  // The census table's first column header, whatever its other columns.
  std::ifstream in(dir + "/summary.txt");
  std::stringstream summary;
  summary << in.rdbuf();
  const std::string first_line_of_table = summary.str().substr(summary.str().find("\ngroup") + 1, 8);
  ASSERT_EQ(first_line_of_table, "group | ") << summary.str();
  EXPECT_EQ(occurrences(r.output, "\ngroup | "), 1) << r.output;
  // The hint names the Python package by an absolute path: it works from any folder.
  EXPECT_NE(r.output.find("plots: PYTHONPATH=/"), std::string::npos) << r.output;

  const CommandResult verbose = run(fmt::format("run {} -o {} --threads 2 --force --verbose", cfg, dir));
  ASSERT_EQ(verbose.code, 0) << verbose.output;
  EXPECT_GT(occurrences(verbose.output, "network 1: "), occurrences(r.output, "network 1: ")) << verbose.output;
}

TEST_F(Cli, InfoRefusesAFileThatIsNotAnExperiment) {
  std::ofstream(out("junk.h5")) << "not hdf5 at all";
  const CommandResult r = run(fmt::format("info {}", out("junk.h5")));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("junk.h5"), std::string::npos) << r.output;
}

TEST_F(Cli, TasksListsEveryTaskOfTheIssue) {
  const CommandResult r = run("tasks");
  ASSERT_EQ(r.code, 0);
  for (const char* name : {"flipflop", "set_reset", "logic", "oscillator", "delayed_pulse", "perceptual_dm",
                           "context_dm", "parametric_wm", "ready_set_go", "simple_dm"})
    EXPECT_NE(r.output.find(name), std::string::npos) << name;
}

// `rnnlab run`'s summary explains itself: every column of the census table
// and every term of the network lines has a line in words in the legend below
// them (src/pipeline/summary_legend.cpp), in the terminal and in summary.txt.
TEST_F(Cli, RunSummaryLegendExplainsEveryColumnAndTerm) {
  const std::string cfg = write_config(kTiny);
  const std::string dir = (this->dir / "run").string();
  const CommandResult r = run(fmt::format("run {} -o {} --seeds 2 --quiet --threads 2", cfg, dir));
  ASSERT_EQ(r.code, 0) << r.output;
  std::ifstream in(dir + "/summary.txt");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string summary = ss.str();
  const std::size_t legend_at = summary.find("How to read this");
  ASSERT_NE(legend_at, std::string::npos) << summary;
  EXPECT_NE(r.output.find("How to read this"), std::string::npos) << "the terminal shows the legend too";
  const std::string legend = summary.substr(legend_at);
  // The census header: "group | fixed_point | ... | jarne:mixed | ... | families".
  const std::size_t header_at = summary.find("\ngroup | ") + 1;
  const std::string header = summary.substr(header_at, summary.find('\n', header_at) - header_at);
  std::vector<std::string> columns;
  for (std::size_t from = 0; from <= header.size();) {
    const std::size_t bar = std::min(header.find(" | ", from), header.size());
    columns.push_back(header.substr(from, bar - from));
    from = bar + 3;
  }
  ASSERT_GE(columns.size(), 8u) << header;
  for (std::size_t c = 1; c < columns.size(); ++c) {
    // "    NAME   words..." with words after the name.
    const std::size_t at = legend.find("\n    " + columns[c] + " ");
    ASSERT_NE(at, std::string::npos) << "no legend line for census column '" << columns[c] << "'\n" << legend;
    const std::string line = legend.substr(at + 1, legend.find('\n', at + 1) - at - 1);
    EXPECT_GT(line.find_first_not_of(' ', 4 + columns[c].size()), 0u) << line;
    EXPECT_LT(line.find_first_not_of(' ', 4 + columns[c].size()), line.size()) << "empty words: " << line;
  }
  // Each term the network lines use is both there and explained.
  for (const char* term : {"N", "rho", "step map at the origin", "unstable mode", "Henrici", "fixed points",
                           "slow points", "local minima of q", "outliers", "starts"}) {
    EXPECT_NE(summary.substr(0, legend_at).find(term), std::string::npos) << term << " is not in the summary";
    EXPECT_NE(legend.find(fmt::format("\n    {} ", term)), std::string::npos) << term << " has no legend line";
  }
}

// -q / --quiet on the commands that print per-network lines (analyze,
// perturb; before or after the subcommand): only the final line naming what
// was written; without it, one line per network. -q with -v is refused.
TEST_F(Cli, QuietPrintsOnlyTheFinalResult) {
  const auto cfg = write_config(kTiny);
  ASSERT_EQ(run(fmt::format("train {} -o {} --seeds 2 --quiet", cfg, out())).code, 0);
  auto lines = [](const std::string& text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    for (std::string line; std::getline(ss, line);)
      if (!line.empty()) out.push_back(line);
    return out;
  };
  const CommandResult normal = run(fmt::format("analyze {} --spectrum", out()));
  ASSERT_EQ(normal.code, 0) << normal.output;
  EXPECT_EQ(occurrences(normal.output, "network    1: N=8"), 1) << normal.output;
  EXPECT_EQ(occurrences(normal.output, "network    2: N=8"), 1) << normal.output;
  for (const std::string& form : {fmt::format("analyze {} --spectrum -q", out()),
                                  fmt::format("--quiet analyze {} --spectrum", out())}) {
    const CommandResult quiet = run(form);
    ASSERT_EQ(quiet.code, 0) << quiet.output;
    const std::vector<std::string> said = lines(quiet.output);
    ASSERT_EQ(said.size(), 1u) << form << "\n" << quiet.output;
    EXPECT_EQ(said[0], out() + ": --spectrum done, written under /networks/<seed>/analysis/spectrum/");
  }
  const CommandResult perturb = run(fmt::format("perturb {} --prune 0,0.5 --trials 8", out()));
  ASSERT_EQ(perturb.code, 0) << perturb.output;
  EXPECT_GE(occurrences(perturb.output, "network "), 2) << perturb.output;
  const CommandResult quiet_perturb = run(fmt::format("perturb {} --prune 0,0.5 --trials 8 --quiet", out()));
  ASSERT_EQ(quiet_perturb.code, 0) << quiet_perturb.output;
  EXPECT_EQ(lines(quiet_perturb.output), std::vector<std::string>{"wrote /networks/<id>/analysis/perturbation/ in " + out()})
      << quiet_perturb.output;
  // The global flag reaches the commands with flags of their own too.
  const CommandResult train = run(fmt::format("--quiet train {} -o {} --seeds 1", cfg, out("again.h5")));
  ASSERT_EQ(train.code, 0) << train.output;
  EXPECT_EQ(occurrences(train.output, "networks done"), 0) << train.output;
  const CommandResult both = run(fmt::format("analyze {} --spectrum -q -v", out()));
  EXPECT_EQ(both.code, 2) << both.output;
  EXPECT_NE(both.output.find("choose one"), std::string::npos) << both.output;
}

}  // namespace

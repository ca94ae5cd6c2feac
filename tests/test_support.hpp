#pragma once
// Helpers shared by the test files that run the `rnnlab` binary or need a
// scratch folder of their own.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <string>

namespace rnnlab::testing_support {

namespace fs = std::filesystem;

struct CommandResult {
  int code;            // exit status; -1 if the command did not exit normally
  std::string output;  // stdout and stderr together
};

// Runs `command` in a shell with stdout and stderr sent to `log`, which is kept.
inline CommandResult run_shell(const std::string& command, const fs::path& log) {
  const int status = std::system(fmt::format("{} > {} 2>&1", command, log.string()).c_str());
  std::ifstream in(log);
  std::stringstream ss;
  ss << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ss.str()};
}

// Runs `rnnlab ARGS` (the binary under test); its output goes through `log`, then the log is removed.
inline CommandResult run_rnnlab(const std::string& args, const fs::path& log) {
  CommandResult r = run_shell(fmt::format("{} {}", RNNLAB_BINARY, args), log);
  fs::remove(log);
  return r;
}

// An empty folder named after `prefix`, the process and the running test,
// so tests (and concurrent ctest processes) never share files.
inline fs::path fresh_test_dir(const std::string& prefix) {
  const fs::path dir = fs::temp_directory_path() /
                       fmt::format("{}-{}-{}", prefix, ::getpid(),
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// The smallest config that trains in well under a second: a 1-bit flip-flop,
// 8 units, 20 iterations (one seed unless [ensemble] says otherwise).
inline const char* const kTinyFlipflop = R"(
[task]
name = "flipflop"
bits = 1
duration = 200
[model]
units = 8
[train]
iterations = 20
validate_every = 10
)";

}  // namespace rnnlab::testing_support

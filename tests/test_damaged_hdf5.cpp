// A file on which libhdf5 itself crashes (tests/fixtures/damaged/README.md)
// is refused with a message naming it, by the library call and by the
// command, instead of taking the process down (the check runs in a child).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <sys/wait.h>

#include "io/experiment_file.hpp"
#include "util/error.hpp"

namespace rnnlab {
namespace {

const std::string kCrashing = std::string(RNNLAB_FIXTURES_DIR) + "/damaged/hdf5-crash.h5";

TEST(DamagedHdf5, AFileLibhdf5CrashesOnIsRefusedWithAMessage) {
  try {
    read_experiment(kCrashing);
    FAIL() << "a damaged file was read";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("hdf5-crash.h5"), std::string::npos) << message;
    EXPECT_NE(message.find("crashed"), std::string::npos) << message;
  }
  // Skipping weight sets does not skip the check.
  ReadOptions trained_only;
  trained_only.initial = trained_only.final_weights = false;
  EXPECT_THROW(read_experiment(kCrashing, trained_only), InputError);
}

TEST(DamagedHdf5, TheCommandExitsWithTwo) {
  const std::string command = std::string(RNNLAB_BINARY) + " info " + kCrashing + " > /dev/null 2>&1";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status)) << "rnnlab info died of a signal";
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

}  // namespace
}  // namespace rnnlab

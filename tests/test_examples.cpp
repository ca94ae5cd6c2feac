// The example configs in examples/: one per registered task, named after it,
// each parsing with load_config and making its task. No training here (the
// accuracies the examples reach are measured in examples/README.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "io/config.hpp"
#include "tasks/task.hpp"

using namespace rnnlab;
namespace fs = std::filesystem;

namespace {

const fs::path examples_dir = fs::path(RNNLAB_SOURCE_DIR) / "examples";

// Every examples/*.toml, sorted.
std::vector<fs::path> example_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(examples_dir))
    if (entry.is_regular_file() && entry.path().extension() == ".toml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST(Examples, DirectoryHoldsConfigs) {
  ASSERT_TRUE(fs::is_directory(examples_dir)) << examples_dir;
  EXPECT_FALSE(example_files().empty());
}

TEST(Examples, EveryExampleParsesAndMakesItsTask) {
  for (const auto& file : example_files()) {
    SCOPED_TRACE(file.string());
    try {
      const ExperimentConfig config = load_config(file.string());
      // Named after its task: examples/<task>.toml.
      EXPECT_EQ(config.task.name, file.stem().string());
      const auto task = make_task(config.task.name, config.task.params, config.model.dt);
      ASSERT_NE(task, nullptr);
      EXPECT_EQ(task->name(), config.task.name);
      EXPECT_GT(task->steps(), 0);
      EXPECT_EQ(config.model.inputs, task->n_inputs());
      EXPECT_EQ(config.model.outputs, task->n_outputs());
      EXPECT_GE(config.ensemble.seeds, 1);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "refused: " << e.what();
    }
  }
}

TEST(Examples, OneExamplePerRegisteredTask) {
  std::set<std::string> stems;
  for (const auto& file : example_files()) stems.insert(file.stem().string());
  EXPECT_EQ(example_files().size(), task_registry().size());
  for (const auto& info : task_registry())
    EXPECT_TRUE(stems.count(info.name)) << "no examples/" << info.name << ".toml";
  for (const auto& stem : stems)
    EXPECT_NE(find_task(stem), nullptr) << "examples/" << stem << ".toml names no registered task";
}

// The pipeline layer (src/pipeline/) and the TOML writer (src/io/toml_writer):
// the analysis registry that `analyze`, `run` and Python share, the one task
// resolver, import detection, and TOML text that reads back as what was written.
#include <gtest/gtest.h>

#include <H5Cpp.h>
#include <fmt/format.h>
#include <toml++/toml.h>

#include <filesystem>
#include <fstream>

#include "io/config.hpp"
#include "io/h5.hpp"
#include "io/toml_writer.hpp"
#include "pipeline/analysis_registry.hpp"
#include "pipeline/import_detect.hpp"
#include "pipeline/task_resolution.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;
using testing_support::CommandResult;

TEST(TomlWriter, WritesTablesInOrderAsAPersonWould) {
  TomlTable fixed{"fixed_points", {}, {}};
  fixed.set("starts", toml_integer(8)).set("noise", toml_real(0.06));
  TomlTable analysis{"analysis", {}, {fixed}};
  TomlTable model{"model", {}, {}};
  model.set("units", toml_integer(64)).set("tau", toml_real(3)).set("dale", toml_bool(true));
  model.set("odd key", toml_array({toml_string("a\"b"), toml_real(1e-5)}));
  const std::string text = to_toml({model, analysis});
  EXPECT_EQ(text,
            "[model]\nunits = 64\ntau = 3.0\ndale = true\n\"odd key\" = [\"a\\\"b\", 1e-05]\n\n"
            "[analysis]\n\n[analysis.fixed_points]\nstarts = 8\nnoise = 0.06\n");
  // toml++ reads back the same values and types.
  const toml::table back = toml::parse(text);
  EXPECT_EQ(back["model"]["units"].value<std::int64_t>(), 64);
  EXPECT_TRUE(back["model"]["tau"].is_floating_point());
  EXPECT_EQ(back["model"]["odd key"][0].value<std::string>(), "a\"b");
  EXPECT_EQ(back["model"]["odd key"][1].value<double>(), 1e-5);
  EXPECT_EQ(back["analysis"]["fixed_points"]["noise"].value<double>(), 0.06);
}

// Every task's [task] table, written and parsed again, is the same task
// (every parameter, integers as integers): what import records and eval reads.
TEST(TomlWriter, EveryTaskTableReadsBackAsTheSameTask) {
  for (const TaskInfo& info : task_registry()) {
    const TaskSpec spec = resolve_task(task_toml_for_name(info.name), "test", {}, 10.0);
    const std::string text = to_toml({task_table(spec)});
    const TaskSpec back = resolve_task(text, "written", {}, 10.0);
    EXPECT_EQ(back.name, spec.name);
    EXPECT_EQ(back.params, spec.params) << text;
    for (const ParamSpec& p : info.params) {
      if (p.integer) EXPECT_TRUE(toml::parse(text)["task"][p.name].is_integer()) << info.name << "." << p.name;
    }
  }
}

TEST(TaskResolution, OnlyTaskKeysMayBeSetAndSetsApply) {
  const TaskSpec spec = resolve_task(task_toml_for_name("flipflop"), "--task flipflop", {"task.bits=2"}, 10.0);
  EXPECT_EQ(std::get<double>(spec.params.at("bits")), 2.0);
  EXPECT_THROW(resolve_task(task_toml_for_name("flipflop"), "--task flipflop", {"model.units=3"}, 10.0), InputError);
  try {
    resolve_task(task_toml_for_name("flipflopp"), "--task flipflopp", {}, 10.0);
    FAIL() << "an unknown task was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("flipflop"), std::string::npos) << e.what();
  }
}

TEST(AnalysisRegistry, NamesFlagsAndRefusals) {
  EXPECT_EQ(analysis_names(), (std::vector<std::string>{"spectrum", "fixed_points", "dynamics"}));
  EXPECT_EQ(find_analysis("fixed_points").flag(), "--fixed-points");
  EXPECT_EQ(&find_analysis("--dynamics"), &find_analysis("dynamics"));
  for (const AnalysisInfo& a : analysis_registry()) {
    EXPECT_FALSE(a.description.empty()) << a.name;
    EXPECT_TRUE(a.run && a.summary) << a.name;
  }
  try {
    find_analysis("spectra");
    FAIL() << "an unknown analysis was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'spectra': must be one of spectrum, fixed_points, dynamics"),
              std::string::npos)
        << e.what();
  }
}

class PipelineFiles : public ::testing::Test {
 protected:
  void SetUp() override { dir = testing_support::fresh_test_dir("rnnlab-pipeline"); }
  void TearDown() override { fs::remove_all(dir); }
  std::string out(const std::string& name) { return (dir / name).string(); }
  fs::path dir;
};

TEST_F(PipelineFiles, ImportDetectionTellsKerasTorchAndArrays) {
  EXPECT_EQ(detect_import_format(std::string(RNNLAB_FIXTURES_DIR) + "/keras-jarne/dm_ortho_nobias_0_final.hdf5"),
            "keras");
  const Eigen::MatrixXd w = Eigen::MatrixXd::Identity(3, 3);
  for (const auto& [name, expected] : {std::pair<std::string, std::string>{"rnn.weight_hh_l0", "torch"},
                                       {"w_rec", "arrays"}}) {
    const std::string path = out(name + ".h5");
    {
      std::lock_guard lock(h5_lock());
      H5::H5File f(path, H5F_ACC_TRUNC);
      H5::Group root = f.openGroup("/");
      h5::write_matrix(root, name, w);
    }
    EXPECT_EQ(detect_import_format(path), expected) << name;
  }
  std::ofstream(out("text.h5")) << "not hdf5";
  EXPECT_EQ(detect_import_format(out("text.h5")), "arrays");  // the arrays importer says what it expected
  EXPECT_EQ(detect_import_format(out("missing.h5")), "arrays");
}

// `rnnlab analyze` offers exactly the registry's analyses: each is a flag with
// its description as help, and anything else is refused (exit 2) naming them.
TEST_F(PipelineFiles, AnalyzeFlagsComeFromTheRegistry) {
  const CommandResult help = testing_support::run_rnnlab("analyze --help", dir / "log");
  ASSERT_EQ(help.code, 0) << help.output;
  for (const AnalysisInfo& a : analysis_registry()) EXPECT_NE(help.output.find(a.flag()), std::string::npos) << a.name;
  std::ofstream(out("x.h5")) << "";
  const CommandResult bad = testing_support::run_rnnlab(fmt::format("analyze {} --spectra", out("x.h5")), dir / "log");
  EXPECT_EQ(bad.code, 2) << bad.output;
  EXPECT_NE(bad.output.find("not expected: --spectra"), std::string::npos) << bad.output;
  for (const AnalysisInfo& a : analysis_registry()) EXPECT_NE(bad.output.find(a.flag()), std::string::npos) << a.name;
  // The global -q still reaches the main command (it falls through the subcommand).
  const CommandResult none = testing_support::run_rnnlab(fmt::format("analyze {} -q", out("x.h5")), dir / "log");
  EXPECT_EQ(none.code, 2) << none.output;
  EXPECT_NE(none.output.find("choose at least one analysis"), std::string::npos) << none.output;
}

}  // namespace
}  // namespace rnnlab

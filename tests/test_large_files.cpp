// What keeps large experiment files small and quick to read
// (docs/file-format.md "Weights"): weights that are float32 values are stored
// as float32 and read back bit for bit; large networks' initial weights are
// left out and regenerated from the config and seed, bit for bit, only when
// the writer has checked that they regenerate; readers can skip weight sets.
#include <H5Cpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fmt/format.h>

#include "config_support.hpp"
#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "io/initial_weights.hpp"
#include "test_support.hpp"
#include "train/ensemble.hpp"
#include "train/record.hpp"
#include "train/trainer.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;
using testing_support::parse;

// By default an initialiser with every random part: a sparse mask, E/I
// columns, row sums removed, a random x0 and non-negative inputs.
constexpr const char* kRandomParts = "init = \"ei\"\nzero_row_sums = true\nconnectivity = 0.5\n";

// A config; `units` sets N (1024 is the smallest N whose initial weights are
// left out), `model` the rest of [model], `extra` what follows [train].
std::string config_text(int units, const std::string& model = kRandomParts, const std::string& extra = "") {
  return fmt::format(R"([task]
name = "flipflop"
bits = 2
duration = 100

[model]
units = {}
dt = 10.0
tau = 100.0
x0 = "learned"
input_nonnegative = true
{}
[train]
iterations = 1
batch = 2
validation_trials = 2
seed = 5
{}
)",
                     units, model, extra);
}

// The network a trainer records, as `rnnlab train` writes it (initial weights
// from the initialiser; trained weights float32 values).
NetworkRecord trained_record(const ExperimentConfig& config, std::uint64_t seed) {
  NetworkTrainer trainer = make_trainer(config, seed);
  NetworkState state = trainer.initial_state();
  state.status = "trained";
  return network_record(config.model, trainer.initial_model(), state);
}

std::string dtype_of(const std::string& file, const std::string& dataset) {
  std::lock_guard lock(h5_lock());
  H5::H5File f(file, H5F_ACC_RDONLY);
  const H5::DataSet ds = f.openDataSet(dataset);
  const H5::FloatType type = ds.getFloatType();
  return type.getSize() == 4 ? "float32" : "float64";
}

bool group_exists(const std::string& file, const std::string& path) {
  std::lock_guard lock(h5_lock());
  H5::H5File f(file, H5F_ACC_RDONLY);
  return h5::exists(f, path);
}

// Bit for bit, including the sign of zeros (same_bits compares bytes).
void expect_same_bits(const Network& a, const Network& b) {
  EXPECT_TRUE(same_bits(a, b));
  EXPECT_EQ(weights_checksum(a), weights_checksum(b));
}

class LargeFiles : public ::testing::Test {
 protected:
  void SetUp() override { dir = testing_support::fresh_test_dir("rnnlab-large-files"); }
  void TearDown() override { fs::remove_all(dir); }
  std::string write(const Experiment& experiment) {
    const std::string path = (dir / "e.h5").string();
    write_experiment(path, experiment);
    return path;
  }
  fs::path dir;
};

TEST(InitialWeights, RegeneratedFromConfigAndSeedEqualTheTrainersBitForBit) {
  for (const std::uint64_t seed : {5, 6}) {
    const ExperimentConfig config = parse(config_text(24));
    ASSERT_TRUE(initial_regenerable(config));
    const NetworkRecord rec = trained_record(config, seed);
    expect_same_bits(regenerate_initial(config, seed), rec.initial);
  }
  // A sweep point's config (another gain) regenerates that point's network.
  const ExperimentConfig swept = parse(config_text(24, kRandomParts, "\n[sweep]\n\"model.mu_e\" = [0.5, 1.0]\n"));
  const ExperimentConfig& point = swept.at(1);
  expect_same_bits(regenerate_initial(point, 5), trained_record(point, 5).initial);
  EXPECT_FALSE(same_bits(regenerate_initial(point, 5), regenerate_initial(swept.at(0), 5)));
}

TEST(InitialWeights, InitialisersThatNeedADecompositionOrAnotherFileAreNotRegenerated) {
  EXPECT_TRUE(initial_regenerable(parse(config_text(8, "init = \"normal\"\n"))));
  EXPECT_FALSE(initial_regenerable(parse(config_text(8, "init = \"normal\"\nspectral_radius = 0.9\n"))));
  EXPECT_FALSE(initial_regenerable(parse(config_text(8, "init = \"normal\"\ndale = true\n"))));
  EXPECT_FALSE(initial_regenerable(parse(config_text(8, "init = \"orthogonal\"\n"))));
  EXPECT_FALSE(initial_regenerable(parse(config_text(8, kRandomParts, "init_from = \"other.h5:1\"\n"))));
}

TEST_F(LargeFiles, Float32WeightsAreStoredAsFloat32AndReadBackBitForBit) {
  const ExperimentConfig config = parse(config_text(24));
  NetworkRecord rec = trained_record(config, 5);
  // Trained weights are float32 values; a -0.0 must come back with its sign.
  rec.trained.b(3) = -0.0;
  const std::string path = write(Experiment{config.toml_text, "test", {rec}});
  EXPECT_EQ(dtype_of(path, "networks/5/trained/w_rec"), "float32");
  EXPECT_EQ(dtype_of(path, "networks/5/trained/b"), "float32");
  // The initialiser draws in float64; its b is zeros, which are float32 values.
  EXPECT_EQ(dtype_of(path, "networks/5/initial/w_rec"), "float64");
  EXPECT_EQ(dtype_of(path, "networks/5/initial/b"), "float32");
  const Experiment back = read_experiment(path);
  ASSERT_EQ(back.networks.size(), 1u);
  expect_same_bits(back.networks[0].trained, rec.trained);
  expect_same_bits(back.networks[0].initial, rec.initial);
  EXPECT_TRUE(std::signbit(back.networks[0].trained.b(3)));
  EXPECT_EQ(back.networks[0].mask_rec, rec.mask_rec);
}

TEST_F(LargeFiles, LargeInitialWeightsAreLeftOutAndRegeneratedOnReading) {
  const ExperimentConfig config = parse(config_text(1024, "init = \"normal\"\n"));
  const NetworkRecord rec = trained_record(config, 5);
  ASSERT_GE(rec.initial.w_rec.size(), kRegenerateInitialFrom);
  const std::string path = write(Experiment{config.toml_text, "test", {rec}});
  EXPECT_FALSE(group_exists(path, "networks/5/initial"));
  EXPECT_TRUE(group_exists(path, "networks/5/trained"));
  // About 4 MB of float32 W_rec, not 8 + 8 MB of float64 for two weight sets.
  EXPECT_LT(fs::file_size(path), 5'000'000u);
  const Experiment back = read_experiment(path);
  expect_same_bits(back.networks[0].initial, rec.initial);
  expect_same_bits(back.networks[0].trained, rec.trained);
  // Readers that need only the trained weights skip the regeneration.
  ReadOptions trained_only;
  trained_only.initial = false;
  EXPECT_EQ(read_experiment(path, trained_only).networks[0].initial.units(), 0);
}

TEST_F(LargeFiles, InitialWeightsThatDoNotRegenerateAreStored) {
  const ExperimentConfig config = parse(config_text(1024));
  NetworkRecord rec = trained_record(config, 5);
  // One bit of the last entry off: the writer's check must see it.
  double& w = rec.initial.w_rec(1023, 1022);
  w = std::nextafter(w, 1.0);
  const std::string path = write(Experiment{config.toml_text, "test", {rec}});
  EXPECT_TRUE(group_exists(path, "networks/5/initial/w_rec"));
  expect_same_bits(read_experiment(path).networks[0].initial, rec.initial);
  // An import (origin not rnnlab) keeps its initial weights too.
  NetworkRecord imported = trained_record(config, 6);
  imported.origin = "keras:model.h5";
  const std::string path2 = write(Experiment{config.toml_text, "test", {imported}});
  EXPECT_TRUE(group_exists(path2, "networks/6/initial/w_rec"));
}

TEST_F(LargeFiles, AWrongChecksumReadsTheNetworkWithoutInitialWeights) {
  const ExperimentConfig config = parse(config_text(1024));
  const NetworkRecord rec = trained_record(config, 5);
  const std::string path = write(Experiment{config.toml_text, "test", {rec}});
  ASSERT_FALSE(group_exists(path, "networks/5/initial"));
  update_experiment(path, [](H5::H5File& f) {
    H5::Group g = f.openGroup("networks/5");
    h5::write_attr(g, "initial_regenerated_checksum", std::string("0000000000000000"));
  });
  const Experiment back = read_experiment(path);
  EXPECT_EQ(back.networks[0].initial.units(), 0);
  expect_same_bits(back.networks[0].trained, rec.trained);
}

}  // namespace
}  // namespace rnnlab

// The experiment file: exact round trip, the raw layout a person sees in
// h5py, atomic writes and updates, refusing foreign files, and the helpers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "util/error.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << "message: " << (haystack)

// Deterministic, non-symmetric values, different for every (salt, i, j).
Eigen::MatrixXd pattern(Eigen::Index rows, Eigen::Index cols, double salt) {
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = salt + 0.1 * i - 0.013 * j + 0.001 * i * j * j;
  return m;
}

Network network(int n, int in, int out, double salt) {
  Network net;
  net.w_in = pattern(n, in, salt);
  net.w_rec = pattern(n, n, salt + 1);
  net.w_out = pattern(out, n, salt + 2);
  net.b = pattern(n, 1, salt + 3);
  net.b_out = pattern(out, 1, salt + 4);
  net.x0 = pattern(n, 1, salt + 5);
  net.alpha = 0.1;
  net.dt = 10.0;
  net.activation = Activation::retanh;
  return net;
}

// Two networks: a Dale network with a mask and curves, and an imported one
// with no initial weights, no sign, no mask and no curves.
Experiment sample_experiment() {
  Experiment e;
  e.config = "[task]\nname = \"flipflop\"\n# a comment with unicode: \u03c4 = 100 ms\n";
  e.rnnlab_version = "9.8.7";

  NetworkRecord dale;
  dale.seed = 3;
  dale.status = "diverged";
  dale.status_reason = "loss became NaN at iteration 17";
  dale.iterations = 17;
  dale.initial = network(5, 2, 3, 0.0);
  dale.trained = network(5, 2, 3, 10.0);
  Eigen::VectorXd sign(5);
  sign << 1, 1, 1, -1, -1;
  dale.initial.sign = sign;
  dale.trained.sign = sign;
  dale.mask_rec = Eigen::MatrixXd::Ones(5, 5);
  dale.mask_rec.diagonal().setZero();
  dale.mask_rec(0, 4) = 0;
  dale.curves.iteration = {0, 5, 10, 15};
  dale.curves.loss = {1.0, 0.5, 0.25, 0.125};
  dale.curves.val_loss = {1.1, 0.6, 0.3, 0.2};
  dale.curves.val_accuracy = {0.0, 0.5, 0.75, 1.0};
  dale.curves.wall_time = {0.0, 0.01, 0.02, 0.03};

  NetworkRecord imported;
  imported.seed = 12;
  imported.status = "imported";
  imported.status_reason = "keras model.h5";
  imported.origin = "keras";
  imported.trained = network(4, 1, 1, 20.0);
  imported.trained.alpha = 1.0;
  imported.trained.activation = Activation::tanh;

  e.networks = {imported, dale};  // written out of order: reading sorts by seed
  return e;
}

void expect_same(const Network& a, const Network& b) {
  EXPECT_EQ(a.w_in, b.w_in);
  EXPECT_EQ(a.w_rec, b.w_rec);
  EXPECT_EQ(a.w_out, b.w_out);
  EXPECT_EQ(a.b, b.b);
  EXPECT_EQ(a.b_out, b.b_out);
  EXPECT_EQ(a.x0, b.x0);
  EXPECT_EQ(a.sign, b.sign);
  EXPECT_EQ(a.alpha, b.alpha);
  EXPECT_EQ(a.dt, b.dt);
  EXPECT_EQ(a.activation, b.activation);
}

void expect_same(const NetworkRecord& a, const NetworkRecord& b) {
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.status_reason, b.status_reason);
  EXPECT_EQ(a.origin, b.origin);
  EXPECT_EQ(a.iterations, b.iterations);
  expect_same(a.initial, b.initial);
  expect_same(a.trained, b.trained);
  EXPECT_EQ(a.mask_rec, b.mask_rec);
  EXPECT_EQ(a.curves.iteration, b.curves.iteration);
  EXPECT_EQ(a.curves.loss, b.curves.loss);
  EXPECT_EQ(a.curves.val_loss, b.curves.val_loss);
  EXPECT_EQ(a.curves.val_accuracy, b.curves.val_accuracy);
  EXPECT_EQ(a.curves.wall_time, b.curves.wall_time);
}

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class ExperimentFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rnnlab_file_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    path_ = (dir_ / "experiment.h5").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Every file in the directory other than the experiment itself (leftover temporaries).
  std::vector<std::string> strays() const {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir_))
      if (entry.path().string() != path_) out.push_back(entry.path().filename().string());
    return out;
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(ExperimentFile, RoundTripIsExact) {
  const Experiment written = sample_experiment();
  write_experiment(path_, written);
  const Experiment read = read_experiment(path_);
  EXPECT_EQ(read.config, written.config);
  EXPECT_EQ(read.rnnlab_version, "9.8.7");
  ASSERT_EQ(read.networks.size(), 2u);
  expect_same(read.networks[0], written.networks[1]);  // seed 3 first
  expect_same(read.networks[1], written.networks[0]);  // then seed 12
  EXPECT_TRUE(strays().empty());
}

TEST_F(ExperimentFile, RawLayoutIsWhatTheDocsSay) {
  const Experiment e = sample_experiment();
  write_experiment(path_, e);
  const NetworkRecord& dale = e.networks[1];

  std::lock_guard lock(h5_lock());
  H5::H5File file(path_, H5F_ACC_RDONLY);
  EXPECT_EQ(h5::read_string_attr(file, "config"), e.config);
  EXPECT_EQ(h5::read_string_attr(file, "rnnlab_version"), "9.8.7");

  // Strings are variable-length UTF-8, so h5py gives str, not bytes.
  const H5::Attribute config = file.openAttribute("config");
  EXPECT_TRUE(config.getStrType().isVariableStr());
  EXPECT_EQ(config.getStrType().getCset(), H5T_CSET_UTF8);

  H5::Group net = file.openGroup("networks/3");
  EXPECT_EQ(h5::read_long_attr(net, "seed"), 3);
  EXPECT_EQ(h5::read_string_attr(net, "status"), "diverged");
  EXPECT_EQ(h5::read_string_attr(net, "status_reason"), dale.status_reason);
  EXPECT_EQ(h5::read_string_attr(net, "origin"), "rnnlab");
  EXPECT_EQ(h5::read_long_attr(net, "iterations"), 17);
  EXPECT_EQ(h5::read_double_attr(net, "alpha"), 0.1);
  EXPECT_EQ(h5::read_double_attr(net, "dt"), 10.0);
  EXPECT_EQ(h5::read_string_attr(net, "activation"), "retanh");

  // w_rec read raw, bypassing read_matrix: element [i, j] of the row-major
  // dataset is W(i, j), so h5py's w_rec[i, j] is the weight from j to i.
  H5::DataSet w_rec = net.openDataSet("trained/w_rec");
  hsize_t dims[2] = {0, 0};
  ASSERT_EQ(w_rec.getSpace().getSimpleExtentNdims(), 2);
  w_rec.getSpace().getSimpleExtentDims(dims);
  ASSERT_EQ(dims[0], 5u);
  ASSERT_EQ(dims[1], 5u);
  std::vector<double> raw(25);
  w_rec.read(raw.data(), H5::PredType::NATIVE_DOUBLE);
  ASSERT_NE(dale.trained.w_rec, dale.trained.w_rec.transpose());  // the check could fail
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 5; ++j) EXPECT_EQ(raw[i * 5 + j], dale.trained.w_rec(i, j)) << i << "," << j;

  // Shapes in Eigen's (rows, cols) order: w_in N x I, w_out O x N.
  H5::DataSet w_in = net.openDataSet("trained/w_in");
  w_in.getSpace().getSimpleExtentDims(dims);
  EXPECT_EQ(dims[0], 5u);
  EXPECT_EQ(dims[1], 2u);
  H5::DataSet w_out = net.openDataSet("initial/w_out");
  w_out.getSpace().getSimpleExtentDims(dims);
  EXPECT_EQ(dims[0], 3u);
  EXPECT_EQ(dims[1], 5u);

  for (const char* name : {"initial/w_in", "initial/w_rec", "initial/w_out", "initial/b", "initial/b_out",
                           "initial/x0", "initial/sign", "initial/mask_rec", "trained/w_in", "trained/w_rec",
                           "trained/w_out", "trained/b", "trained/b_out", "trained/x0", "trained/sign",
                           "trained/mask_rec", "train/iteration", "train/loss", "train/val_loss",
                           "train/val_accuracy", "train/wall_time"})
    EXPECT_TRUE(h5::exists(net, name)) << name;
  EXPECT_EQ(h5::read_vector(net, "trained/sign"), dale.trained.sign);

  // The imported network: no initial group, no sign, no mask.
  H5::Group imported = file.openGroup("networks/12");
  EXPECT_FALSE(h5::exists(imported, "initial"));
  EXPECT_FALSE(h5::exists(imported, "trained/sign"));
  EXPECT_FALSE(h5::exists(imported, "trained/mask_rec"));
  EXPECT_EQ(h5::read_string_attr(imported, "origin"), "keras");
}

TEST_F(ExperimentFile, WritingOverAFileReplacesIt) {
  write_experiment(path_, sample_experiment());
  Experiment smaller;
  smaller.config = "replaced";
  smaller.rnnlab_version = "1.0";
  NetworkRecord one;
  one.seed = 99;
  one.trained = network(2, 1, 1, 5.0);
  smaller.networks = {one};
  write_experiment(path_, smaller);
  const Experiment read = read_experiment(path_);
  EXPECT_EQ(read.config, "replaced");
  ASSERT_EQ(read.networks.size(), 1u);
  EXPECT_EQ(read.networks[0].seed, 99u);
  EXPECT_TRUE(strays().empty());
}

TEST_F(ExperimentFile, FailedUpdateLeavesTheFileUntouched) {
  write_experiment(path_, sample_experiment());
  const std::string before = bytes_of(path_);
  EXPECT_THROW(update_experiment(path_,
                                 [](H5::H5File& file) {
                                   H5::Group g = h5::require_group(file, "networks/3/analysis");
                                   h5::write_vector(g, "half_written", std::vector<double>{1, 2, 3});
                                   throw std::runtime_error("analysis failed");
                                 }),
               std::runtime_error);
  EXPECT_EQ(bytes_of(path_), before);
  EXPECT_TRUE(strays().empty());
  EXPECT_NO_THROW(read_experiment(path_));
}

TEST_F(ExperimentFile, UpdateAddsToACopyAndKeepsTheRest) {
  write_experiment(path_, sample_experiment());
  update_experiment(path_, [](H5::H5File& file) {
    H5::Group g = h5::require_group(file, "networks/3/analysis/spectrum");
    Eigen::VectorXcd eig(2);
    eig << std::complex<double>(0.5, -0.25), std::complex<double>(-1.0, 2.0);
    h5::write_complex_vector(g, "eigenvalues", eig);
  });
  EXPECT_TRUE(strays().empty());
  {
    std::lock_guard lock(h5_lock());
    H5::H5File file(path_, H5F_ACC_RDONLY);
    const Eigen::VectorXcd eig = h5::read_complex_vector(file, "networks/3/analysis/spectrum/eigenvalues");
    ASSERT_EQ(eig.size(), 2);
    EXPECT_EQ(eig(0), std::complex<double>(0.5, -0.25));
    EXPECT_EQ(eig(1), std::complex<double>(-1.0, 2.0));
  }
  const Experiment read = read_experiment(path_);
  expect_same(read.networks[0], sample_experiment().networks[1]);
}

TEST_F(ExperimentFile, FailedWriteLeavesNoTemporary) {
  Experiment bad = sample_experiment();
  bad.networks.push_back(bad.networks[0]);  // a duplicate seed
  EXPECT_THROW(write_experiment(path_, bad), Error);
  EXPECT_FALSE(fs::exists(path_));
  const std::string nowhere = (dir_ / "missing_dir" / "x.h5").string();
  EXPECT_THROW(write_experiment(nowhere, sample_experiment()), Error);
  EXPECT_TRUE(strays().empty());
}

TEST_F(ExperimentFile, RefusesForeignFiles) {
  const std::string text = (dir_ / "notes.h5").string();
  std::ofstream(text) << "not hdf5 at all\n";
  try {
    read_experiment(text);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_CONTAINS(e.what(), text);
    EXPECT_CONTAINS(e.what(), "not an HDF5 file");
    EXPECT_CONTAINS(e.what(), "rnnlab experiment file");
  }

  const std::string other = (dir_ / "other.h5").string();
  {
    std::lock_guard lock(h5_lock());
    H5::H5File file(other, H5F_ACC_TRUNC);
    H5::Group g = h5::require_group(file, "data");
    h5::write_vector(g, "x", std::vector<double>{1, 2});
  }
  try {
    read_experiment(other);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_CONTAINS(e.what(), other);
    EXPECT_CONTAINS(e.what(), "not an rnnlab experiment file");
  }
  EXPECT_THROW(update_experiment(other, [](H5::H5File&) {}), InputError);

  const std::string absent = (dir_ / "absent.h5").string();
  try {
    read_experiment(absent);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_CONTAINS(e.what(), absent);
  }
}

TEST_F(ExperimentFile, IncompleteNetworkIsAnInputError) {
  write_experiment(path_, sample_experiment());
  update_experiment(path_, [](H5::H5File& file) { file.unlink("networks/3/trained/w_rec"); });
  try {
    read_experiment(path_);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_CONTAINS(e.what(), path_);
    EXPECT_CONTAINS(e.what(), "w_rec");
  }
}

TEST_F(ExperimentFile, ThreadsMayWriteAndReadAtOnce) {
  // HDF5 here is not thread-safe; h5_lock() inside the functions makes it so.
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      const std::string path = (dir_ / ("t" + std::to_string(k) + ".h5")).string();
      Experiment e = sample_experiment();
      e.networks[0].seed = 100 + k;
      for (int repeat = 0; repeat < 5; ++repeat) write_experiment(path, e);
      ok[k] = read_experiment(path).networks.back().seed == static_cast<std::uint64_t>(100 + k);
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, std::vector<int>(4, 1));
}

TEST_F(ExperimentFile, HelpersRoundTrip) {
  std::lock_guard lock(h5_lock());
  {
    H5::H5File file(path_, H5F_ACC_TRUNC);
    H5::Group g = h5::require_group(file, "a/b/c");
    EXPECT_TRUE(h5::exists(file, "a/b/c"));
    EXPECT_FALSE(h5::exists(file, "a/x/c"));
    h5::write_strings(g, "names", {"alpha", "", "\u03c4 unicode"});
    h5::write_strings(g, "none", {});
    h5::write_matrix(g, "empty", Eigen::MatrixXd(0, 3));
    h5::write_matrix(g, "m", pattern(2, 3, 1.0));
    h5::write_matrix(g, "m", pattern(3, 2, 2.0));  // replaced, not an error
    h5::write_attr(g, "n", 5L);
    h5::write_attr(g, "n", 6L);
    h5::write_attr(g, "x", 0.25);
    h5::write_attr(g, "s", std::string("text"));
  }
  H5::H5File file(path_, H5F_ACC_RDONLY);
  H5::Group g = file.openGroup("a/b/c");
  EXPECT_EQ(h5::read_strings(g, "names"), (std::vector<std::string>{"alpha", "", "\u03c4 unicode"}));
  EXPECT_TRUE(h5::read_strings(g, "none").empty());
  const Eigen::MatrixXd empty = h5::read_matrix(g, "empty");
  EXPECT_EQ(empty.rows(), 0);
  EXPECT_EQ(empty.cols(), 3);
  EXPECT_EQ(h5::read_matrix(g, "m"), pattern(3, 2, 2.0));
  EXPECT_EQ(h5::read_long_attr(g, "n"), 6);
  EXPECT_EQ(h5::read_double_attr(g, "x"), 0.25);
  EXPECT_EQ(h5::read_double_attr(g, "n"), 6.0);
  EXPECT_EQ(h5::read_string_attr(g, "s"), "text");
  EXPECT_TRUE(h5::has_attr(g, "s"));
  EXPECT_FALSE(h5::has_attr(g, "missing"));
  EXPECT_THROW(h5::read_long_attr(g, "x"), Error);
  EXPECT_THROW(h5::read_vector(g, "absent"), Error);
  EXPECT_THROW(h5::read_vector(g, "names"), Error);
}

}  // namespace
}  // namespace rnnlab

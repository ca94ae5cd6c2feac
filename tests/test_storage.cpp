// How the experiment file stores its arrays: an all-ones (dense) mask_rec is
// not stored, a mask with zeros is, compressed (shuffle + gzip, HDF5's own
// filters), and so is any large dataset that compresses well; dense random
// weights stay uncompressed (they would shrink by ~10% for a 5-10x slower
// read). Old files, with their all-ones mask_rec datasets, still load.
#include <H5Cpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fmt/format.h>

#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "test_support.hpp"
#include "util/rng.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;

// N = 128: W_rec has 16384 values, above the size from which datasets are
// chunked and tried for compression (8192).
constexpr int kUnits = 128;

Eigen::MatrixXd gaussian(int rows, int cols, std::uint64_t index) {
  Rng rng = Rng::stream(7, Purpose::user, index);
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = 0.1 * rng.normal();
  return m;
}

NetworkRecord record(const Eigen::MatrixXd& mask) {
  NetworkRecord rec;
  rec.seed = 3;
  for (Network* net : {&rec.initial, &rec.trained}) {
    const std::uint64_t salt = net == &rec.initial ? 0 : 10;
    net->w_rec = gaussian(kUnits, kUnits, salt + 1);
    if (mask.size() > 0) net->w_rec = net->w_rec.cwiseProduct(mask);
    net->w_in = gaussian(kUnits, 2, salt + 2);
    net->w_out = gaussian(1, kUnits, salt + 3);
    net->b = gaussian(kUnits, 1, salt + 4);
    net->b_out = gaussian(1, 1, salt + 5);
    net->x0 = Eigen::VectorXd::Zero(kUnits);
    net->alpha = 0.1;
    net->dt = 10;
  }
  rec.mask_rec = mask;
  rec.curves.iteration = {0, 10};
  rec.curves.loss = rec.curves.val_loss = rec.curves.val_accuracy = rec.curves.wall_time = {1.0, 0.5};
  return rec;
}

// A mask with about half its connections (and no autapses).
Eigen::MatrixXd sparse_mask() {
  Rng rng = Rng::stream(7, Purpose::user, 99);
  Eigen::MatrixXd mask(kUnits, kUnits);
  for (Eigen::Index i = 0; i < mask.size(); ++i) mask.data()[i] = rng.uniform() < 0.5 ? 1.0 : 0.0;
  mask.diagonal().setZero();
  return mask;
}

struct Storage {
  bool present = false, shuffled = false, gzipped = false;
  double stored_bytes = 0, raw_bytes = 0;
};

// How the dataset at `path` is stored: its filters, read with the HDF5 API.
Storage storage_of(const std::string& file, const std::string& path) {
  std::lock_guard lock(h5_lock());
  H5::H5File f(file, H5F_ACC_RDONLY);
  Storage s;
  if (!h5::exists(f, path)) return s;
  s.present = true;
  const H5::DataSet ds = f.openDataSet(path);
  const H5::DSetCreatPropList plist = ds.getCreatePlist();
  for (int i = 0; i < plist.getNfilters(); ++i) {
    unsigned flags = 0, config = 0;
    std::size_t n = 0;
    char name[64];
    const H5Z_filter_t filter = plist.getFilter(i, flags, n, nullptr, sizeof(name), name, config);
    s.shuffled |= filter == H5Z_FILTER_SHUFFLE;
    s.gzipped |= filter == H5Z_FILTER_DEFLATE;
  }
  s.stored_bytes = static_cast<double>(ds.getStorageSize());
  s.raw_bytes = static_cast<double>(ds.getSpace().getSimpleExtentNpoints()) * sizeof(double);
  return s;
}

void expect_same_weights(const Network& a, const Network& b) {
  EXPECT_EQ(a.w_rec, b.w_rec);
  EXPECT_EQ(a.w_in, b.w_in);
  EXPECT_EQ(a.w_out, b.w_out);
  EXPECT_EQ(a.b, b.b);
}

class Storing : public ::testing::Test {
 protected:
  void SetUp() override { dir = testing_support::fresh_test_dir("rnnlab-storage"); }
  void TearDown() override { fs::remove_all(dir); }
  std::string write(const NetworkRecord& rec) {
    const std::string path = (dir / "e.h5").string();
    write_experiment(path, Experiment{"", "test", {rec}});
    return path;
  }
  fs::path dir;
};

TEST_F(Storing, ADenseMaskIsNotStoredAndReadsBackAsDense) {
  const NetworkRecord rec = record(Eigen::MatrixXd::Ones(kUnits, kUnits));
  const std::string path = write(rec);
  EXPECT_FALSE(storage_of(path, "networks/3/trained/mask_rec").present);
  EXPECT_FALSE(storage_of(path, "networks/3/initial/mask_rec").present);
  const NetworkRecord back = read_experiment(path).networks.at(0);
  EXPECT_EQ(back.mask_rec.size(), 0) << "absent = dense";
  expect_same_weights(back.trained, rec.trained);
  expect_same_weights(back.initial, rec.initial);
  // Dense random weights do not compress enough to pay: stored as they are.
  const Storage w_rec = storage_of(path, "networks/3/trained/w_rec");
  EXPECT_FALSE(w_rec.gzipped);
  EXPECT_EQ(w_rec.stored_bytes, w_rec.raw_bytes);
}

TEST_F(Storing, ASparseMaskIsStoredCompressedAndReadsBackExactly) {
  const NetworkRecord rec = record(sparse_mask());
  const std::string path = write(rec);
  for (const char* set : {"initial", "trained"}) {
    SCOPED_TRACE(set);
    const Storage mask = storage_of(path, fmt::format("networks/3/{}/mask_rec", set));
    ASSERT_TRUE(mask.present);
    EXPECT_TRUE(mask.shuffled && mask.gzipped);
    // 0/1 in float64: after the shuffle, six of every eight bytes are zeros.
    EXPECT_LT(mask.stored_bytes, 0.2 * mask.raw_bytes) << mask.stored_bytes << " of " << mask.raw_bytes;
    // Half the weights are zeros: compressed too, to well under their size.
    const Storage w_rec = storage_of(path, fmt::format("networks/3/{}/w_rec", set));
    EXPECT_TRUE(w_rec.shuffled && w_rec.gzipped);
    EXPECT_LT(w_rec.stored_bytes, 0.8 * w_rec.raw_bytes);
  }
  const NetworkRecord back = read_experiment(path).networks.at(0);
  EXPECT_EQ(back.mask_rec, rec.mask_rec);
  expect_same_weights(back.trained, rec.trained);
  expect_same_weights(back.initial, rec.initial);
}

// Files written before masks were dropped hold an all-ones mask_rec in both
// weight sets (uncompressed): they load as before, mask and all.
TEST_F(Storing, AnOldFileWithAnAllOnesMaskStillLoads) {
  const NetworkRecord rec = record(Eigen::MatrixXd::Ones(kUnits, kUnits));
  const std::string path = write(rec);
  {
    std::lock_guard lock(h5_lock());
    H5::H5File f(path, H5F_ACC_RDWR);
    const Eigen::MatrixXd ones = Eigen::MatrixXd::Ones(kUnits, kUnits);
    for (const char* set : {"networks/3/initial", "networks/3/trained"}) {
      H5::Group g = f.openGroup(set);
      const hsize_t dims[2] = {kUnits, kUnits};
      H5::DataSet ds = g.createDataSet("mask_rec", H5::PredType::IEEE_F64LE, H5::DataSpace(2, dims));
      ds.write(ones.data(), H5::PredType::NATIVE_DOUBLE);
    }
  }
  const NetworkRecord back = read_experiment(path).networks.at(0);
  EXPECT_EQ(back.mask_rec, Eigen::MatrixXd::Ones(kUnits, kUnits));
  expect_same_weights(back.trained, rec.trained);
}

}  // namespace
}  // namespace rnnlab

// Importing networks trained in Keras and PyTorch (issue 3), on the real Keras
// files in fixtures/keras-jarne and on files written here.
#include <gtest/gtest.h>

#include <H5Cpp.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "analysis/spectrum.hpp"
#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "io/import.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

namespace rnnlab {
namespace {

const std::string kFixtures = std::string(RNNLAB_FIXTURES_DIR) + "/keras-jarne/";

std::string temp_file(const std::string& stem, const std::string& ext = ".h5") {
  return (std::filesystem::temp_directory_path() / ("rnnlab_" + stem + "_" + std::to_string(::getpid()) + ext)).string();
}

// The message of the InputError `f` throws ("" when it throws nothing).
template <class F>
std::string input_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// The raw Keras 3 recurrent kernel, read by its known path (independent of the importer).
// dm_ortho_nobias_1 was saved from a second model in the session: its names carry "_1".
Eigen::MatrixXd raw_keras(const std::string& file, const std::string& name) {
  const bool second = file.find("_1_") != std::string::npos;
  const std::string layer = second ? "simple_rnn_1" : "simple_rnn";
  const std::string model = second ? "sequential_1" : "sequential";
  std::lock_guard lock(h5_lock());
  H5::H5File f(kFixtures + file, H5F_ACC_RDONLY);
  const H5::Group g = f.openGroup("model_weights/" + layer + "/" + model + "/" + layer + "/simple_rnn_cell");
  return h5::read_matrix(g, name);
}

struct Fixture {
  const char* file;
  double readme_radius;  // largest |eigenvalue| of W_rec, README.md (3 decimals); 0 = not listed
};

TEST(ImportKeras, FixtureSpectraMatchReadmeAndRawKernels) {
  const Fixture fixtures[] = {
      {"dm_ortho_nobias_0_final.hdf5", 1.054},     {"dm_ortho_nobias_1_final.hdf5", 1.043},
      {"dm_normal105_nobias_0_final.hdf5", 1.231}, {"dm_ortho_bias_0_final.hdf5", 1.070},
      {"perceptual_ortho_nobias_0_final.hdf5", 1.143}, {"perceptual_normal_0_initial.hdf5", 1.049},
      {"perceptual_normal_0_final.hdf5", 1.113},   {"longshort_ortho_nobias_0_final.hdf5", 0.0},
  };
  for (const Fixture& fx : fixtures) {
    SCOPED_TRACE(fx.file);
    const NetworkRecord rec = import_keras(kFixtures + fx.file);
    const Network& net = rec.trained;
    EXPECT_EQ(rec.origin, std::string("keras:") + fx.file);
    EXPECT_EQ(rec.status, "imported");
    EXPECT_EQ(rec.initial.w_rec.size(), 0);
    ASSERT_EQ(net.units(), 100);
    EXPECT_EQ(net.inputs(), 1);
    EXPECT_EQ(net.outputs(), 1);
    EXPECT_EQ(net.activation, Activation::tanh);
    EXPECT_DOUBLE_EQ(net.alpha, 1.0);
    EXPECT_DOUBLE_EQ(net.dt, 1.0);
    EXPECT_EQ(net.x0, Eigen::VectorXd::Zero(100));

    const Eigen::VectorXcd l = sorted_eigenvalues(net.w_rec);
    if (fx.readme_radius > 0) {
      EXPECT_NEAR(std::abs(l(0)), fx.readme_radius, 1e-3);
    }

    // W_rec = R^T exactly, and its spectrum is that of the raw kernel's transpose.
    const Eigen::MatrixXd raw = raw_keras(fx.file, "recurrent_kernel");
    EXPECT_EQ(net.w_rec, raw.transpose());
    const Eigen::VectorXcd raw_l = sorted_eigenvalues(Eigen::MatrixXd(raw.transpose()));
    ASSERT_EQ(raw_l.size(), l.size());
    EXPECT_LT((raw_l - l).cwiseAbs().maxCoeff(), 1e-10);
    EXPECT_EQ(net.w_in, raw_keras(fx.file, "kernel").transpose());
  }
}

TEST(ImportKeras, BiasAndReadoutTransposed) {
  const NetworkRecord rec = import_keras(kFixtures + "dm_ortho_bias_0_final.hdf5", 10.0, 50.0);
  const Network& net = rec.trained;
  const Eigen::MatrixXd raw_b = raw_keras("dm_ortho_bias_0_final.hdf5", "bias");
  EXPECT_EQ(net.b, raw_b.col(0));
  EXPECT_GT(net.b.norm(), 0.0);
  EXPECT_DOUBLE_EQ(net.alpha, 0.2);
  EXPECT_DOUBLE_EQ(net.dt, 10.0);

  std::lock_guard lock(h5_lock());
  H5::H5File f(kFixtures + "dm_ortho_bias_0_final.hdf5", H5F_ACC_RDONLY);
  const H5::Group dense = f.openGroup("model_weights/dense/sequential/dense");
  EXPECT_EQ(net.w_out, h5::read_matrix(dense, "kernel").transpose());
  EXPECT_EQ(net.b_out, h5::read_vector(dense, "bias"));
  // A no-bias file gets b = 0.
  EXPECT_EQ(import_keras(kFixtures + "dm_ortho_nobias_0_final.hdf5").trained.b, Eigen::VectorXd::Zero(100));
}

TEST(ImportKeras, EmptyWeightGroupsRefused) {
  const std::string msg = input_error([] { import_keras(kFixtures + "empty_weights_initial.hdf5"); });
  EXPECT_NE(msg.find("empty_weights_initial.hdf5"), std::string::npos) << msg;
  EXPECT_NE(msg.find("empty"), std::string::npos) << msg;
  EXPECT_NE(msg.find("model_weights/simple_rnn"), std::string::npos) << msg;
}

TEST(ImportKeras, NonHdf5AndMissingFilesRefused) {
  const std::string path = temp_file("not_hdf5", ".hdf5");
  std::ofstream(path) << "this is not an HDF5 file\n";
  std::string msg = input_error([&] { import_keras(path); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("not an HDF5 file"), std::string::npos) << msg;
  msg = input_error([&] { import_arrays(path, true); });
  EXPECT_NE(msg.find("not an HDF5 file"), std::string::npos) << msg;
  std::filesystem::remove(path);
  msg = input_error([&] { import_keras(path); });
  EXPECT_NE(msg.find("no such file"), std::string::npos) << msg;
  msg = input_error([&] { import_keras(kFixtures + "dm_ortho_bias_0_final.hdf5", 10.0, 5.0); });
  EXPECT_NE(msg.find("dt <= tau"), std::string::npos) << msg;
}

// A Keras 2 style file written here: fixed-length string model_config,
// datasets <layer>/<layer>/kernel:0, float32.
void write_keras2(const std::string& path, const std::string& config, const Eigen::MatrixXd& k, const Eigen::MatrixXd& r,
                  const Eigen::MatrixXd& d, const Eigen::VectorXd& d_bias) {
  std::lock_guard lock(h5_lock());
  H5::H5File f(path, H5F_ACC_TRUNC);
  H5::StrType fixed(H5::PredType::C_S1, config.size());
  H5::Attribute attr = f.createAttribute("model_config", fixed, H5::DataSpace(H5S_SCALAR));
  attr.write(fixed, config.data());
  auto put = [&](const std::string& group, const std::string& name, const Eigen::MatrixXd& m, bool vector) {
    H5::Group g = f.openGroup("/");
    for (const std::string& part : {std::string("model_weights"), group, group}) {
      g = H5Lexists(g.getId(), part.c_str(), H5P_DEFAULT) > 0 ? g.openGroup(part) : g.createGroup(part);
    }
    hsize_t dims[2] = {static_cast<hsize_t>(m.rows()), static_cast<hsize_t>(m.cols())};
    H5::DataSpace space(vector ? 1 : 2, dims);
    H5::DataSet ds = g.createDataSet(name, H5::PredType::IEEE_F32LE, space);
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rm = m.cast<float>();
    ds.write(rm.data(), H5::PredType::NATIVE_FLOAT);
  };
  if (k.size()) put("simple_rnn_1", "kernel:0", k, false);
  if (r.size()) put("simple_rnn_1", "recurrent_kernel:0", r, false);
  if (d.size()) put("dense_1", "kernel:0", d, false);
  if (d_bias.size()) put("dense_1", "bias:0", d_bias, true);
}

std::string keras2_config(const std::string& rnn_class, int units, const std::string& activation) {
  return R"({"class_name": "Sequential", "config": {"name": "sequential_1", "layers": [)"
         R"({"class_name": ")" + rnn_class + R"(", "config": {"name": "simple_rnn_1", "units": )" +
         std::to_string(units) + R"(, "activation": ")" + activation +
         R"(", "use_bias": false, "batch_input_shape": [null, null, 2], "note": "esc\"aped \u00e9"}},)"
         R"({"class_name": "TimeDistributed", "config": {"name": "dense_1", "layer": {"class_name": "Dense", )"
         R"("config": {"name": "dense_inner", "units": 1, "activation": "linear", "use_bias": true}}}}]}})";
}

TEST(ImportKeras, Keras2LayoutReluNoBias) {
  Rng rng = Rng::stream(21, Purpose::user);
  const int n = 5, in = 2;
  Eigen::MatrixXd k(in, n), r(n, n), d(n, 1);
  k = Eigen::MatrixXd::NullaryExpr(in, n, [&] { return std::round(rng.normal() * 8) / 8; });
  r = Eigen::MatrixXd::NullaryExpr(n, n, [&] { return std::round(rng.normal() * 8) / 8; });
  d = Eigen::MatrixXd::NullaryExpr(n, 1, [&] { return std::round(rng.normal() * 8) / 8; });
  const Eigen::VectorXd bias = Eigen::VectorXd::Constant(1, 0.25);
  const std::string path = temp_file("keras2");
  write_keras2(path, keras2_config("SimpleRNN", n, "relu"), k, r, d, bias);

  const NetworkRecord rec = import_keras(path);
  const Network& net = rec.trained;
  EXPECT_EQ(net.activation, Activation::relu);
  EXPECT_EQ(net.w_in, k.transpose());  // values are multiples of 1/8: exact in float32
  EXPECT_EQ(net.w_rec, r.transpose());
  EXPECT_EQ(net.w_out, d.transpose());
  EXPECT_EQ(net.b, Eigen::VectorXd::Zero(n));
  EXPECT_DOUBLE_EQ(net.b_out(0), 0.25);

  // No recurrent layer.
  write_keras2(path, keras2_config("LSTM", n, "tanh"), k, r, d, bias);
  std::string msg = input_error([&] { import_keras(path); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("no SimpleRNN layer"), std::string::npos) << msg;

  // Shapes that do not fit the config's units.
  write_keras2(path, keras2_config("SimpleRNN", n + 1, "tanh"), k, r, d, bias);
  msg = input_error([&] { import_keras(path); });
  EXPECT_NE(msg.find("recurrent_kernel"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(5, 5)"), std::string::npos) << msg;

  // A kernel whose width is not the number of units.
  write_keras2(path, keras2_config("SimpleRNN", n, "tanh"), Eigen::MatrixXd::Ones(in, n + 1), r, d, bias);
  msg = input_error([&] { import_keras(path); });
  EXPECT_NE(msg.find("kernel"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(2, 6)"), std::string::npos) << msg;

  // An activation rnnlab does not have.
  write_keras2(path, keras2_config("SimpleRNN", n, "elu"), k, r, d, bias);
  msg = input_error([&] { import_keras(path); });
  EXPECT_NE(msg.find("elu"), std::string::npos) << msg;
  std::filesystem::remove(path);
}

Network random_network(int n, int in, int out, Rng& rng) {
  Network net;
  auto draw = [&](int r, int c) { return Eigen::MatrixXd(Eigen::MatrixXd::NullaryExpr(r, c, [&] { return rng.normal(); })); };
  net.w_in = draw(n, in);
  net.w_rec = draw(n, n);
  net.w_out = draw(out, n);
  net.b = draw(n, 1).col(0);
  net.b_out = draw(out, 1).col(0);
  net.x0 = draw(n, 1).col(0);
  return net;
}

TEST(ImportArrays, TorchRoundTripIsExact) {
  Rng rng = Rng::stream(22, Purpose::user);
  Network net = random_network(7, 3, 2, rng);
  net.activation = Activation::relu;
  net.dt = 10.0;
  net.alpha = 10.0 / 50.0;
  const std::string path = temp_file("torch_round_trip");
  export_torch_arrays(net, path);
  const NetworkRecord rec = import_arrays(path, /*torch_naming=*/true, 10.0, 50.0);
  std::filesystem::remove(path);
  const Network& back = rec.trained;
  EXPECT_EQ(back.w_in, net.w_in);
  EXPECT_EQ(back.w_rec, net.w_rec);
  EXPECT_EQ(back.w_out, net.w_out);
  EXPECT_EQ(back.b, net.b);
  EXPECT_EQ(back.b_out, net.b_out);
  EXPECT_EQ(back.x0, net.x0);
  EXPECT_EQ(back.activation, Activation::relu);
  EXPECT_EQ(back.alpha, net.alpha);
  EXPECT_EQ(back.dt, net.dt);
  EXPECT_EQ(rec.origin.rfind("torch:rnnlab_torch_round_trip", 0), 0u) << rec.origin;
}

TEST(ImportArrays, TorchPrefixedNamesSumBiases) {
  Rng rng = Rng::stream(23, Purpose::user);
  const Network net = random_network(4, 2, 3, rng);
  const Eigen::VectorXd b_hh = Eigen::VectorXd::Constant(4, 0.5);
  const std::string path = temp_file("torch_prefixed");
  {
    std::lock_guard lock(h5_lock());
    H5::H5File f(path, H5F_ACC_TRUNC);
    H5::Group root = f.openGroup("/");
    h5::write_matrix(root, "rnn.weight_ih_l0", net.w_in);
    h5::write_matrix(root, "rnn.weight_hh_l0", net.w_rec);
    h5::write_vector(root, "rnn.bias_ih_l0", net.b);
    h5::write_vector(root, "rnn.bias_hh_l0", b_hh);
    h5::write_matrix(root, "fc.weight", net.w_out);
    h5::write_vector(root, "fc.bias", net.b_out);
  }
  const Network back = import_arrays(path, true).trained;
  EXPECT_EQ(back.w_rec, net.w_rec);
  EXPECT_EQ(back.w_out, net.w_out);
  EXPECT_EQ(back.b_out, net.b_out);
  EXPECT_EQ(back.b, net.b + b_hh);
  EXPECT_EQ(back.x0, Eigen::VectorXd::Zero(4));
  EXPECT_EQ(back.activation, Activation::tanh);

  // Our naming is not found in a PyTorch-named file.
  const std::string msg = input_error([&] { import_arrays(path, false); });
  EXPECT_NE(msg.find("w_rec"), std::string::npos) << msg;
  std::filesystem::remove(path);
}

TEST(ImportArrays, OurNamingAndInconsistentShapes) {
  Rng rng = Rng::stream(24, Purpose::user);
  const Network net = random_network(6, 2, 1, rng);
  const std::string path = temp_file("our_naming");
  auto write = [&](const Eigen::MatrixXd& w_in) {
    std::lock_guard lock(h5_lock());
    H5::H5File f(path, H5F_ACC_TRUNC);
    H5::Group root = f.openGroup("/");
    h5::write_matrix(root, "w_in", w_in);
    h5::write_matrix(root, "w_rec", net.w_rec);
    h5::write_matrix(root, "w_out", net.w_out);
    h5::write_vector(root, "b", net.b);
    h5::write_attr(root, "activation", std::string("linear"));
  };
  write(net.w_in);
  const NetworkRecord rec = import_arrays(path, false);
  EXPECT_EQ(rec.trained.w_in, net.w_in);
  EXPECT_EQ(rec.trained.w_rec, net.w_rec);
  EXPECT_EQ(rec.trained.b, net.b);
  EXPECT_EQ(rec.trained.b_out, Eigen::VectorXd::Zero(1));
  EXPECT_EQ(rec.trained.activation, Activation::linear);
  EXPECT_EQ(rec.origin.rfind("arrays:", 0), 0u);

  write(Eigen::MatrixXd::Ones(5, 2));  // 5 rows for 6 units
  const std::string msg = input_error([&] { import_arrays(path, false); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("w_in"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(5, 2)"), std::string::npos) << msg;
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace rnnlab

namespace rnnlab {
namespace {

// The arrays -> network rules without a file (what Python's from_torch uses).
TEST(ImportArrays, InMemoryStateDictRules) {
  Rng rng = Rng::stream(25, Purpose::user);
  const Network net = random_network(5, 2, 3, rng);
  NamedArrays sd;
  sd["rnn.weight_ih_l0"] = {net.w_in, 2};
  sd["rnn.weight_hh_l0"] = {net.w_rec, 2};
  sd["rnn.bias_ih_l0"] = {net.b, 1};
  const Network back = network_from_arrays("state_dict", sd, true, 2.0, 20.0, "softplus");
  EXPECT_EQ(back.w_rec, net.w_rec);
  EXPECT_EQ(back.b, net.b);
  // No readout: the outputs are the rates.
  EXPECT_EQ(back.w_out, Eigen::MatrixXd::Identity(5, 5));
  EXPECT_EQ(back.b_out, Eigen::VectorXd::Zero(5));
  EXPECT_EQ(back.activation, Activation::softplus);
  EXPECT_DOUBLE_EQ(back.alpha, 0.1);

  std::string msg = input_error([&] { network_from_arrays("state_dict", sd, true, 1.0, 1.0, "gelu"); });
  EXPECT_NE(msg.find("'gelu', expected one of tanh, relu"), std::string::npos) << msg;

  NamedArrays gru = sd;
  gru["rnn.weight_hh_l0"] = {Eigen::MatrixXd::Zero(15, 5), 2};
  msg = input_error([&] { network_from_arrays("state_dict", gru, true); });
  EXPECT_NE(msg.find("looks like a GRU"), std::string::npos) << msg;
  gru["rnn.weight_hh_l0"] = {Eigen::MatrixXd::Zero(20, 5), 2};
  msg = input_error([&] { network_from_arrays("state_dict", gru, true); });
  EXPECT_NE(msg.find("looks like an LSTM"), std::string::npos) << msg;

  NamedArrays bidirectional = sd;
  bidirectional["rnn.weight_hh_l0_reverse"] = {net.w_rec, 2};
  msg = input_error([&] { network_from_arrays("state_dict", bidirectional, true); });
  EXPECT_NE(msg.find("bidirectional"), std::string::npos) << msg;

  NamedArrays rank3 = sd;
  rank3["rnn.weight_hh_l0"] = {Eigen::MatrixXd(), 3};
  msg = input_error([&] { network_from_arrays("state_dict", rank3, true); });
  EXPECT_NE(msg.find("rank 3"), std::string::npos) << msg;
}

}  // namespace
}  // namespace rnnlab

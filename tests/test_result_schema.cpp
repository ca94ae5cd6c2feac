// The one declaration per result (util/result_schema.hpp): a result written
// into an HDF5 group and read back is the same result; shapes that disagree
// with the declaration, missing fields and wrong types are refused with the
// dataset named.
#include <gtest/gtest.h>

#include <H5Cpp.h>

#include <cstdlib>
#include <set>

#include "analysis/behaviour_schema.hpp"
#include "analysis/fixed_points_schema.hpp"
#include "analysis/result_schemas.hpp"
#include "pipeline/spectrum_batch.hpp"
#include "analysis/spectrum_schema.hpp"
#include "io/h5.hpp"
#include "io/result_file.hpp"
#include "model/network.hpp"
#include "util/error.hpp"

namespace rnnlab {
namespace {

Network random_network(int n, double alpha, unsigned seed) {
  Network net;
  std::srand(seed);  // Eigen's Random draws from std::rand
  net.w_rec = Eigen::MatrixXd::Random(n, n) * (1.5 / std::sqrt(static_cast<double>(n)));
  net.w_in = Eigen::MatrixXd::Ones(n, 2);
  net.w_out = Eigen::MatrixXd::Ones(1, n) / n;
  net.b = Eigen::VectorXd::Zero(n);
  net.b_out = Eigen::VectorXd::Zero(1);
  net.x0 = Eigen::VectorXd::Zero(n);
  net.alpha = alpha;
  net.dt = 10.0 * alpha;
  return net;
}

template <class T>
T round_trip(const schema::Declaration<T>& d, const T& value, const SymbolSizes& known = {}) {
  static int files = 0;
  H5::H5File file = h5::create_in_memory("schema-test-" + std::to_string(++files));
  H5::Group g = file.createGroup("result");
  write_result(g, d.schema(), d.write(value));
  T out = d.read(read_result(g, d.schema(), known));
  h5::abandon(file);
  return out;
}

TEST(ResultSchema, SpectrumRoundTripsThroughTheFileBitForBit) {
  NetworkRecord rec;
  rec.seed = 1;
  rec.trained = random_network(12, 0.1, 3);
  rec.initial = random_network(12, 0.1, 4);
  Experiment experiment;
  experiment.networks.push_back(rec);
  const SpectrumAnalysis a = compute_spectra(experiment, std::nullopt, 1).at(0).analysis;
  const SpectrumAnalysis b = round_trip(spectrum_analysis_schema(), a, {{"N", 12}});
  ASSERT_TRUE(b.initial.has_value());
  EXPECT_EQ(b.trained.spectrum.eigenvalues, a.trained.spectrum.eigenvalues);
  EXPECT_EQ(b.trained.spectrum.singular_values, a.trained.spectrum.singular_values);
  EXPECT_EQ(b.trained.spectrum.henrici, a.trained.spectrum.henrici);
  EXPECT_EQ(b.trained.spectrum.outside_unit_circle, a.trained.spectrum.outside_unit_circle);
  EXPECT_EQ(b.trained.spectrum.leading.continuous, a.trained.spectrum.leading.continuous);
  EXPECT_EQ(b.trained.spectrum.has_complex_pair, a.trained.spectrum.has_complex_pair);
  EXPECT_FALSE(b.trained.spectrum.is_step_map);
  ASSERT_TRUE(b.trained.linearised_origin.has_value());
  EXPECT_TRUE(b.trained.linearised_origin->is_step_map);
  EXPECT_EQ(b.trained.linearised_origin->eigenvalues, a.trained.linearised_origin->eigenvalues);
  ASSERT_TRUE(b.trained.theory.has_value());
  EXPECT_EQ(b.trained.theory->measured_parameters.sigma_e, a.trained.theory->measured_parameters.sigma_e);
  EXPECT_EQ(b.trained.theory->outliers, a.trained.theory->outliers);
  ASSERT_TRUE(b.weight_stats.change.has_value());
  EXPECT_EQ(b.weight_stats.change->w_rec_correlation, a.weight_stats.change->w_rec_correlation);
  EXPECT_EQ(b.weight_stats.trained.all.count, 144);
  EXPECT_FALSE(b.weight_stats.trained.excitatory.count);  // not Dale: no population groups
}

TEST(ResultSchema, AnAbsentOptionalGroupStaysAbsent) {
  // A real diagonal matrix has no complex pair: the group is not written, and reads back as absent.
  Network net = random_network(3, 1.0, 1);
  net.w_rec = Eigen::Vector3d(0.5, -2.0, 0.1).asDiagonal();
  const Spectrum s = recurrent_spectrum(net);
  ASSERT_FALSE(s.has_complex_pair);
  const Spectrum back = round_trip(matrix_spectrum_schema(), s);
  EXPECT_FALSE(back.has_complex_pair);
  EXPECT_EQ(back.eigenvalues, s.eigenvalues);
}

TEST(ResultSchema, FixedPointsRoundTripWithTheirRows) {
  // A bistable unit, w = 2: two stable points and the saddle at 0.
  Network net = random_network(1, 0.1, 1);
  net.w_rec = Eigen::MatrixXd::Constant(1, 1, 2.0);
  net.w_in = Eigen::MatrixXd::Zero(1, 2);
  Eigen::MatrixXd starts(1, 5);
  starts << -3, -1, 0.01, 1, 3;
  FixedPointOptions options;
  options.threads = 1;
  const FixedPointResult found = find_fixed_points(net, Eigen::VectorXd(), starts, options);
  ASSERT_EQ(found.summary.fixed_points, 3);
  FixedPointSearch search;
  search.input_condition = "zero";
  search.box_half_width = 2.5;
  const FixedPointsRecord r = fixed_points_record(search, Eigen::VectorXd::Zero(2), starts, found,
                                                  [](const Eigen::VectorXd& x) { return Eigen::VectorXd(x.array().tanh()); });
  const FixedPointsRecord back = round_trip(fixed_points_schema(), r, {{"N", 1}, {"I", 2}, {"O", 1}});
  ASSERT_EQ(back.points.size(), 3u);
  ASSERT_EQ(back.starts.size(), 5u);
  EXPECT_EQ(back.summary.stable, 2);
  EXPECT_EQ(back.summary.starts, 5);
  EXPECT_EQ(back.search.input_condition, "zero");
  EXPECT_EQ(back.search.box_half_width, 2.5);
  for (std::size_t p = 0; p < 3; ++p) {
    EXPECT_EQ(back.points[p].point.x, r.points[p].point.x);
    EXPECT_EQ(back.points[p].point.stability, r.points[p].point.stability);
    EXPECT_EQ(back.points[p].point.jacobian_state, r.points[p].point.jacobian_state);
    EXPECT_EQ(back.points[p].point.eigenvectors, r.points[p].point.eigenvectors);
    EXPECT_EQ(back.points[p].readout, r.points[p].readout);
  }
  for (std::size_t k = 0; k < 5; ++k) {
    EXPECT_EQ(back.starts[k].initial, r.starts[k].initial);
    EXPECT_EQ(back.starts[k].result.point, r.starts[k].result.point);
    EXPECT_EQ(back.starts[k].result.kind, r.starts[k].result.kind);
  }
}

// The fixed points of the bistable unit written into `g`.
void write_bistable(H5::Group& g) {
  FixedPointsRecord r;
  r.input = Eigen::VectorXd::Zero(2);
  for (double x : {-1.9, 0.0, 1.9}) {
    StoredPoint p;
    p.point.x = Eigen::VectorXd::Constant(1, x);
    p.point.jacobian_state = Eigen::MatrixXd::Ones(1, 1);
    p.point.jacobian_input = Eigen::MatrixXd::Ones(1, 2);
    p.point.eigenvalues = p.point.continuous_eigenvalues = Eigen::VectorXcd::Ones(1);
    p.point.eigenvectors = Eigen::MatrixXcd::Ones(1, 1);
    p.readout = Eigen::VectorXd::Constant(1, x);
    r.points.push_back(p);
  }
  const auto& d = fixed_points_schema();
  write_result(g, d.schema(), d.write(r));
}

TEST(ResultSchema, AShapeThatDisagreesWithTheDeclarationIsRefusedByName) {
  H5::H5File file = h5::create_in_memory("schema-shapes");
  H5::Group g = file.createGroup("fixed_points");
  write_bistable(g);
  const auto& d = fixed_points_schema();
  EXPECT_NO_THROW(read_result(g, d.schema(), {{"N", 1}, {"I", 2}}));
  // The network has 2 units, the stored points 1.
  try {
    read_result(g, d.schema(), {{"N", 2}});
    FAIL() << "a point of the wrong length was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("points/x: shape (3, 1), expected (P, N) with N = 2"), std::string::npos)
        << e.what();
  }
  // Columns of a table must agree on the rows, and the jacobian on N.
  H5::Group points = g.openGroup("points");
  h5::write_matrix(points, "jacobian", Eigen::MatrixXd::Zero(3, 4));
  try {
    read_result(g, d.schema());
    FAIL() << "a jacobian of rank 2 was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("points/jacobian: shape (3, 4), expected (P, N, N)"), std::string::npos)
        << e.what();
  }
  h5::abandon(file);
}

TEST(ResultSchema, AMissingFieldOrAWrongTypeIsNamed) {
  H5::H5File file = h5::create_in_memory("schema-missing");
  H5::Group g = file.createGroup("fixed_points");
  write_bistable(g);
  const auto& d = fixed_points_schema();
  g.openGroup("points").unlink("stability");
  try {
    read_result(g, d.schema());
    FAIL() << "a missing column was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("points/stability: missing"), std::string::npos) << e.what();
  }
  write_bistable(g);
  H5::Group points = g.openGroup("points");
  h5::write_vector(points, "kind", Eigen::VectorXd::Zero(3));  // numbers where names belong
  EXPECT_THROW(read_result(g, d.schema()), InputError);
  h5::abandon(file);
}

TEST(ResultSchema, BehaviourCurvesRoundTripAndAnAbsentCurveStaysAbsent) {
  BehaviourRecord r;
  StoredPsychometric& p = r.psychometric.emplace();
  p.curve.condition = "coherence";
  p.curve.levels = Eigen::Vector3d(-0.1, 0.0, 0.1);
  p.curve.p_positive = Eigen::Vector3d(0.1, 0.5, 0.9);
  p.curve.counts = Eigen::Vector3d(10, 12, 10);
  p.curve.fit = {0.01, 12.5, false};
  p.curve.trials = 32;
  p.drawn = {"perceptual_dm", 32, 7};
  const BehaviourRecord back = round_trip(behaviour_schema(), r);
  ASSERT_TRUE(back.psychometric.has_value());
  EXPECT_FALSE(back.timing.has_value());
  EXPECT_EQ(back.psychometric->curve.p_positive, p.curve.p_positive);
  EXPECT_EQ(back.psychometric->curve.fit.slope, 12.5);
  EXPECT_EQ(back.psychometric->curve.condition, "coherence");
  EXPECT_EQ(back.psychometric->drawn.task, "perceptual_dm");
  EXPECT_EQ(back.psychometric->drawn.seed, 7);
}

// Every field of `s` and of the groups inside it says what it is.
void expect_documented(const schema::Schema& s, const std::string& where) {
  EXPECT_FALSE(s.doc.empty()) << where;
  for (const schema::Field& f : s.fields) {
    EXPECT_FALSE(f.doc.empty()) << where << "/" << f.name;
    if (f.schema) expect_documented(*f.schema, where + "/" + f.name);
  }
}

TEST(ResultSchema, EveryStoredResultIsListedOnceWithDocumentedFields) {
  std::set<std::string> groups;
  for (const StoredResult& r : stored_results()) {
    EXPECT_TRUE(groups.insert(r.group).second) << r.group;
    expect_documented(*r.schema, r.group);
  }
  EXPECT_THROW(stored_result_schema("no_such_result"), InputError);
}

}  // namespace
}  // namespace rnnlab

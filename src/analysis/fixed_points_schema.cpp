#include "analysis/fixed_points_schema.hpp"

namespace rnnlab {

using schema::Declaration;

namespace {

const Declaration<FixedPointSearch>& search_schema() {
  static const Declaration<FixedPointSearch> d = [] {
    Declaration<FixedPointSearch> d("FixedPointSearch", "How the points were searched for (docs/analysis.md).");
    d.field("input_condition", &FixedPointSearch::input_condition, "", "",
            "the constant input: \"zero\", \"mean\", \"NAME=VALUE\", \"v1,v2,...\", or \"given\" from Python")
        .stored_as("input");
    d.field("task", &FixedPointSearch::task, "", "", "the task whose trajectories gave the starts (\"\" without)");
    d.field("starts_from", &FixedPointSearch::starts_from, "", "", "\"trajectories\", \"box\" or \"given\"");
    d.optional_field("box_half_width", &FixedPointSearch::box_half_width, "", "",
                     "starts uniform in [-w, w]^N (box only)");
    d.field("trials", &FixedPointSearch::trials, "", "", "task trials the starts were drawn from");
    d.field("noise", &FixedPointSearch::noise, "", "", "std of the noise added to each start's coordinates");
    d.field("seed", &FixedPointSearch::seed, "", "", "of the trials and of the start sampling");
    d.field("tolerance", &FixedPointSearch::tolerance, "", "", "q at or below this is a fixed point");
    d.field("slow_speed", &FixedPointSearch::slow_speed, "", "1/tau",
            "a local minimum of q slower than this is a slow point")
        .optional();
    d.field("max_iterations", &FixedPointSearch::max_iterations, "", "", "factorisations per start");
    d.field("dedup_tolerance", &FixedPointSearch::dedup_tolerance, "", "", "the merge tolerance");
    d.field("outlier_factor", &FixedPointSearch::outlier_factor, "", "", "outlier: farther than this times the "
                                                                           "spread of the starts");
    d.field("eigenvectors_kept", &FixedPointSearch::eigenvectors, "", "", "eigenvectors kept per point (k)")
        .stored_as("eigenvectors");
    d.field("alpha", &FixedPointSearch::alpha, "", "", "dt / tau of the network");
    d.field("dt_ms", &FixedPointSearch::dt_ms, "", "ms", "the network's step");
    d.field("wall_time_s", &FixedPointSearch::wall_time_s, "", "s", "time the search took");
    return d;
  }();
  return d;
}

const Declaration<FixedPointSummary>& summary_schema() {
  static const Declaration<FixedPointSummary> d = [] {
    Declaration<FixedPointSummary> d("FixedPointSummary", "Counts over the starts and the distinct points.");
    d.field("start_count", &FixedPointSummary::starts, "", "", "starting states").stored_as("starts");
    d.field("fixed_starts", &FixedPointSummary::fixed_starts, "", "", "starts that ended at a fixed point");
    d.field("slow_starts", &FixedPointSummary::slow_starts, "", "", "... at a slow point");
    d.field("local_minimum_starts", &FixedPointSummary::local_minimum_starts, "", "",
            "... at a local minimum of q faster than slow_speed")
        .optional();
    d.field("not_converged", &FixedPointSummary::not_converged, "", "", "starts that stalled or diverged");
    d.field("fixed_points", &FixedPointSummary::fixed_points, "", "", "distinct fixed points");
    d.field("slow_points", &FixedPointSummary::slow_points, "", "", "distinct slow points");
    d.field("local_minima", &FixedPointSummary::local_minima, "", "", "distinct local minima of q").optional();
    d.field("stable", &FixedPointSummary::stable, "", "", "stable fixed points");
    d.field("saddles", &FixedPointSummary::saddles, "", "", "saddles");
    d.field("unstable", &FixedPointSummary::unstable, "", "", "fixed points unstable in every direction");
    d.field("marginal", &FixedPointSummary::marginal, "", "", "marginal fixed points (e.g. on a line attractor)");
    d.field("outliers", &FixedPointSummary::outliers, "", "", "points far from every start");
    d.field("unpolished", &FixedPointSummary::unpolished, "", "",
            "points whose polish failed (positions uncertain beyond the merge tolerance)")
        .optional();
    return d;
  }();
  return d;
}

const Declaration<StoredStart>& start_schema() {
  static const Declaration<StoredStart> d = [] {
    Declaration<StoredStart> d("FixedPointStarts", "One row per starting state.");
    d.rows_counted_by("K");
    d.field("initial", &StoredStart::initial, "N", "", "the starting state");
    d.field<Eigen::VectorXd>(
        "x", [](const StoredStart& s) { return s.result.x; }, [](StoredStart& s, const Eigen::VectorXd& v) { s.result.x = v; },
        "N", "", "where its minimisation ended");
    d.field<double>(
        "q", [](const StoredStart& s) { return s.result.q; }, [](StoredStart& s, const double& v) { s.result.q = v; }, "",
        "", "1/2 |F(x) - x|^2 there");
    d.field<double>(
        "speed", [](const StoredStart& s) { return s.result.speed; },
        [](StoredStart& s, const double& v) { s.result.speed = v; }, "", "1/tau", "|F(x) - x| / alpha = tau |dx/dt|")
        .optional();
    d.field<long>(
        "iterations", [](const StoredStart& s) -> long { return s.result.iterations; },
        [](StoredStart& s, const long& v) { s.result.iterations = static_cast<int>(v); }, "", "",
        "N x N factorisations used");
    d.field<std::string>(
        "kind", [](const StoredStart& s) { return to_string(s.result.kind); },
        [](StoredStart& s, const std::string& v) { s.result.kind = point_kind_from_string(v); }, "", "",
        "fixed | slow | local_minimum | not_converged");
    d.field<long>(
        "point", [](const StoredStart& s) -> long { return s.result.point; },
        [](StoredStart& s, const long& v) { s.result.point = static_cast<int>(v); }, "", "",
        "the row of points it reached, -1 if none");
    return d;
  }();
  return d;
}

Stability stability_from_string(const std::string& name) {
  for (Stability s : {Stability::stable, Stability::saddle, Stability::unstable, Stability::marginal})
    if (to_string(s) == name) return s;
  throw InputError("unknown stability '" + name + "' (stable, saddle, unstable, marginal)");
}

// An accessor pair for a FixedPoint member of a StoredPoint.
template <class M>
std::pair<std::function<M(const StoredPoint&)>, std::function<void(StoredPoint&, const M&)>> point_member(M FixedPoint::*m) {
  return {[m](const StoredPoint& s) -> M { return s.point.*m; }, [m](StoredPoint& s, const M& v) { s.point.*m = v; }};
}

const Declaration<StoredPoint>& point_schema() {
  static const Declaration<StoredPoint> d = [] {
    Declaration<StoredPoint> d("FixedPointRows",
                               "One row per distinct point: fixed points, then slow points, then local minima.");
    d.rows_counted_by("P");
    auto member = [&d](const char* name, auto m, const char* shape, const char* unit, const char* doc) -> auto& {
      using M = std::remove_reference_t<decltype(std::declval<FixedPoint&>().*m)>;
      auto [get, set] = point_member<M>(m);
      return d.template field<M>(name, get, set, shape, unit, doc);
    };
    member("x", &FixedPoint::x, "N", "", "the point");
    member("q", &FixedPoint::q, "", "", "1/2 |F(x) - x|^2");
    member("speed", &FixedPoint::speed, "", "1/tau", "|F(x) - x| / alpha = tau |dx/dt|").optional();
    member("position_error", &FixedPoint::position_error, "", "",
           "estimated distance (inf-norm) to the exact point")
        .optional();
    d.field<std::string>(
        "kind", [](const StoredPoint& s) { return to_string(s.point.kind); },
        [](StoredPoint& s, const std::string& v) { s.point.kind = point_kind_from_string(v); }, "", "",
        "fixed | slow | local_minimum");
    member("count", &FixedPoint::count, "", "", "starts that reached it");
    d.field<std::string>(
        "stability", [](const StoredPoint& s) { return to_string(s.point.stability); },
        [](StoredPoint& s, const std::string& v) { s.point.stability = stability_from_string(v); }, "", "",
        "stable | saddle | unstable | marginal, from the step map's eigenvalues there");
    member("unstable_directions", &FixedPoint::unstable_directions, "", "", "eigenvalues with |l| > 1");
    member("marginal_directions", &FixedPoint::marginal_directions, "", "", "eigenvalues with |l| = 1 within tolerance");
    member("eigenvalues", &FixedPoint::eigenvalues, "N", "", "of the step map dF/dx there, |l| descending");
    member("continuous_eigenvalues", &FixedPoint::continuous_eigenvalues, "N", "1/tau", "(l - 1) / alpha");
    d.field<Eigen::MatrixXcd>(
        "eigenvectors", [](const StoredPoint& s) { return Eigen::MatrixXcd(s.point.eigenvectors.transpose()); },
        [](StoredPoint& s, const Eigen::MatrixXcd& v) { s.point.eigenvectors = v.transpose(); }, "k N", "",
        "right eigenvectors: eigenvectors[p, j] belongs to eigenvalues[p, j]");
    member("jacobian", &FixedPoint::jacobian_state, "N N", "", "dF/dx, the step map");
    member("input_jacobian", &FixedPoint::jacobian_input, "N I", "", "dF/du");
    member("distance_to_starts", &FixedPoint::distance_to_starts, "", "", "Euclidean distance to the nearest start");
    member("outlier", &FixedPoint::outlier, "", "", "farther from the starts than outlier_factor times their spread");
    d.field("readout", &StoredPoint::readout, "O", "", "W_out phi(x) + b_out").optional();
    return d;
  }();
  return d;
}

}  // namespace

FixedPointSearch search_by(const FixedPointOptions& o, double alpha, double dt_ms, double wall_time_s) {
  FixedPointSearch s;
  s.tolerance = o.fixed_tolerance;
  s.slow_speed = o.slow_speed;
  s.max_iterations = o.max_iterations;
  s.dedup_tolerance = o.dedup_tolerance;
  s.outlier_factor = o.outlier_factor;
  s.eigenvectors = o.eigenvectors;
  s.alpha = alpha;
  s.dt_ms = dt_ms;
  s.wall_time_s = wall_time_s;
  return s;
}

FixedPointsRecord fixed_points_record(const FixedPointSearch& search, const Eigen::VectorXd& input,
                                      const Eigen::MatrixXd& starts, const FixedPointResult& result,
                                      const std::function<Eigen::VectorXd(const Eigen::VectorXd&)>& readout_of) {
  FixedPointsRecord r;
  r.search = search;
  r.summary = result.summary;
  r.input = input;
  for (std::size_t k = 0; k < result.starts.size(); ++k)
    r.starts.push_back({starts.col(static_cast<Eigen::Index>(k)), result.starts[k]});
  for (const FixedPoint& p : result.points) r.points.push_back({p, readout_of(p.x)});
  return r;
}

const Declaration<FixedPointsRecord>& fixed_points_schema() {
  static const Declaration<FixedPointsRecord> d = [] {
    Declaration<FixedPointsRecord> d(
        "FixedPoints",
        "Fixed points, slow points and local minima of q = 1/2 |F(x, u) - x|^2 of the noiseless step map F at a "
        "constant input u (docs/ground-truths.md). speed = |F(x) - x| / alpha = tau |dx/dt|, per tau, the same "
        "for every alpha.");
    d.embed(&FixedPointsRecord::search, search_schema());
    d.embed(&FixedPointsRecord::summary, summary_schema());
    d.field("input", &FixedPointsRecord::input, "I", "", "the constant input u searched at");
    d.table("starts", &FixedPointsRecord::starts, start_schema(), "one row per starting state");
    d.table("points", &FixedPointsRecord::points, point_schema(), "one row per distinct point");
    return d;
  }();
  return d;
}

}  // namespace rnnlab

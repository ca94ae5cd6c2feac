// The bank of networks with known dynamics (issue 12): each is built by hand,
// so its attractors, stable points and family are known before any code runs.
// Every network gets its label from find_attractors (many starts, basins),
// its stable-point count from the fixed-point search, its spectral reading
// from the step map at the origin, and a family of its own.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "analysis/attractor.hpp"
#include "analysis/census.hpp"
#include "analysis/fixed_points.hpp"
#include "analysis/jarne_class.hpp"
#include "analysis/linearise.hpp"
#include "analysis/scaffold.hpp"
#include "analysis/signature.hpp"
#include "util/rng.hpp"

namespace rnnlab {
namespace {

Network network(const Eigen::MatrixXd& w, double alpha, Activation act = Activation::tanh) {
  Network net;
  static_cast<Weights<double>&>(net) = Weights<double>::zeros(static_cast<int>(w.rows()), 1, 1);
  net.w_rec = w;
  net.alpha = alpha;
  net.dt = 10.0;
  net.activation = act;
  return net;
}

Eigen::Matrix2d rotation(double r, double theta) {
  Eigen::Matrix2d m;
  m << std::cos(theta), -std::sin(theta), std::sin(theta), std::cos(theta);
  return r * m;
}

// The fixed point x* > 0 of x = 2 tanh(x).
double bistable_point() {
  double x = 2.0;
  for (int i = 0; i < 100; ++i) x = 2.0 * std::tanh(x);
  return x;
}

struct Analysed {
  FixedPointResult points;
  AttractorSet set;
  Scaffold scaffold;
  Signature signature;
};

Analysed analyse(const Network& net, int starts, double box, std::uint64_t seed) {
  Analysed a;
  Rng rng(seed);
  FixedPointOptions fo;
  fo.threads = 1;
  a.points = find_fixed_points(net, {}, box_starts(net.units(), starts, -box, box, rng), fo);
  std::vector<Eigen::VectorXd> fixed;
  for (const FixedPoint& p : a.points.points)
    if (p.kind == PointKind::fixed) fixed.push_back(p.x);
  LyapunovOptions lo;
  lo.exponents = 1;
  a.set = find_attractors(net, box_starts(net.units(), starts, -box, box, rng), {}, fixed, AttractorOptions{}, lo);
  a.signature.stable_points = a.points.summary.stable;
  a.signature.saddles = a.points.summary.saddles;
  set_origin_spectrum(a.signature, net);
  set_attractor_set(a.signature, a.set);
  a.scaffold = fixed_point_scaffold(net, {}, a.points, a.set, AttractorOptions{}, lo);
  a.signature.scaffold = a.scaffold.describe();
  return a;
}

double basin_total(const AttractorSet& s) {
  double b = 0;
  for (const FoundAttractor& f : s.attractors) b += f.basin;
  return b;
}

// Upward zero crossings of unit `unit` over a long run: the period in steps.
double simulated_period(const Network& net, Eigen::VectorXd x, int unit, int settle, int steps) {
  const Eigen::VectorXd u = Eigen::VectorXd::Zero(net.inputs());
  for (int t = 0; t < settle; ++t) x = net.step(x, u);
  double first = -1, last = -1;
  int crossings = 0;
  for (int t = 0; t < steps; ++t) {
    const Eigen::VectorXd next = net.step(x, u);
    if (x(unit) < 0 && next(unit) >= 0) {
      const double when = t + x(unit) / (x(unit) - next(unit));  // linear interpolation
      if (first < 0) first = when; else ++crossings;
      last = when;
    }
    x = next;
  }
  return crossings > 0 ? (last - first) / crossings : NAN;
}

// The bank, built once (the chaotic network is the slow one: about a second).
struct Bank {
  std::vector<std::string> names;
  std::vector<Network> nets;
  std::vector<Analysed> results;
  void add(const std::string& name, const Network& net, int starts, double box) {
    names.push_back(name);
    nets.push_back(net);
    results.push_back(analyse(net, starts, box, 7 + names.size()));
  }
  const Analysed& operator[](const std::string& name) const {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return results[i];
    throw std::runtime_error("no bank network " + name);
  }
  const Network& net(const std::string& name) const {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return nets[i];
    throw std::runtime_error("no bank network " + name);
  }
};

const Bank& bank() {
  static const Bank b = [] {
    Bank k;
    // 2-unit oscillator: W = r R(theta); at the origin mu = -1 + r e^{i theta}
    // per tau has Re = 0.316 > 0 (growing), tanh bounds it: a limit cycle.
    k.add("hopf", network(rotation(1.5, 0.5), 0.1), 8, 2.0);
    // One unit, w = 2: x = 2 tanh x has two stable roots +-1.915 and an unstable origin.
    k.add("bistable", network(Eigen::MatrixXd::Constant(1, 1, 2.0), 0.1), 8, 3.0);
    {  // symmetric, gain 0.5: real spectrum, one stable node at the origin
      Rng rng(3);
      Eigen::MatrixXd w(10, 10);
      for (Eigen::Index i = 0; i < w.size(); ++i) w.data()[i] = rng.normal(0.0, 0.5 / std::sqrt(20.0));
      k.add("monostable", network(w + w.transpose(), 0.1), 8, 2.0);
    }
    {  // |lambda(W_rec)| = 3.32 > 1, but the step map 0.9 I + 0.1 W has |l| = 0.928: a stable focus
      Eigen::Matrix2d w;
      w << -0.33, -3.3, 3.3, -0.33;
      k.add("damped_focus", network(w, 0.1), 8, 2.0);
    }
    {  // g = 3, N = 200: chaos
      Rng rng(11);
      const int n = 200;
      Eigen::MatrixXd w(n, n);
      for (Eigen::Index i = 0; i < w.size(); ++i) w.data()[i] = rng.normal(0.0, 3.0 / std::sqrt(n));
      k.add("chaos", network(w, 0.1), 3, 1.0);
    }
    {  // linear units, W = v v^T (|v| = 1): every point of the line span(v) is fixed, marginally
      const Eigen::Vector2d v = Eigen::Vector2d(1.0, 1.0).normalized();
      k.add("line", network(v * v.transpose(), 0.1, Activation::linear), 8, 2.0);
    }
    {  // a cycle beside a stable point: unit 2 is bistable (w = 2) and drives the
       // oscillator pair; at x2 = -x* the drive cancels the bias (the pair
       // oscillates), at x2 = +x* it saturates the pair (a stable point).
      const double c = 3.0, xs = bistable_point();
      Eigen::MatrixXd w = Eigen::MatrixXd::Zero(3, 3);
      w.topLeftCorner(2, 2) = rotation(1.5, 0.5);
      w(0, 2) = w(1, 2) = c;
      w(2, 2) = 2.0;
      Network net = network(w, 0.1);
      net.b << c * std::tanh(xs), c * std::tanh(xs), 0.0;
      k.add("cycle_and_point", net, 16, 3.0);
    }
    // x -> -2 tanh x at alpha = 1: the origin is unstable, the orbit flips between +-1.915.
    k.add("flip", network(Eigen::MatrixXd::Constant(1, 1, -2.0), 1.0), 8, 3.0);
    {  // a bistable pair: unit 0 bistable (w = 2), unit 1 decays (w = 0.5): stable points
       // (+-x*, 0) and between them the origin, a saddle (unstable along unit 0 only)
      Eigen::Matrix2d w = Eigen::Matrix2d::Zero();
      w(0, 0) = 2.0;
      w(1, 1) = 0.5;
      k.add("bistable_pair", network(w, 0.1), 8, 3.0);
    }
    return k;
  }();
  return b;
}

TEST(AttractorBank, HopfOscillatorIsOneLimitCycleOfTheSimulatedPeriod) {
  const Analysed& a = bank()["hopf"];
  EXPECT_EQ(a.set.describe(), "limit_cycle");
  EXPECT_EQ(a.signature.stable_points, 0);
  ASSERT_EQ(a.set.attractors.size(), 1u);
  const Attractor& c = a.set.attractors[0].run.attractor;
  EXPECT_NEAR(a.set.attractors[0].basin, 1.0, 1e-12);
  EXPECT_GE(c.returns, 2);
  // Against zero crossings over a long independent run, and the linear
  // estimate 2 pi / (a r sin theta) steps at the origin (the cycle is slower:
  // saturation lowers the gain).
  const double simulated = simulated_period(bank().net("hopf"), Eigen::Vector2d(0.1, 0), 0, 3000, 30000);
  EXPECT_NEAR(c.period_steps, simulated, 0.005 * simulated);
  const double linear = 2 * M_PI / (0.1 * 1.5 * std::sin(0.5));
  EXPECT_GT(c.period_steps, 0.9 * linear);
  EXPECT_LT(c.period_steps, 2.0 * linear);
  EXPECT_NEAR(c.period_ms, c.period_steps * 10.0, 1e-9);
  EXPECT_NEAR(c.leading_exponent, 0.0, 5e-3);  // the phase direction is neutral
  EXPECT_EQ(a.signature.outside_unit_circle, 2);  // the origin's growing pair, in J0
}

TEST(AttractorBank, BistableUnitHasTwoStablePoints) {
  const Analysed& a = bank()["bistable"];
  EXPECT_EQ(a.set.describe(), "2 fixed_point");
  EXPECT_EQ(a.signature.stable_points, 2);
  EXPECT_EQ(a.set.fixed_points(), 2);
  const double xs = bistable_point();
  for (const FoundAttractor& f : a.set.attractors) {
    EXPECT_NEAR(std::abs(f.run.attractor.window(0, f.run.attractor.window.cols() - 1)), xs, 1e-6);
    EXPECT_GE(f.run.attractor.fixed_point, 0);  // matched to a point of the search
    EXPECT_GT(f.basin, 0.0);
  }
  EXPECT_NEAR(basin_total(a.set), 1.0, 1e-12);
}

TEST(AttractorBank, MonostableNetworkHasOneStableNode) {
  const Analysed& a = bank()["monostable"];
  EXPECT_EQ(a.set.describe(), "fixed_point");
  EXPECT_EQ(a.signature.stable_points, 1);
  EXPECT_EQ(a.signature.outside_unit_circle, 0);
  EXPECT_NEAR(a.set.attractors[0].basin, 1.0, 1e-12);
}

TEST(AttractorBank, DampedFocusIsStableThoughWRecHasLargeEigenvalues) {
  const Analysed& a = bank()["damped_focus"];
  const Network& net = bank().net("damped_focus");
  EXPECT_EQ(a.set.describe(), "fixed_point (focus)");
  EXPECT_EQ(a.signature.stable_points, 1);
  // In the step map's coordinates the origin is stable ...
  EXPECT_EQ(a.signature.outside_unit_circle, 0);
  EXPECT_NEAR(a.signature.leading_modulus, std::abs(std::complex<double>(0.9 - 0.033, 0.33)), 1e-9);
  // ... while W_rec's raw spectrum lies far outside its unit circle.
  EXPECT_EQ(a.signature.w_rec_outside_unit_circle, 2);
  EXPECT_NEAR(a.signature.w_rec_leading_modulus, std::hypot(0.33, 3.3), 1e-9);
  // Jarne's spectral label sees no growing mode: not oscillatory.
  const JarneSpectral j = jarne_spectral(jacobian_state(net, Eigen::Vector2d::Zero()), net.alpha);
  EXPECT_EQ(j.unstable_modes, 0);
  EXPECT_NE(j.label, JarneClass::oscillatory);
}

TEST(AttractorBank, LargeGainRandomNetworkIsChaosWithAStableExponent) {
  const Analysed& a = bank()["chaos"];
  EXPECT_EQ(a.set.describe(), "chaos");
  EXPECT_EQ(a.signature.stable_points, 0);
  const Attractor& c = a.set.attractors[0].run.attractor;
  EXPECT_GT(c.leading_exponent, 0.05);
  EXPECT_GT(c.leading_exponent_first, 0.05);
  EXPECT_GT(c.leading_exponent_second, 0.05);
  EXPECT_EQ(a.set.attractors[0].starts, 3);  // every start on the one chaotic attractor
}

TEST(AttractorBank, LineAttractorIsOneMarginalAttractor) {
  const Analysed& a = bank()["line"];
  EXPECT_EQ(a.set.describe(), "fixed_point (marginal)");
  EXPECT_EQ(a.set.marginal_points(), 1);
  EXPECT_EQ(a.set.fixed_points(), 0);
  EXPECT_EQ(a.signature.stable_points, 0);  // marginal points are not stable ones
  EXPECT_GT(a.points.summary.marginal, 0);
  // Every end lies on the line x0 = x1.
  for (const FoundAttractor& f : a.set.attractors) {
    const Eigen::VectorXd x = f.run.attractor.window.col(f.run.attractor.window.cols() - 1);
    EXPECT_NEAR(x(0), x(1), 1e-6);
  }
}

TEST(AttractorBank, CycleCoexistsWithAStablePoint) {
  const Analysed& a = bank()["cycle_and_point"];
  EXPECT_EQ(a.set.count(AttractorType::limit_cycle), 1);
  EXPECT_EQ(a.set.fixed_points(), 1);
  EXPECT_EQ(a.set.attractors.size(), 2u);
  EXPECT_EQ(a.signature.stable_points, 1);
  const double xs = bistable_point();
  for (const FoundAttractor& f : a.set.attractors) {
    const double x2 = f.run.attractor.window(2, f.run.attractor.window.cols() - 1);
    // The cycle lives at x2 = -x*, the point at x2 = +x*; both basins are reached.
    EXPECT_NEAR(x2, f.run.attractor.type == AttractorType::limit_cycle ? -xs : xs, 1e-4);
    EXPECT_GT(f.basin, 0.0);
  }
  EXPECT_NEAR(basin_total(a.set), 1.0, 1e-12);
  // The cycle is the 2-unit oscillator's: the same period.
  const double hopf = bank()["hopf"].set.attractors[0].run.attractor.period_steps;
  for (const FoundAttractor& f : a.set.attractors) {
    if (f.run.attractor.type == AttractorType::limit_cycle) {
      EXPECT_NEAR(f.run.attractor.period_steps, hopf, 0.005 * hopf);
    }
  }
}

TEST(AttractorBank, PeriodTwoFlipIsACycleOfPeriodTwo) {
  const Analysed& a = bank()["flip"];
  EXPECT_EQ(a.set.describe(), "limit_cycle (period 2)");
  ASSERT_EQ(a.set.attractors.size(), 1u);
  EXPECT_EQ(a.set.attractors[0].run.attractor.period_steps, 2.0);
  EXPECT_EQ(a.signature.stable_points, 0);
}

TEST(AttractorBank, EveryNetworkHasAFamilyOfItsOwn) {
  std::vector<CensusEntry> entries;
  for (std::size_t i = 0; i < bank().names.size(); ++i) {
    CensusEntry e;
    e.seed = i;
    e.group = "bank";
    e.signature = bank().results[i].signature;
    entries.push_back(e);
  }
  const Families f = families_by_key(entries);
  EXPECT_EQ(f.k, static_cast<int>(entries.size()));
  std::set<int> labels(f.label.begin(), f.label.end());
  EXPECT_EQ(labels.size(), entries.size());
  // The same network twice is the same family.
  entries.push_back(entries[1]);
  const Families again = families_by_key(entries);
  EXPECT_EQ(again.k, static_cast<int>(entries.size()) - 1);
  EXPECT_EQ(again.label.back(), again.label[1]);
}

}  // namespace
}  // namespace rnnlab

namespace rnnlab {
namespace {

// Single free-run trials of a bank network from a few starts: steps [settle, settle + steps).
std::vector<Eigen::MatrixXd> free_trials(const Network& net, int settle, int steps) {
  std::vector<Eigen::MatrixXd> trials;
  Rng rng(5);
  const Eigen::VectorXd u = Eigen::VectorXd::Zero(net.inputs());
  for (int k = 0; k < 3; ++k) {
    Eigen::VectorXd x(net.units());
    for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = rng.uniform(-1.0, 1.0);
    Eigen::MatrixXd w(net.units(), steps);
    for (int t = 0; t < settle + steps; ++t) {
      x = net.step(x, u);
      if (t >= settle) w.col(t - settle) = x;
    }
    trials.push_back(w);
  }
  return trials;
}

TEST(AttractorBank, AStartOnAnUnstablePointIsNoAttractor) {
  // The oscillator's origin (a growing pair) and the bistable unit's origin
  // (l = 1.1) are fixed points a run never leaves once it starts exactly on
  // them. Such a start is counted aside, in no basin, and the set holds only
  // the real attractors (once listed as "fixed_point (marginal)").
  for (const std::string name : {"hopf", "bistable"}) {
    SCOPED_TRACE(name);
    const Network& net = bank().net(name);
    const Analysed& reference = bank()[name];
    Eigen::MatrixXd starts = Eigen::MatrixXd::Zero(net.units(), 4);
    Rng rng(5);
    starts.rightCols(3) = box_starts(net.units(), 3, -2.0, 2.0, rng);
    starts.col(2).setZero();  // the origin twice: one unstable point, two starts
    LyapunovOptions lo;
    lo.exponents = 1;
    const AttractorSet set = find_attractors(net, starts, {}, {}, AttractorOptions{}, lo);
    EXPECT_EQ(set.unstable_starts, 2);
    ASSERT_EQ(set.unstable_points.size(), 1u);
    EXPECT_LT(set.unstable_points[0].norm(), 1e-12);
    EXPECT_EQ(set.start_attractor[0], -1);
    EXPECT_EQ(set.start_attractor[2], -1);
    EXPECT_EQ(set.marginal_points(), 0);
    EXPECT_NEAR(basin_total(set), 0.5, 1e-12);
    // The two other starts reach the network's own attractors.
    EXPECT_EQ(set.describe().find("marginal"), std::string::npos) << set.describe();
    for (const FoundAttractor& f : set.attractors)
      EXPECT_GE(reference.set.index_of(net, {}, f.run.attractor), 0) << f.name();
  }
  // A marginal point stays an attractor: the line attractor started on its line.
  const Network& line = bank().net("line");
  const AttractorSet on_line = find_attractors(line, Eigen::MatrixXd::Ones(2, 1), {}, {});
  EXPECT_EQ(on_line.unstable_starts, 0);
  EXPECT_EQ(on_line.marginal_points(), 1);
}

TEST(AttractorBank, ASlowPointIsReachedByCarryingTheRunOn) {
  // One linear unit, w = 0.99, a = 0.1: the step map is l = 0.999, x_t =
  // 0.999^t x_0. After the transient and one window (4000 steps) x is still
  // e^-4 = 0.018 and moving (the window spans 0.999^2001 - 0.999^4000 =
  // 0.117: unsettled); carried on 2000 steps at a time, the window spans
  // under 1e-6 once x < 1.2e-6 (step ~13700): the fixed point 0 (the demo's slow simple_dm points were "unsettled"
  // this way where a long simulation ends on a stable point).
  const Network net = network(Eigen::MatrixXd::Constant(1, 1, 0.99), 0.1, Activation::linear);
  const Eigen::MatrixXd start = Eigen::MatrixXd::Ones(1, 1);
  LyapunovOptions lo;
  lo.exponents = 1;
  AttractorOptions once;
  once.extensions = 0;
  const AttractorSet first = find_attractors(net, start, {}, {}, once, lo);
  EXPECT_EQ(first.describe(), "unsettled");
  const double span_once = first.attractors[0].run.attractor.extent;
  EXPECT_NEAR(span_once, std::pow(0.999, 2001) - std::pow(0.999, 4000), 1e-12);  // steps 2001 .. 4000
  const AttractorSet carried = find_attractors(net, start, {}, {}, AttractorOptions{}, lo);
  EXPECT_EQ(carried.describe(), "fixed_point");
  const Attractor& end = carried.attractors[0].run.attractor;
  EXPECT_LT(std::abs(end.window(0, end.window.cols() - 1)), once.fixed_point_tolerance);
  // The same through run_attractor.
  EXPECT_EQ(run_attractor(net, Eigen::VectorXd::Ones(1), {}, {}, AttractorOptions{}, lo).attractor.type,
            AttractorType::fixed_point);
}

TEST(AttractorBank, JarneCallsTheOscillatorOscillatoryAndTheBistableUnitNot) {
  const Network& osc = bank().net("hopf");
  const Network& bi = bank().net("bistable");
  const auto j0 = [](const Network& n) { return jacobian_state(n, Eigen::VectorXd::Zero(n.units())); };
  // Oscillator: a growing complex pair at the origin and oscillating single trials.
  const JarneResult o = jarne_classify(j0(osc), osc.alpha, {free_trials(osc, 0, 400)});
  EXPECT_EQ(o.spectral.label, JarneClass::oscillatory);
  EXPECT_EQ(o.activity, JarneClass::oscillatory);
  EXPECT_EQ(o.label, JarneClass::oscillatory);
  // Bistable unit: a real growing mode, trials that ramp away from the origin.
  const JarneResult b = jarne_classify(j0(bi), bi.alpha, {free_trials(bi, 0, 60)});
  EXPECT_EQ(b.spectral.label, JarneClass::ramping);
  EXPECT_NE(b.activity, JarneClass::oscillatory);
  EXPECT_NE(b.label, JarneClass::oscillatory);
}

}  // namespace
}  // namespace rnnlab

namespace rnnlab {
namespace {

// The scaffold (issue 12 "Families, topology first"): each saddle or unstable
// point linked to the attractors its unstable manifold reaches.
TEST(AttractorBank, ScaffoldLinksTheSaddleOfABistablePairToBothMemories) {
  const Analysed& a = bank()["bistable_pair"];
  ASSERT_EQ(a.set.describe(), "2 fixed_point");
  EXPECT_EQ(a.scaffold.describe(), "saddle -> {fixed_point, fixed_point}");
  ASSERT_EQ(a.scaffold.links.size(), 1u);
  const ScaffoldLink& l = a.scaffold.links[0];
  EXPECT_LT(a.points.points[static_cast<std::size_t>(l.point)].x.norm(), 1e-9);  // the origin
  // The two sides reach the two different stable points, the ones at +-x*:
  // checked against where the attractors' runs ended.
  ASSERT_GE(l.reaches[0], 0);
  ASSERT_GE(l.reaches[1], 0);
  EXPECT_NE(l.reaches[0], l.reaches[1]);
  const double xs = bistable_point();
  for (int side = 0; side < 2; ++side) {
    const Attractor& end = a.set.attractors[static_cast<std::size_t>(l.reaches[side])].run.attractor;
    EXPECT_NEAR(std::abs(end.window(0, end.window.cols() - 1)), xs, 1e-6);
  }
}

TEST(AttractorBank, ScaffoldOfEachBankNetwork) {
  // One unit: the origin has no stable direction, so it is "unstable", not a saddle.
  EXPECT_EQ(bank()["bistable"].scaffold.describe(), "unstable -> {fixed_point, fixed_point}");
  EXPECT_EQ(bank()["hopf"].scaffold.describe(), "unstable -> {limit_cycle}");
  EXPECT_EQ(bank()["flip"].scaffold.describe(), "unstable -> {limit_cycle (period 2)}");
  EXPECT_EQ(bank()["monostable"].scaffold.describe(), "none");
  EXPECT_EQ(bank()["damped_focus"].scaffold.describe(), "none");
  // The point between the cycle and the stable point: one side oscillates, the other stops.
  EXPECT_NE(bank()["cycle_and_point"].scaffold.describe().find("saddle -> {fixed_point, limit_cycle}"),
            std::string::npos)
      << bank()["cycle_and_point"].scaffold.describe();
  // The scaffold is part of the family key.
  EXPECT_NE(signature_key(bank()["bistable_pair"].signature).find("; scaffold saddle -> {fixed_point, fixed_point}"),
            std::string::npos);
}

}  // namespace
}  // namespace rnnlab

#include "analysis/attractor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <mutex>
#include <utility>
#include <Eigen/Eigenvalues>
#include <thread>

#include "analysis/linearise.hpp"
#include "util/error.hpp"

namespace rnnlab {

namespace {
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
// Integer periods up to this many steps are tested exactly (recurrence()).
constexpr Eigen::Index kExactPeriods = 16;

// Distance from `p` to the segment [a, b], the fraction s in [0, 1] of the
// closest point along it, and the segment's length.
struct SegmentDistance {
  double distance = 0.0, fraction = 0.0, length = 0.0;
};
SegmentDistance segment_distance(const Eigen::VectorXd& p, const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  SegmentDistance d;
  const Eigen::VectorXd v = b - a;
  d.length = v.norm();
  const double vv = v.squaredNorm();
  d.fraction = vv > 0 ? std::clamp((p - a).dot(v) / vv, 0.0, 1.0) : 0.0;
  d.distance = (a + d.fraction * v - p).norm();
  return d;
}

// The state is stationary to rounding: every further step repeats it.
bool stationary(const Eigen::VectorXd& x, const Eigen::VectorXd& next) {
  return (next - x).cwiseAbs().maxCoeff() <= 1e-14 * (1.0 + x.cwiseAbs().maxCoeff());
}

// `transient` steps from x0, then the window (N x window) recorded from there.
// A state that stops moving is carried to the end without further steps (exact
// to rounding, and fast for quickly settling fixed points). Returns the settled
// state (the window's start).
Eigen::VectorXd settle(const Network& net, const Eigen::VectorXd& x0, const Eigen::VectorXd& u,
                       const AttractorOptions& o, Eigen::MatrixXd& window) {
  if (o.window < 8) throw Error("attractor: window must be at least 8 steps");
  if (x0.size() != net.units())
    throw Error(fmt::format("attractor: x0 has {} entries, N = {}", x0.size(), net.units()));
  Eigen::VectorXd x = x0;
  for (int t = 0; t < o.transient; ++t) {
    Eigen::VectorXd next = net.step(x, u);
    const bool still = stationary(x, next);
    x = std::move(next);
    if (still) break;
  }
  const Eigen::VectorXd settled = x;
  window.resize(x.size(), o.window);
  bool still = false;
  for (int t = 0; t < o.window; ++t) {
    if (!still) {
      Eigen::VectorXd next = net.step(x, u);
      still = stationary(x, next);
      x = std::move(next);
    }
    window.col(t) = x;
  }
  if (!window.allFinite()) throw Error("attractor: the run diverged (non-finite state)");
  return settled;
}

// The chaos test: positive over the whole run and over both halves, the halves agreeing.
bool stable_positive(double whole, double first, double second, const AttractorOptions& o) {
  if (!(whole > o.chaos_threshold && first > o.chaos_threshold && second > o.chaos_threshold)) return false;
  return std::abs(first - second) <= o.chaos_agreement * std::max(first, second);
}

// Everything but the exponents' verdict; `needs_exponent` says whether the
// type still depends on them (neither a fixed point nor a cycle).
struct Shape {
  bool fixed = false, periodic = false, sustained = false;
};

Shape shape_of(const Network& net, Attractor& a, const std::vector<Eigen::VectorXd>& fixed_points,
               const AttractorOptions& o) {
  Shape s;
  const Eigen::VectorXd x = a.window.col(a.window.cols() - 1);
  a.amplitude = 0.5 * (a.window.rowwise().maxCoeff() - a.window.rowwise().minCoeff()).maxCoeff();
  a.extent = (a.window.colwise() - x).cwiseAbs().maxCoeff();
  if (a.extent <= o.fixed_point_tolerance) {
    s.fixed = true;
    a.type = AttractorType::fixed_point;
    for (std::size_t i = 0; i < fixed_points.size(); ++i) {
      const double d = (fixed_points[i] - x).norm();
      if (!(d >= a.fixed_point_distance)) {  // also replaces the initial NaN
        a.fixed_point_distance = d;
        a.fixed_point = static_cast<int>(i);
      }
    }
    if (a.fixed_point >= 0 && a.fixed_point_distance > o.match_distance) a.fixed_point = -1;
    return s;
  }
  // A damped spiral recurs nearly; a cycle (or torus, or chaos) keeps its size.
  const Eigen::Index half = a.window.cols() / 2;
  const Eigen::MatrixXd centred = a.window.colwise() - a.window.rowwise().mean();
  const double rms_first = centred.leftCols(half).norm(), rms_second = centred.rightCols(half).norm();
  s.sustained = rms_second >= o.sustained_ratio * rms_first;
  const Recurrence r = recurrence(a.window, o.return_tolerance, o.fixed_point_tolerance);
  a.returns = r.returns;
  a.return_miss = r.miss;
  if (std::isfinite(r.period) && s.sustained) {
    s.periodic = true;
    a.type = AttractorType::limit_cycle;
    a.period_steps = r.period;
    a.period_ms = r.period * net.dt;
  }
  return s;
}

void decide(Attractor& a, const Shape& s, const AttractorOptions& o) {
  if (s.fixed || s.periodic) return;
  if (stable_positive(a.leading_exponent, a.leading_exponent_first, a.leading_exponent_second, o))
    a.type = AttractorType::chaos;
  else if (s.sustained && std::abs(a.leading_exponent) <= o.chaos_threshold)
    a.type = AttractorType::quasi_periodic;
  else
    a.type = AttractorType::unsettled;
}

void take_exponents(Attractor& a, const LyapunovResult& l) {
  a.leading_exponent = l.per_tau(0);
  a.leading_exponent_first = l.first_half_per_tau(0);
  a.leading_exponent_second = l.second_half_per_tau(0);
}

template <class F>
void parallel_for(std::size_t count, int threads, F&& f) {
  const std::size_t workers = std::min<std::size_t>(
      count, threads > 0 ? static_cast<std::size_t>(threads) : std::max(1u, std::thread::hardware_concurrency()));
  if (workers <= 1) {
    for (std::size_t i = 0; i < count; ++i) f(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  std::exception_ptr failure;
  std::mutex failure_lock;
  for (std::size_t w = 0; w < workers; ++w)
    pool.emplace_back([&] {
      for (std::size_t i = next++; i < count; i = next++) {
        try {
          f(i);
        } catch (...) {
          std::lock_guard lock(failure_lock);
          if (!failure) failure = std::current_exception();
        }
      }
    });
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

std::string to_string(AttractorType type) {
  switch (type) {
    case AttractorType::fixed_point: return "fixed_point";
    case AttractorType::limit_cycle: return "limit_cycle";
    case AttractorType::quasi_periodic: return "quasi_periodic";
    case AttractorType::chaos: return "chaos";
    case AttractorType::unsettled: return "unsettled";
  }
  return "unsettled";
}

const std::vector<AttractorType>& attractor_types() {
  static const std::vector<AttractorType> all{AttractorType::fixed_point, AttractorType::limit_cycle,
                                              AttractorType::quasi_periodic, AttractorType::chaos,
                                              AttractorType::unsettled};
  return all;
}

Recurrence recurrence(const Eigen::MatrixXd& window, double tol, double exact_tolerance) {
  Recurrence r;
  const Eigen::Index len = window.cols();
  if (len < 4) return r;
  // Time reversed: w(t) is the state t steps before the end.
  const auto w = [&](Eigen::Index t) { return window.col(len - 1 - t); };
  const Eigen::VectorXd ref = w(0);
  const double reach = (window.colwise() - ref).colwise().norm().maxCoeff();
  if (!(reach > 0)) return r;
  // A short integer period (a period-k orbit of the map, e.g. a flip): the
  // last half of the window repeats itself exactly after k steps.
  for (Eigen::Index k = 2; k <= std::min<Eigen::Index>(kExactPeriods, len / 3); ++k) {
    const Eigen::Index span = len / 2 - k;
    if (span < 1) break;
    const double drift =
        (window.middleCols(len - span, span) - window.middleCols(len - span - k, span)).cwiseAbs().maxCoeff();
    if (drift <= exact_tolerance) {
      r.period = static_cast<double>(k);
      r.returns = static_cast<int>((len - 1) / k);
      r.miss = 0.0;
      return r;
    }
  }
  // The closest approach among segments [w(t), w(t+1)] for t in [from, to];
  // equal misses (exact returns: a segment's end is the next one's start, and
  // a short period puts several returns in the range) go to the time nearest
  // `expected`.
  struct Approach {
    double time = kNan, miss = INFINITY;  // miss: distance / segment length
  };
  const auto closest = [&](Eigen::Index from, Eigen::Index to, double expected) {
    Approach best;
    for (Eigen::Index t = std::max<Eigen::Index>(from, 1); t <= std::min(to, len - 2); ++t) {
      const SegmentDistance d = segment_distance(ref, w(t), w(t + 1));
      // A closed curve is sampled finely: a step longer than a quarter of the
      // reach (a map's jump, such as a flip) says nothing about a curve.
      if (d.length > 0.25 * reach) continue;
      const double miss = d.length > 0 ? d.distance / d.length : (d.distance > 0 ? INFINITY : 0.0);
      const double time = static_cast<double>(t) + d.fraction;
      const bool tie = std::abs(miss - best.miss) <= 1e-12;
      if ((miss < best.miss && !tie) || (tie && std::abs(time - expected) < std::abs(best.time - expected)))
        best = {time, miss};
    }
    return best;
  };
  // The first return: after the path has gone at least half its reach away,
  // the first segment within tolerance, then on to the closest of the run of
  // segments that approach the reference (the local minimum of the miss).
  double gone = 0.0, first = kNan, first_miss = INFINITY;
  for (Eigen::Index t = 1; t + 1 < len; ++t) {
    gone = std::max(gone, (w(t) - ref).norm());
    if (gone < 0.5 * reach) continue;
    Approach a = closest(t, t, 0.0);
    if (!(a.miss <= tol)) continue;
    for (Eigen::Index next = t + 1; next + 1 < len; ++next) {
      const Approach b = closest(next, next, 0.0);
      if (!(b.miss < a.miss)) break;
      a = b;
    }
    first = a.time, first_miss = a.miss;
    break;
  }
  if (!(first >= 1.0)) return r;
  double period = first;
  r.returns = 1;
  r.miss = first_miss;
  for (int k = 2; k < len; ++k) {
    const double expected = k * period;
    const Eigen::Index centre = static_cast<Eigen::Index>(std::floor(expected));
    if (centre + 3 > len - 1) break;  // the window ends before this return is seen whole
    const Approach a = closest(centre - 2, centre + 2, expected);
    if (!(a.miss <= tol) || !(a.time / k >= 1.0)) return Recurrence{kNan, r.returns, r.miss};
    period = a.time / k;
    r.returns = k;
    r.miss = std::max(r.miss, a.miss);
  }
  if (r.returns >= 2) r.period = period;
  return r;
}

Attractor classify_attractor(const Network& net, const Eigen::VectorXd& x0, const Eigen::VectorXd& u_in,
                             const std::vector<Eigen::VectorXd>& fixed_points, double leading_exponent,
                             const AttractorOptions& o) {
  const Eigen::VectorXd u = u_in.size() ? u_in : Eigen::VectorXd::Zero(net.inputs());
  Attractor a;
  settle(net, x0, u, o, a.window);
  a.leading_exponent = a.leading_exponent_first = a.leading_exponent_second = leading_exponent;
  decide(a, shape_of(net, a, fixed_points, o), o);
  return a;
}

namespace {

// Settles from x0 and classifies into `run`. A run that ends neither fixed,
// periodic nor chaotic (unsettled: still contracting; quasi_periodic: perhaps
// still spiralling onto a cycle) is carried on from its window's end, another
// `transient` steps, and looked at again, up to `extensions` times: slow
// points and slow approaches outlast one transient. The exponents (and with
// them chaos) are measured on the first pass and on the last only: the passes
// between look for a point or a cycle, which need none, so a torus costs two
// Lyapunov runs, not eight. They are measured always when `exponents`, else
// only when the type needs them (has_exponents says which). Returns the
// settled state of the last pass.
Eigen::VectorXd settle_and_classify(const Network& net, const Eigen::VectorXd& x0, const Eigen::VectorXd& u,
                                    const std::vector<Eigen::VectorXd>& fixed_points, const AttractorOptions& o,
                                    const LyapunovOptions& lo, bool exponents, AttractorRun& run,
                                    bool& has_exponents) {
  Eigen::VectorXd from = x0;
  for (int extension = 0;; ++extension) {
    run.attractor = Attractor{};
    const Eigen::VectorXd settled = settle(net, from, u, o, run.attractor.window);
    const Shape shape = shape_of(net, run.attractor, fixed_points, o);
    const bool found = shape.fixed || shape.periodic;
    const bool last = found || extension >= o.extensions || o.transient == 0;
    has_exponents = (exponents || !found) && (extension == 0 || last);
    if (has_exponents) {
      run.lyapunov = lyapunov_spectrum(net, settled, u, lo);
      take_exponents(run.attractor, run.lyapunov);
      decide(run.attractor, shape, o);
    }
    if (last || run.attractor.type == AttractorType::chaos) return settled;
    from = run.attractor.window.col(run.attractor.window.cols() - 1);
  }
}

}  // namespace

AttractorRun run_attractor(const Network& net, const Eigen::VectorXd& x0, const Eigen::VectorXd& u_in,
                           const std::vector<Eigen::VectorXd>& fixed_points, const AttractorOptions& o,
                           const LyapunovOptions& lo) {
  const Eigen::VectorXd u = u_in.size() ? u_in : Eigen::VectorXd::Zero(net.inputs());
  AttractorRun run;
  bool has_exponents = false;
  settle_and_classify(net, x0, u, fixed_points, o, lo, true, run, has_exponents);
  return run;
}

// ---- Attractors from many starts ----

int AttractorSet::fixed_points() const {
  int n = 0;
  for (const FoundAttractor& f : attractors) n += f.run.attractor.type == AttractorType::fixed_point && !f.marginal;
  return n;
}

int AttractorSet::marginal_points() const {
  int n = 0;
  for (const FoundAttractor& f : attractors) n += f.run.attractor.type == AttractorType::fixed_point && f.marginal;
  return n;
}

int AttractorSet::count(AttractorType type) const {
  int n = 0;
  for (const FoundAttractor& f : attractors) n += f.run.attractor.type == type;
  return n;
}

std::string FoundAttractor::name() const {
  const Attractor& a = run.attractor;
  std::string n = to_string(a.type);
  if (a.type == AttractorType::fixed_point && marginal) return n + " (marginal)";
  if (a.type == AttractorType::fixed_point && focus) return n + " (focus)";
  const double k = std::round(a.period_steps);
  if (a.type == AttractorType::limit_cycle && k <= 8 && std::abs(a.period_steps - k) <= 1e-6)
    return n + fmt::format(" (period {})", static_cast<int>(k));
  return n;
}

std::string AttractorSet::describe() const {
  const auto rank = [](AttractorType t) {
    switch (t) {
      case AttractorType::chaos: return 0;
      case AttractorType::quasi_periodic: return 1;
      case AttractorType::limit_cycle: return 2;
      case AttractorType::fixed_point: return 3;
      case AttractorType::unsettled: return 4;
    }
    return 4;
  };
  std::map<std::pair<int, std::string>, int> counts;
  for (const FoundAttractor& f : attractors) ++counts[{rank(f.run.attractor.type), f.name()}];
  std::string out;
  for (const auto& [key, n] : counts)
    out += (out.empty() ? "" : " + ") + (n > 1 ? std::to_string(n) + " " : std::string()) + key.second;
  return out.empty() ? "none" : out;
}

namespace {

// Whether the run `a` ends on the known attractor `f` (find_attractors'
// grouping): fixed points by distance, cycles by lying on the known cycle's
// path with the same period, the others by their windows' statistics.
struct SameAttractor {
  const Network& net;
  const Eigen::VectorXd& u;
  const AttractorOptions& o;
  const AttractorSetOptions& so;

  bool operator()(const Attractor& a, const FoundAttractor& f) const {
    if (f.run.attractor.type != a.type) return false;
    return a.type == AttractorType::fixed_point    ? same_fixed(a, f)
           : a.type == AttractorType::limit_cycle ? on_cycle(a, f)
                                                  : same_statistics(a, f);
  }
  bool same_fixed(const Attractor& a, const FoundAttractor& f) const {
    const Eigen::VectorXd x = a.window.col(a.window.cols() - 1);
    const Eigen::VectorXd y = f.run.attractor.window.col(f.run.attractor.window.cols() - 1);
    if ((x - y).norm() <= o.match_distance) return true;
    if (!f.marginal) return false;
    // Two points of one line attractor: the midpoint is (nearly) fixed too.
    const Eigen::VectorXd m = 0.5 * (x + y);
    return (net.step(m, u) - m).cwiseAbs().maxCoeff() <= 10 * o.fixed_point_tolerance * net.alpha;
  }
  bool on_cycle(const Attractor& a, const FoundAttractor& f) const {
    const Attractor& c = f.run.attractor;
    if (std::abs(a.period_steps - c.period_steps) > 0.05 * c.period_steps) return false;
    const Eigen::VectorXd x = a.window.col(a.window.cols() - 1);
    for (Eigen::Index t = 0; t + 1 < c.window.cols(); ++t) {
      const SegmentDistance d = segment_distance(x, c.window.col(t), c.window.col(t + 1));
      if (d.distance <= std::max(d.length, o.match_distance)) return true;
    }
    return false;
  }
  bool same_statistics(const Attractor& a, const FoundAttractor& f) const {
    const Eigen::VectorXd ma = a.window.rowwise().mean(), mf = f.run.attractor.window.rowwise().mean();
    const double spread = std::sqrt(0.5 * ((a.window.colwise() - ma).squaredNorm() +
                                           (f.run.attractor.window.colwise() - mf).squaredNorm()) /
                                    static_cast<double>(a.window.cols()));
    if ((ma - mf).norm() <= so.same_statistics * spread) return true;
    if (a.type != AttractorType::chaos) return false;
    // Two stretches of one strange attractor: their means can differ by more
    // than a window's sampling error (slow wandering, and a few hundred steps
    // of a long-correlated run), but the attractor's size and its leading
    // exponent are the same; runs on different chaotic attractors rarely agree in both.
    const double size_a = std::sqrt((a.window.colwise() - ma).squaredNorm() / static_cast<double>(a.window.cols()));
    const double size_f = std::sqrt((f.run.attractor.window.colwise() - mf).squaredNorm() /
                                    static_cast<double>(f.run.attractor.window.cols()));
    const double la = a.leading_exponent, lf = f.run.attractor.leading_exponent;
    return std::abs(size_a - size_f) <= 0.1 * std::max(size_a, size_f) &&
           std::abs(la - lf) <= 0.25 * std::max(std::abs(la), std::abs(lf));
  }
};

}  // namespace

int AttractorSet::index_of(const Network& net, const Eigen::VectorXd& u, const Attractor& a,
                           const AttractorOptions& o, const AttractorSetOptions& so) const {
  const Eigen::VectorXd input = u.size() ? u : Eigen::VectorXd::Zero(net.inputs());
  const SameAttractor same{net, input, o, so};
  for (std::size_t k = 0; k < attractors.size(); ++k)
    if (same(a, attractors[k])) return static_cast<int>(k);
  return -1;
}

AttractorSet find_attractors(const Network& net, const Eigen::MatrixXd& starts, const Eigen::VectorXd& u_in,
                             const std::vector<Eigen::VectorXd>& fixed_points, const AttractorOptions& o,
                             const LyapunovOptions& lo, const AttractorSetOptions& so) {
  if (starts.rows() != net.units())
    throw Error(fmt::format("find_attractors: starts have {} rows, N = {}", starts.rows(), net.units()));
  const Eigen::VectorXd u = u_in.size() ? u_in : Eigen::VectorXd::Zero(net.inputs());
  AttractorSet set;
  const Eigen::Index count = starts.cols();
  set.start_attractor.assign(static_cast<std::size_t>(count), -1);
  // Starts run in batches (parallel within one), then join the set in start
  // order: the result does not depend on the thread count, and only a batch's
  // windows are held at once.
  const Eigen::Index batch = std::max<Eigen::Index>(8, 4 * std::max(so.threads, 1));
  struct Pending {
    AttractorRun run;
    Eigen::VectorXd settled;
    bool has_exponents = false;
  };
  const SameAttractor same{net, u, o, so};
  const double marginal_l = so.marginal_tolerance * net.alpha;
  for (Eigen::Index from = 0; from < count; from += batch) {
    const Eigen::Index n = std::min(batch, count - from);
    std::vector<Pending> pending(static_cast<std::size_t>(n));
    parallel_for(static_cast<std::size_t>(n), so.threads, [&](std::size_t i) {
      Pending& p = pending[i];
      p.settled = settle_and_classify(net, starts.col(from + static_cast<Eigen::Index>(i)), u, fixed_points, o, lo,
                                      false, p.run, p.has_exponents);
    });
    for (Eigen::Index i = 0; i < n; ++i) {
      Pending& p = pending[static_cast<std::size_t>(i)];
      const Attractor& a = p.run.attractor;
      int found = -1;
      for (std::size_t k = 0; k < set.attractors.size() && found < 0; ++k) {
        if (same(a, set.attractors[k])) found = static_cast<int>(k);
      }
      // A run can rest on an unstable point only if it started on it (or on
      // its stable manifold, e.g. in a symmetric network's invariant
      // subspace): the quiet trial of a network with an unstable origin. Such
      // a point is no attractor: counted, kept aside, its start left at -1.
      const auto end_of = [](const Attractor& r) { return Eigen::VectorXd(r.window.col(r.window.cols() - 1)); };
      if (found < 0 && a.type == AttractorType::fixed_point) {
        const Eigen::VectorXd x = end_of(a);
        bool unstable = false;
        for (const Eigen::VectorXd& y : set.unstable_points) unstable = unstable || (x - y).norm() <= o.match_distance;
        if (!unstable) {
          const Eigen::VectorXd l = Eigen::EigenSolver<Eigen::MatrixXd>(jacobian_state(net, x), false).eigenvalues().array().abs();
          if ((l.array() > 1.0 + marginal_l).any()) {
            unstable = true;
            set.unstable_points.push_back(x);
          }
        }
        if (unstable) {
          ++set.unstable_starts;
          continue;
        }
      }
      if (found < 0) {
        FoundAttractor f;
        if (!p.has_exponents) {
          p.run.lyapunov = lyapunov_spectrum(net, p.settled, u, lo);
          take_exponents(p.run.attractor, p.run.lyapunov);
        }
        f.run = std::move(p.run);
        f.first_start = static_cast<int>(from + i);
        if (f.run.attractor.type == AttractorType::fixed_point) {
          const Eigen::VectorXcd l =
              Eigen::EigenSolver<Eigen::MatrixXd>(jacobian_state(net, end_of(f.run.attractor)), false).eigenvalues();
          f.marginal = (l.array().abs() >= 1.0 - marginal_l).any();
          Eigen::Index lead = 0;
          l.array().abs().maxCoeff(&lead);
          f.focus = std::abs(l(lead).imag()) > 1e-9 * std::abs(l(lead));
        }
        set.attractors.push_back(std::move(f));
        found = static_cast<int>(set.attractors.size()) - 1;
      }
      ++set.attractors[static_cast<std::size_t>(found)].starts;
      set.start_attractor[static_cast<std::size_t>(from + i)] = found;
    }
  }
  for (FoundAttractor& f : set.attractors) f.basin = count > 0 ? static_cast<double>(f.starts) / count : 0.0;
  return set;
}

}  // namespace rnnlab

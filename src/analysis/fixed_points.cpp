// Fixed points: the parallel driver, de-duplication, linearisation and
// stability of each distinct point, outliers, the summary, and starting states.
#include "analysis/fixed_points.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <numeric>
#include <thread>

#include "analysis/dense_decompositions.hpp"
#include "analysis/fixed_points_internal.hpp"
#include "analysis/linearise.hpp"
#include "util/error.hpp"

namespace rnnlab {

std::string to_string(PointKind kind) {
  switch (kind) {
    case PointKind::fixed: return "fixed";
    case PointKind::slow: return "slow";
    case PointKind::local_minimum: return "local_minimum";
    case PointKind::not_converged: return "not_converged";
  }
  return "?";
}

const std::vector<PointKind>& point_kinds() {
  static const std::vector<PointKind> all{PointKind::fixed, PointKind::slow, PointKind::local_minimum,
                                          PointKind::not_converged};
  return all;
}

PointKind point_kind_from_string(const std::string& name) {
  std::string names;
  for (PointKind k : point_kinds()) {
    if (to_string(k) == name) return k;
    names += (names.empty() ? "" : ", ") + to_string(k);
  }
  throw InputError("fixed points: unknown point kind '" + name + "' (kinds: " + names + ")");
}

double speed_from_q(double q, double alpha) { return std::sqrt(2.0 * q) / alpha; }

double merge_radius(const Eigen::VectorXd& x, const Eigen::VectorXd& y, double tolerance, double ex, double ey) {
  return tolerance * (1.0 + std::max(x.lpNorm<Eigen::Infinity>(), y.lpNorm<Eigen::Infinity>())) + ex + ey;
}

std::string to_string(Stability stability) {
  switch (stability) {
    case Stability::stable: return "stable";
    case Stability::saddle: return "saddle";
    case Stability::unstable: return "unstable";
    case Stability::marginal: return "marginal";
  }
  return "?";
}

namespace {

// f(i) for i in [0, count), split into one contiguous chunk per thread. Each
// f(i) writes only its own slot, so the result does not depend on the thread
// count. The first exception thrown by any f is rethrown here.
template <class F>
void parallel_for(std::size_t count, int threads, F&& f) {
  std::size_t t = threads > 0 ? static_cast<std::size_t>(threads)
                              : std::max(1u, std::thread::hardware_concurrency());
  t = std::min(t, std::max<std::size_t>(count, 1));
  if (t <= 1) {
    for (std::size_t i = 0; i < count; ++i) f(i);
    return;
  }
  std::exception_ptr error;
  std::mutex error_mutex;
  std::vector<std::thread> pool;
  pool.reserve(t);
  for (std::size_t k = 0; k < t; ++k) {
    const std::size_t begin = count * k / t, end = count * (k + 1) / t;
    pool.emplace_back([&, begin, end] {
      try {
        for (std::size_t i = begin; i < end; ++i) f(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    });
  }
  for (auto& th : pool) th.join();
  if (error) std::rethrow_exception(error);
}

bool lexicographic_less(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return std::lexicographical_compare(a.data(), a.data() + a.size(), b.data(), b.data() + b.size());
}

}  // namespace

FixedPoint analyse_point(const Network& net, const Eigen::VectorXd& u, const Eigen::VectorXd& x,
                         const FixedPointOptions& o) {
  const int n = net.units();
  if (x.size() != n) throw InputError("fixed points: the state has the wrong size");
  FixedPoint p;
  p.x = x;
  p.q = speed_q(net, x, u);
  p.speed = speed_from_q(p.q, net.alpha);
  p.jacobian_state = jacobian_state(net, x);
  p.jacobian_input = jacobian_input(net);

  // Sorted by modulus, descending, with reproducible ties and eigenvector
  // phases (dense_decompositions.hpp).
  EigenPairs eig = leading_eigenpairs(p.jacobian_state, o.eigenvectors);
  p.eigenvalues.resize(n);
  p.continuous_eigenvalues.resize(n);
  p.eigenvectors = std::move(eig.vectors);
  const double tol = o.marginal_tolerance * net.alpha;
  for (int i = 0; i < n; ++i) {
    const std::complex<double> l = eig.values[i];
    p.eigenvalues[i] = l;
    p.continuous_eigenvalues[i] = continuous_eigenvalue(l, net.alpha);
    const double m = std::abs(l);
    if (m > 1.0 + tol)
      ++p.unstable_directions;
    else if (m >= 1.0 - tol)
      ++p.marginal_directions;
  }
  if (p.unstable_directions == n)
    p.stability = Stability::unstable;
  else if (p.unstable_directions > 0)
    p.stability = Stability::saddle;
  else if (p.marginal_directions > 0)
    p.stability = Stability::marginal;
  else
    p.stability = Stability::stable;
  p.kind = p.q <= o.fixed_tolerance ? PointKind::fixed
                                    : (p.speed <= o.slow_speed ? PointKind::slow : PointKind::not_converged);
  return p;
}

Dedup deduplicate(const std::vector<Eigen::VectorXd>& points, const std::vector<double>& q, double tolerance,
                  const std::vector<double>& errors) {
  if (points.size() != q.size()) throw Error("deduplicate: points and q differ in length");
  if (!errors.empty() && errors.size() != points.size()) throw Error("deduplicate: points and errors differ in length");
  auto error = [&](int i) { return errors.empty() ? 0.0 : errors[i]; };
  std::vector<int> order(points.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int i, int j) { return q[i] < q[j]; });
  Dedup d;
  d.group.assign(points.size(), -1);
  for (int i : order) {
    int found = -1;
    for (std::size_t g = 0; g < d.representative.size() && found < 0; ++g) {
      const int r = d.representative[g];
      const double limit = merge_radius(points[i], points[r], tolerance, error(i), error(r));
      if ((points[i] - points[r]).lpNorm<Eigen::Infinity>() <= limit) found = static_cast<int>(g);
    }
    if (found < 0) {
      found = static_cast<int>(d.representative.size());
      d.representative.push_back(i);
      d.count.push_back(0);
    }
    d.group[i] = found;
    ++d.count[found];
  }
  return d;
}

FixedPointResult find_fixed_points(const Network& net, const Eigen::VectorXd& u,
                                   const Eigen::MatrixXd& starts, const FixedPointOptions& o) {
  const detail::QProblem problem(net, u);
  if (starts.rows() != net.units())
    throw InputError("fixed points: the starting states have " + std::to_string(starts.rows()) +
                     " rows, the network has " + std::to_string(net.units()) + " units");
  const std::size_t count = static_cast<std::size_t>(starts.cols());
  FixedPointResult result;
  result.starts.resize(count);

  std::atomic<std::size_t> done{0};
  std::mutex progress_mutex;
  auto solve_start = [&](std::size_t i, const detail::KnownRoots* known) {
    result.starts[i] = problem.solve(starts.col(static_cast<Eigen::Index>(i)), o, known);
    const std::size_t finished = ++done;
    if (o.progress) {
      std::lock_guard<std::mutex> lock(progress_mutex);
      o.progress(finished, count);
    }
  };

  // Pass 1: a fixed, evenly spaced subset of the starts, each alone. Which
  // starts these are depends only on their number, so pass 2 sees the same
  // known roots whatever the thread count.
  const std::size_t first = o.first_pass_starts > 0 && count > 2 * static_cast<std::size_t>(o.first_pass_starts)
                                ? static_cast<std::size_t>(o.first_pass_starts)
                                : count;
  std::vector<std::size_t> pass1(first), pass2;
  std::vector<char> in_pass1(count, 0);
  for (std::size_t k = 0; k < first; ++k) pass1[k] = k * count / first, in_pass1[pass1[k]] = 1;
  for (std::size_t i = 0; i < count; ++i)
    if (!in_pass1[i]) pass2.push_back(i);
  parallel_for(pass1.size(), o.threads, [&](std::size_t k) { solve_start(pass1[k], nullptr); });

  // Pass 2: the rest, with the distinct fixed points of pass 1 and the LU of
  // their Jacobians.
  if (!pass2.empty()) {
    std::vector<Eigen::VectorXd> xs;
    std::vector<double> qs, errors;
    for (std::size_t i : pass1)
      if (result.starts[i].kind == PointKind::fixed) {
        xs.push_back(result.starts[i].x);
        qs.push_back(result.starts[i].q);
        errors.push_back(result.starts[i].position_error);
      }
    const Dedup found = deduplicate(xs, qs, o.dedup_tolerance, errors);
    detail::KnownRoots known;
    const std::size_t roots = found.representative.size();
    known.x.resize(roots);
    known.q.resize(roots);
    known.error.resize(roots);
    known.lu.resize(roots);
    parallel_for(roots, o.threads, [&](std::size_t k) {
      known.x[k] = xs[found.representative[k]];
      known.q[k] = qs[found.representative[k]];
      known.error[k] = errors[found.representative[k]];
      Eigen::VectorXd d;
      Eigen::MatrixXd j;
      problem.jacobian(known.x[k], d, j);
      known.lu[k].compute(j);
    });
    parallel_for(pass2.size(), o.threads, [&](std::size_t k) { solve_start(pass2[k], &known); });
  }

  // De-duplicate the converged (and polished) starts, fixed points, slow
  // points and local minima together with the one merge tolerance: the lower
  // q wins.
  std::vector<int> candidates;
  std::vector<Eigen::VectorXd> xs;
  std::vector<double> qs, errors;
  for (std::size_t i = 0; i < count; ++i) {
    if (!result.starts[i].converged) continue;
    candidates.push_back(static_cast<int>(i));
    xs.push_back(result.starts[i].x);
    qs.push_back(result.starts[i].q);
    errors.push_back(result.starts[i].position_error);
  }
  const Dedup dedup = deduplicate(xs, qs, o.dedup_tolerance, errors);

  // Order the groups by kind (fixed, slow, local minimum), each lexicographically.
  const std::size_t groups = dedup.representative.size();
  std::vector<int> order(groups);
  std::iota(order.begin(), order.end(), 0);
  auto kind_of = [&](int g) { return result.starts[candidates[dedup.representative[g]]].kind; };
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    if (kind_of(a) != kind_of(b)) return kind_of(a) < kind_of(b);
    return lexicographic_less(xs[dedup.representative[a]], xs[dedup.representative[b]]);
  });
  std::vector<int> position(groups);
  for (std::size_t p = 0; p < groups; ++p) position[order[p]] = static_cast<int>(p);
  for (std::size_t c = 0; c < candidates.size(); ++c)
    result.starts[candidates[c]].point = position[dedup.group[c]];

  // Spread of the starts for the outlier flag: rms distance to their centroid.
  double spread = 0.0;
  if (count >= 2) {
    const Eigen::VectorXd centroid = starts.rowwise().mean();
    spread = std::sqrt((starts.colwise() - centroid).colwise().squaredNorm().mean());
  }

  result.points.resize(groups);
  parallel_for(groups, o.threads, [&](std::size_t p) {
    const int g = order[p];
    const StartResult& best = result.starts[candidates[dedup.representative[g]]];
    FixedPoint point = analyse_point(net, u, best.x, o);
    point.q = best.q;
    point.speed = best.speed;
    point.position_error = best.position_error;
    point.kind = best.kind;
    point.count = dedup.count[g];
    point.distance_to_starts =
        count ? std::sqrt((starts.colwise() - best.x).colwise().squaredNorm().minCoeff()) : 0.0;
    point.outlier = count >= 2 && spread > 0.0 && point.distance_to_starts > o.outlier_factor * spread;
    result.points[p] = std::move(point);
  });

  FixedPointSummary& s = result.summary;
  s.starts = static_cast<int>(count);
  for (const StartResult& r : result.starts) {
    switch (r.kind) {
      case PointKind::fixed: ++s.fixed_starts; break;
      case PointKind::slow: ++s.slow_starts; break;
      case PointKind::local_minimum: ++s.local_minimum_starts; break;
      case PointKind::not_converged: ++s.not_converged; break;
    }
  }
  for (const FixedPoint& p : result.points) {
    if (p.outlier) ++s.outliers;
    if (p.position_error > o.dedup_tolerance * (1.0 + p.x.lpNorm<Eigen::Infinity>())) ++s.unpolished;
    if (p.kind == PointKind::slow) ++s.slow_points;
    if (p.kind == PointKind::local_minimum) ++s.local_minima;
    if (p.kind != PointKind::fixed) continue;
    ++s.fixed_points;
    switch (p.stability) {
      case Stability::stable: ++s.stable; break;
      case Stability::saddle: ++s.saddles; break;
      case Stability::unstable: ++s.unstable; break;
      case Stability::marginal: ++s.marginal; break;
    }
  }
  return result;
}

Eigen::MatrixXd sample_starts(const Eigen::MatrixXd& states, int count, double noise_std, Rng& rng) {
  if (states.cols() == 0 || states.rows() == 0)
    throw InputError("fixed points: no trajectory states to sample starting states from");
  if (count < 0) throw InputError("fixed points: the number of starting states must be >= 0");
  if (noise_std < 0) throw InputError("fixed points: the starting-state noise must be >= 0");
  Eigen::MatrixXd out(states.rows(), count);
  for (int k = 0; k < count; ++k) {
    out.col(k) = states.col(rng.uniform_int(0, states.cols() - 1));
    if (noise_std > 0)
      for (Eigen::Index i = 0; i < out.rows(); ++i) out(i, k) += noise_std * rng.normal();
  }
  return out;
}

Eigen::MatrixXd box_starts(int n, int count, double lo, double hi, Rng& rng) {
  Eigen::MatrixXd out(n, count);
  for (int k = 0; k < count; ++k)
    for (int i = 0; i < n; ++i) out(i, k) = rng.uniform(lo, hi);
  return out;
}

}  // namespace rnnlab

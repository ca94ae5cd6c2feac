#include "analysis/perturb.hpp"

#include <H5Cpp.h>
#include <fmt/format.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "analysis/linearise.hpp"
#include "train/evaluate.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

namespace rnnlab {

namespace {

// Each kind of damage draws from its own stream of the analysis seed, so
// adding one kind to a run does not change another's draw.
enum DamageStream : std::uint64_t {
  prune_stream = 0x7072756eULL,
  ablate_stream = 0x61626c61ULL,
  noise_stream = 0x6e6f6973ULL,
  kick_stream = 0x6b69636bULL
};

// A seeded random order of 0..n-1 (Fisher-Yates).
std::vector<long> random_order(long n, Rng& rng) {
  std::vector<long> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0L);
  for (long i = n - 1; i > 0; --i) std::swap(order[i], order[rng.uniform_int(0, i)]);
  return order;
}

long count_of(double fraction, long candidates) {
  return std::min(candidates, static_cast<long>(std::llround(fraction * static_cast<double>(candidates))));
}

void require_dale(const Network& net, const std::string& what, const std::string& option) {
  if (net.sign.size() != net.units())
    throw InputError(fmt::format("{} {}: the network has no excitatory and inhibitory units (it was not trained under "
                                 "Dale's law, so it has no sign array); use --by magnitude or random / --units any",
                                 option, what));
}

bool in_group(const Network& net, Eigen::Index unit, bool excitatory) {
  return excitatory ? net.sign(unit) > 0 : net.sign(unit) < 0;
}

double spectral_radius(const Eigen::MatrixXd& m) {
  if (m.rows() == 0) return 0.0;
  return m.eigenvalues().cwiseAbs().maxCoeff();
}

// The rows and columns `keep` of a square matrix.
Eigen::MatrixXd submatrix(const Eigen::MatrixXd& m, const std::vector<int>& keep) {
  const Eigen::Index n = static_cast<Eigen::Index>(keep.size());
  Eigen::MatrixXd s(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i) s(i, j) = m(keep[i], keep[j]);
  return s;
}

}  // namespace

std::string to_string(Perturbation p) {
  switch (p) {
    case Perturbation::prune: return "prune";
    case Perturbation::ablate_units: return "ablate_units";
    case Perturbation::weight_noise: return "weight_noise";
    case Perturbation::kick: return "kick";
  }
  return "?";
}

std::string to_string(PruneBy by) {
  switch (by) {
    case PruneBy::magnitude: return "magnitude";
    case PruneBy::random: return "random";
    case PruneBy::excitatory: return "excitatory";
    case PruneBy::inhibitory: return "inhibitory";
  }
  return "?";
}

std::string to_string(UnitGroup g) {
  switch (g) {
    case UnitGroup::any: return "any";
    case UnitGroup::excitatory: return "excitatory";
    case UnitGroup::inhibitory: return "inhibitory";
  }
  return "?";
}

PruneBy parse_prune_by(const std::string& name, const std::string& option) {
  for (PruneBy by : {PruneBy::magnitude, PruneBy::random, PruneBy::excitatory, PruneBy::inhibitory})
    if (to_string(by) == name) return by;
  throw InputError(fmt::format("{} {}: unknown; choose magnitude, random, excitatory or inhibitory", option, name));
}

UnitGroup parse_unit_group(const std::string& name, const std::string& option) {
  for (UnitGroup g : {UnitGroup::any, UnitGroup::excitatory, UnitGroup::inhibitory})
    if (to_string(g) == name) return g;
  throw InputError(fmt::format("{} {}: unknown; choose any, excitatory or inhibitory", option, name));
}

Network prune_connections(const Network& net, double fraction, PruneBy by, std::uint64_t seed, Damage* damage) {
  if (!(fraction >= 0.0 && fraction <= 1.0))
    throw InputError(fmt::format("pruning fraction {} is outside [0, 1]", fraction));
  const bool by_sign = by == PruneBy::excitatory || by == PruneBy::inhibitory;
  if (by_sign) require_dale(net, to_string(by), "--by");
  // The candidates: existing connections (nonzero entries; a mask's zeros are
  // not connections), in column-major order, restricted to E or I columns.
  const Eigen::Index n = net.units();
  std::vector<Eigen::Index> candidates;
  for (Eigen::Index j = 0; j < n; ++j) {
    if (by_sign && !in_group(net, j, by == PruneBy::excitatory)) continue;
    for (Eigen::Index i = 0; i < n; ++i)
      if (net.w_rec(i, j) != 0.0) candidates.push_back(j * n + i);
  }
  const long total = static_cast<long>(candidates.size());
  const long removed = count_of(fraction, total);
  Network out = net;
  if (removed > 0) {
    std::vector<Eigen::Index> order;
    if (by == PruneBy::magnitude) {
      order = candidates;
      // Smallest |w| first; ties keep their index order so the result is unique.
      std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
        return std::abs(net.w_rec.data()[a]) < std::abs(net.w_rec.data()[b]);
      });
    } else {
      Rng rng = Rng::stream(seed, Purpose::analysis, prune_stream);
      for (long k : random_order(total, rng)) order.push_back(candidates[static_cast<std::size_t>(k)]);
    }
    for (long k = 0; k < removed; ++k) out.w_rec.data()[order[static_cast<std::size_t>(k)]] = 0.0;
  }
  if (damage) *damage = Damage{removed, total, {}};
  return out;
}

Network ablate_units(const Network& net, double fraction, UnitGroup group, std::uint64_t seed, Damage* damage) {
  if (!(fraction >= 0.0 && fraction <= 1.0))
    throw InputError(fmt::format("ablation fraction {} is outside [0, 1]", fraction));
  if (group != UnitGroup::any) require_dale(net, to_string(group), "--units");
  std::vector<int> candidates;
  for (int i = 0; i < net.units(); ++i)
    if (group == UnitGroup::any || in_group(net, i, group == UnitGroup::excitatory)) candidates.push_back(i);
  const long total = static_cast<long>(candidates.size());
  const long removed = count_of(fraction, total);
  Network out = net;
  std::vector<int> ablated;
  if (removed > 0) {
    Rng rng = Rng::stream(seed, Purpose::analysis, ablate_stream);
    const std::vector<long> order = random_order(total, rng);
    for (long k = 0; k < removed; ++k) ablated.push_back(candidates[static_cast<std::size_t>(order[k])]);
    std::sort(ablated.begin(), ablated.end());
    for (int u : ablated) {
      out.w_rec.row(u).setZero();
      out.w_rec.col(u).setZero();
      out.w_in.row(u).setZero();
      out.w_out.col(u).setZero();
      out.b(u) = 0.0;
      out.x0(u) = 0.0;
    }
  }
  if (damage) *damage = Damage{removed, total, ablated};
  return out;
}

Network add_weight_noise(const Network& net, double sigma, std::uint64_t seed) {
  if (!(sigma >= 0.0 && std::isfinite(sigma)))
    throw InputError(fmt::format("weight noise sigma {} must be finite and >= 0", sigma));
  Network out = net;
  if (sigma == 0.0 || net.w_rec.size() == 0) return out;
  const double rms = std::sqrt(net.w_rec.squaredNorm() / static_cast<double>(net.w_rec.size()));
  Rng rng = Rng::stream(seed, Purpose::analysis, noise_stream);
  // Column-major draw order, so the same seed gives the same Z for every sigma.
  for (Eigen::Index k = 0; k < out.w_rec.size(); ++k) out.w_rec.data()[k] += sigma * rms * rng.normal();
  return out;
}

int kick_step(const Network& net, const Task& task, double kick_at_ms) {
  if (!std::isfinite(kick_at_ms)) throw InputError(fmt::format("--kick-at {}: must be a number of ms", kick_at_ms));
  if (kick_at_ms < 0) return task.steps() / 2;
  const long step = std::lround(kick_at_ms / net.dt);
  if (step >= task.steps())
    throw InputError(fmt::format("--kick-at {}: after the end of the trial; task {} lasts {} ms ({} steps of {} ms)",
                                 kick_at_ms, task.name(), task.steps() * net.dt, task.steps(), net.dt));
  return static_cast<int>(step);
}

Eigen::MatrixXd kick_directions(const Network& net, int trials, std::uint64_t seed) {
  Rng rng = Rng::stream(seed, Purpose::analysis, kick_stream);
  Eigen::MatrixXd z(net.units(), trials);
  for (Eigen::Index k = 0; k < z.size(); ++k) z.data()[k] = rng.normal();
  // A Gaussian vector normalised is uniform on the sphere.
  for (int b = 0; b < trials; ++b)
    if (z.col(b).norm() > 0) z.col(b).normalize();
  return z;
}

Evaluation evaluate_kicked(const Network& net, const Task& task, int trials, std::uint64_t seed, double epsilon,
                           int step, const Eigen::MatrixXd& directions, LossKind loss_kind) {
  Rng rng = Rng::stream(seed, Purpose::eval);  // eval's trials (train/evaluate.cpp)
  const TrialBatch batch = task.batch(trials, rng);
  // The forward pass adds an N x (T*B) term to each step's state: zero but
  // for the kicked step's columns.
  Eigen::MatrixXd kick = Eigen::MatrixXd::Zero(net.units(), static_cast<Eigen::Index>(batch.steps) * trials);
  kick.middleCols(static_cast<Eigen::Index>(step) * trials, trials) = epsilon * directions;
  Rollout<double> rollout;
  forward(net, batch.inputs.cast<double>(), batch.steps, trials, &kick, rollout);
  return score_rollout(net, task, batch, rollout, loss_kind);
}

std::string perturbation_group_name(const PerturbationOptions& o) {
  switch (o.kind) {
    case Perturbation::prune: return "prune_" + to_string(o.by);
    case Perturbation::ablate_units: return "ablate_units_" + to_string(o.units);
    case Perturbation::weight_noise: return "weight_noise";
    case Perturbation::kick: return "kick";
  }
  return "?";
}

void check_perturbation(const Network& net, const PerturbationOptions& o, const std::string& option) {
  if (o.levels.empty()) throw InputError(option + ": give at least one level");
  for (double level : o.levels) {
    if (o.kind == Perturbation::weight_noise || o.kind == Perturbation::kick) {
      if (!(level >= 0.0 && std::isfinite(level)))
        throw InputError(fmt::format("{}: {} {} must be finite and >= 0", option,
                                     o.kind == Perturbation::kick ? "a kick's size" : "sigma", level));
    } else if (!(level >= 0.0 && level <= 1.0)) {
      throw InputError(fmt::format("{}: fraction {} is outside [0, 1]", option, level));
    }
  }
  if (o.trials < 1) throw InputError(fmt::format("--trials {}: needs at least 1 trial", o.trials));
  if (o.kind == Perturbation::prune && (o.by == PruneBy::excitatory || o.by == PruneBy::inhibitory))
    require_dale(net, to_string(o.by), "--by");
  if (o.kind == Perturbation::ablate_units && o.units != UnitGroup::any) require_dale(net, to_string(o.units), "--units");
}

PerturbationCurve perturbation_curve(const Network& net, const Task& task, const PerturbationOptions& o) {
  const std::string option = o.kind == Perturbation::prune          ? "--prune"
                             : o.kind == Perturbation::ablate_units ? "--ablate-units"
                             : o.kind == Perturbation::kick         ? "--kick"
                                                                    : "--weight-noise";
  check_perturbation(net, o, option);
  if (net.inputs() != task.n_inputs() || net.outputs() != task.n_outputs())
    throw InputError(fmt::format("the network has {} input(s) and {} output(s) but task {} has {} and {}",
                                 net.inputs(), net.outputs(), task.name(), task.n_inputs(), task.n_outputs()));
  PerturbationCurve c;
  c.kind = o.kind;
  c.method = o.kind == Perturbation::prune          ? to_string(o.by)
             : o.kind == Perturbation::ablate_units ? to_string(o.units)
             : o.kind == Perturbation::kick         ? "random_direction"
                                                    : "gaussian";
  c.levels = o.levels;
  c.trials = o.trials;
  c.seed = o.seed;
  c.has_spectrum = o.spectrum;
  const Eigen::Index k = static_cast<Eigen::Index>(o.levels.size());
  c.accuracy.resize(k);
  c.loss.resize(k);
  c.removed.resize(k);
  if (o.spectrum) {
    c.spectral_radius_w_rec.resize(k);
    c.spectral_radius_step_map.resize(k);
  }
  c.candidates = static_cast<long>(net.w_rec.size());
  Eigen::MatrixXd directions;  // a kick's: one per trial, shared by every level
  if (o.kind == Perturbation::kick) {
    c.candidates = net.units();
    c.kick_step = kick_step(net, task, o.kick_at_ms);
    c.kick_ms = c.kick_step * net.dt;
    directions = kick_directions(net, o.trials, o.seed);
  }
  for (Eigen::Index l = 0; l < k; ++l) {
    const double level = o.levels[static_cast<std::size_t>(l)];
    Damage damage;
    Network damaged;
    switch (o.kind) {
      case Perturbation::prune: damaged = prune_connections(net, level, o.by, o.seed, &damage); break;
      case Perturbation::ablate_units: damaged = ablate_units(net, level, o.units, o.seed, &damage); break;
      case Perturbation::weight_noise: damaged = add_weight_noise(net, level, o.seed); break;
      case Perturbation::kick: damaged = net; break;
    }
    if (o.kind == Perturbation::prune || o.kind == Perturbation::ablate_units) c.candidates = damage.candidates;
    c.removed(l) = static_cast<double>(damage.removed);
    const Evaluation e = o.kind == Perturbation::kick
                             ? evaluate_kicked(net, task, o.trials, o.seed, level, c.kick_step, directions, o.loss_kind)
                             : evaluate(damaged, task, o.trials, o.seed, {}, o.loss_kind);
    c.accuracy(l) = e.accuracy;
    c.loss(l) = e.loss;
    if (o.spectrum) {
      // An ablated unit's zero row and column would add the eigenvalue 0 to
      // W_rec and 1 - a to the step map: the radii are of the survivors.
      std::vector<int> keep;
      for (int i = 0; i < damaged.units(); ++i)
        if (!std::binary_search(damage.ablated_units.begin(), damage.ablated_units.end(), i)) keep.push_back(i);
      Network survivors = damaged;
      if (static_cast<int>(keep.size()) != damaged.units()) survivors.w_rec = submatrix(damaged.w_rec, keep);
      const Eigen::VectorXd origin = Eigen::VectorXd::Zero(survivors.units());
      c.spectral_radius_w_rec(l) = spectral_radius(survivors.w_rec);
      c.spectral_radius_step_map(l) =
          keep.empty() ? std::numeric_limits<double>::quiet_NaN() : spectral_radius(jacobian_state(survivors, origin));
    }
  }
  return c;
}

}  // namespace rnnlab

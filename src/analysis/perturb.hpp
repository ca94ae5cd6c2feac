#pragma once
// Damage and perturbation (Jarne & Laje 2019, "graceful degradation"):
// damaged copies of a network and the accuracy curve over the damage level
// (docs/perturbation.md).
//
//   prune          set a fraction of W_rec's connections (its nonzero
//                  entries) to zero: the smallest |w| first (magnitude), in
//                  a seeded random order (random), or in a seeded random
//                  order among the connections from excitatory or from
//                  inhibitory units (columns with sign +1 / -1; needs Dale's law).
//   ablate units   remove a fraction of the units (any, or among the E or I
//                  units): the unit's row and column of W_rec, its W_in row,
//                  W_out column, bias and initial state are set to zero. Its
//                  rate then reaches nothing (the same, for everything else,
//                  as clamping the rate to 0) and its own state stays at 0,
//                  so the network is the smaller network of the survivors for
//                  every activation (softplus has phi(0) != 0, but a zero
//                  column carries nothing).
//   weight noise   W_rec + sigma * rms(W_rec) * Z, Z with N(0, 1) entries
//                  (every entry, rms over all N^2 entries).
//   kick           the weights stay; the state of every trial is displaced
//                  once, at a chosen step t_k, by epsilon z: z a random unit
//                  vector (Euclidean norm 1, uniform in direction, one per
//                  trial), epsilon in the state's units. The step after t_k
//                  runs from x_{t_k} + epsilon z. Tests whether the network's
//                  memory at t_k (e.g. mid-delay) is an attractor that pulls
//                  the state back, and how far.
//
// The levels of one curve share their randomness: one random order of the
// connections (or units) and one Z per network, so level f removes the first
// round(f n) of the same order and the curve is monotone in the damage done
// rather than a fresh draw per level. Every level is scored on the same
// fresh trials, those of `rnnlab eval --trials T --seed S` (train/evaluate.hpp),
// so level 0 reproduces eval's accuracy exactly (for a kick too: a kick of 0
// adds nothing).
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "model/network.hpp"
#include "tasks/task.hpp"
#include "train/evaluate.hpp"


namespace rnnlab {

enum class Perturbation { prune, ablate_units, weight_noise, kick };
enum class PruneBy { magnitude, random, excitatory, inhibitory };
enum class UnitGroup { any, excitatory, inhibitory };

std::string to_string(Perturbation p);  // "prune", "ablate_units", "weight_noise", "kick"
std::string to_string(PruneBy by);      // "magnitude", ...
std::string to_string(UnitGroup g);     // "any", ...
// Parse the names above; InputError naming `option` and the choices otherwise.
PruneBy parse_prune_by(const std::string& name, const std::string& option = "--by");
UnitGroup parse_unit_group(const std::string& name, const std::string& option = "--units");

// ---- damaged copies (level 0 returns the network unchanged) -----------------

// How much a damaged copy lost.
struct Damage {
  long removed = 0;      // connections pruned or units ablated (0 for noise)
  long candidates = 0;   // how many could have been: connections or units in the group
  std::vector<int> ablated_units;  // ascending (ablation only)
};

// `fraction` in [0, 1] of the candidate connections; the seed orders them
// (unused for magnitude). InputError for excitatory/inhibitory without Dale's law.
Network prune_connections(const Network& net, double fraction, PruneBy by, std::uint64_t seed,
                          Damage* damage = nullptr);
// `fraction` in [0, 1] of the units of `group`, in a seeded random order.
Network ablate_units(const Network& net, double fraction, UnitGroup group, std::uint64_t seed,
                     Damage* damage = nullptr);
// W_rec + sigma * rms(W_rec) * Z, sigma >= 0; Z drawn from the seed.
Network add_weight_noise(const Network& net, double sigma, std::uint64_t seed);

// The step a kick at `kick_at_ms` (ms from the trial start; < 0: the middle
// of the trial) falls on for `task` at the network's dt; InputError naming
// --kick-at if it is outside the trial.
int kick_step(const Network& net, const Task& task, double kick_at_ms);
// Loss and accuracy on eval's trials (train/evaluate.hpp) with every trial's
// state displaced by epsilon * z_b at step `step`; `directions` (N x trials)
// holds the unit vectors z_b. epsilon = 0 is evaluate() exactly.
Evaluation evaluate_kicked(const Network& net, const Task& task, int trials, std::uint64_t seed, double epsilon,
                           int step, const Eigen::MatrixXd& directions, LossKind loss_kind = LossKind::mse);
// `trials` random unit vectors of the network's dimension, drawn from the seed.
Eigen::MatrixXd kick_directions(const Network& net, int trials, std::uint64_t seed);

// ---- the degradation curve ----------------------------------------------------

struct PerturbationOptions {
  Perturbation kind = Perturbation::prune;
  PruneBy by = PruneBy::magnitude;      // prune only
  UnitGroup units = UnitGroup::any;     // ablate_units only
  std::vector<double> levels;           // fractions in [0, 1] (prune, ablate), sigmas >= 0 (noise), norms >= 0 (kick)
  double kick_at_ms = -1;               // kick only: ms from the trial start; < 0: the middle of the trial
  int trials = 512;                     // evaluation trials per level
  std::uint64_t seed = 1;               // evaluation trials (as eval's --seed) and the damage
  bool spectrum = false;                // also the spectral radii of each damaged network
  LossKind loss_kind = LossKind::mse;   // the network's train.loss: the curve's loss is the one it was trained on
};

struct PerturbationCurve {
  Perturbation kind = Perturbation::prune;
  std::string method;                   // to_string(by), to_string(units), "gaussian" or "random_direction"
  std::vector<double> levels;
  Eigen::VectorXd accuracy, loss;       // the task's rule and the masked training loss (options.loss_kind) on the fresh trials
  Eigen::VectorXd removed;              // connections pruned / units ablated per level (0 for noise)
  long candidates = 0;                  // connections / units the fractions are of (N^2 for noise, N for a kick)
  int kick_step = -1;                   // kick only: the step displaced (kick_ms = kick_step * dt)
  double kick_ms = 0;
  int trials = 0;
  std::uint64_t seed = 0;
  bool has_spectrum = false;
  // Spectral radius of the damaged W_rec and of its step map at the origin,
  // J(0) = (1-a) I + a W_rec diag(phi'(0)) (per step; as the spectrum
  // analysis's linearised_origin), over the surviving units for an ablation.
  Eigen::VectorXd spectral_radius_w_rec, spectral_radius_step_map;
};

// The group of `kind` under /networks/<id>/analysis/perturbation/: "prune_<by>",
// "ablate_units_<group>", "weight_noise" or "kick", so curves of different methods sit side by side.
std::string perturbation_group_name(const PerturbationOptions& options);

// Checks the options (levels in range, trials > 0, Dale's law where the
// method needs it) for `net`; InputError naming the option (`option`, e.g. "--prune").
void check_perturbation(const Network& net, const PerturbationOptions& options, const std::string& option);

// The curve of one network on `task` (its inputs and outputs must fit).
PerturbationCurve perturbation_curve(const Network& net, const Task& task, const PerturbationOptions& options);

}  // namespace rnnlab

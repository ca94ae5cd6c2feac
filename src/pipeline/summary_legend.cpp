#include "pipeline/summary_legend.hpp"

#include <fmt/format.h>

#include "analysis/attractor.hpp"
#include "analysis/jarne_class.hpp"

namespace rnnlab {

namespace {

// What each attractor type means (definitions: docs/dynamics.md "Attractors").
std::string words(AttractorType a) {
  switch (a) {
    case AttractorType::fixed_point: return "comes to rest at a fixed point (a memory state)";
    case AttractorType::limit_cycle: return "oscillates with one period (a closed orbit)";
    case AttractorType::quasi_periodic: return "oscillates without ever repeating exactly (no single period, not chaotic)";
    case AttractorType::chaos: return "chaotic: nearby states separate (positive Lyapunov exponent)";
    case AttractorType::unsettled: return "still changing at the end of the run (neither of the above yet)";
  }
  return "";
}

// Jarne's classes (docs/dynamics.md "Jarne's classes"): the spectrum at the
// origin and the activity during the delay agree on the label, else mixed.
std::string words(JarneClass c) {
  switch (c) {
    case JarneClass::oscillatory: return "a growing mode at rest rotates, and single trials oscillate in the delay";
    case JarneClass::mixed: return "the spectrum and the delay activity disagree, or either is in between";
    case JarneClass::ramping: return "the rest state is stable or barely rotates, and single trials ramp (monotone) in the delay";
  }
  return "";
}

}  // namespace

std::string run_summary_legend() {
  std::string out = "How to read this (docs/dynamics.md):\n";
  out += "  census table: one row per group (the whole ensemble, or each sweep point and then \"all networks\");\n"
         "  the numbers count networks. Left alone (zero input, from the end of a trial) a network\n";
  for (AttractorType a : attractor_types()) out += fmt::format("    {:<22} {}\n", to_string(a), words(a));
  out += "  Jarne's class of its dynamics:\n";
  for (JarneClass c : jarne_classes())
    out += fmt::format("    {:<22} {}\n", "jarne:" + to_string(c), words(c));
  out += fmt::format("    {:<22} {}\n", "families",
                     "solution families: networks grouped by similar dynamics (k-means on their signatures;\n"
                     "                           silhouette, -1 to 1: how well the families separate)");
  out += "  network lines:\n";
  const char* const terms[][2] = {
      {"N", "number of units"},
      {"rho", "spectral radius of W_rec: its size, not a stability test"},
      {"step map at the origin", "J0 = (1 - a) I + a W_rec phi'(0), a = dt/tau: how one step of dt ms moves a state near rest"},
      {"unstable mode", "an eigenvalue l of J0 with |l| > 1: activity along it grows (|l| < 1: decays)"},
      {"leading |l|", "the largest |l| of J0, per step"},
      {"e-fold in T ms", "the time for the leading mode to grow (or decay) by a factor e = 2.718"},
      {"oscillates at F Hz", "the leading mode rotates (a complex eigenvalue): its frequency"},
      {"Henrici", "departure of W_rec from normality, 0 (normal) to 1: transient amplification"},
      {"fixed points", "states the network stays at, at the stated constant input (stable: attract; saddle:"},
      {"", "attract along some directions, repel along others; unstable: repel; marginal: |l| = 1)"},
      {"slow points", "states that move slowly but do not stop (below the speed threshold)"},
      {"local minima of q", "places where the search stalled moving too fast to matter (q = |F(x) - x|^2 / 2)"},
      {"outliers", "points farther from every start than outlier_factor (default 2) times the starts' spread (flagged, kept)"},
      {"starts", "initial states of the search, drawn from the task trajectories (or a box without a task)"},
  };
  for (const auto& t : terms) out += fmt::format("    {:<22} {}\n", t[0], t[1]);
  return out;
}

}  // namespace rnnlab

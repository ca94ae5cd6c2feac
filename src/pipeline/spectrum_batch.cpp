// pipeline/spectrum_batch.hpp: every network's spectrum, on threads.
#include "pipeline/spectrum_batch.hpp"

#include <algorithm>
#include <exception>
#include <thread>

#include "util/thread_pool.hpp"

namespace rnnlab {

SpectrumResult weights_spectrum(const Network& net, const std::optional<ModelSpec>& spec) {
  SpectrumResult result;
  result.spectrum = recurrent_spectrum(net);
  result.theory = spectrum_theory(net, result.spectrum, spec);
  // From W_rec's eigenvalues: no second eigendecomposition (spectrum.hpp).
  result.linearised_origin = linearised_spectrum_at_origin(net, result.spectrum);
  return result;
}

namespace {

// The network's model spec (what the initialiser promised), from its sweep point,
// when the file's config is known.
std::optional<ModelSpec> spec_of(const NetworkRecord& rec, const std::optional<ExperimentConfig>& config) {
  if (config && rec.sweep_point < static_cast<int>(config->points.size())) return config->at(rec.sweep_point).model;
  return std::nullopt;
}

// One half of a network's analysis: its trained weights (with their
// statistics when there are no initial ones), or its initial weights and the
// change from them. Returns why it failed, or "".
std::string analyse_part(const NetworkRecord& rec, const std::optional<ModelSpec>& spec, bool initial_part,
                         NetworkSpectrum& result) {
  try {
    SpectrumAnalysis& a = result.analysis;
    if (!initial_part) {
      a.trained = weights_spectrum(rec.trained, spec);
      if (rec.initial.w_rec.size() == 0) a.weight_stats.trained = weight_stats(rec.trained, rec.mask_rec);
    } else if (rec.initial.w_rec.size() > 0) {
      // The spec describes the initial weights; beside the trained ones it
      // shows how far training moved the spectrum from what the initialiser promised.
      a.initial = weights_spectrum(rec.initial, spec);
      const WeightChange change = weight_change(rec.initial, rec.trained, rec.mask_rec);
      a.weight_stats.initial = change.initial;
      a.weight_stats.trained = change.trained;
      a.weight_stats.change = change;
    }
    return "";
  } catch (const std::exception& e) {
    // A solver that does not converge fails this network, not the file.
    return std::string("the spectrum computation failed: ") + e.what();
  }
}

}  // namespace

std::vector<NetworkSpectrum> compute_spectra(const Experiment& experiment,
                                             const std::optional<ExperimentConfig>& config, int threads) {
  const std::size_t count = experiment.networks.size();
  std::vector<NetworkSpectrum> results(count);
  std::vector<std::string> failures(2 * count);  // per job
  for (std::size_t i = 0; i < count; ++i) {
    results[i].seed = experiment.networks[i].seed;
    results[i].skipped = unusable_reason(experiment.networks[i]);
  }
  // Two jobs per network, its trained and its initial weights (each one
  // eigendecomposition and three SVDs), so that 2 x networks cores are used.
  // Every job writes only its own slots: the bits do not depend on threads.
  const int jobs = static_cast<int>(2 * count);
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ThreadPool pool(std::min(threads, std::max(jobs, 1)));
  pool.run(jobs, [&](int job) {
    const std::size_t i = static_cast<std::size_t>(job / 2);
    const NetworkRecord& rec = experiment.networks[i];
    if (!results[i].skipped.empty()) return;
    failures[static_cast<std::size_t>(job)] = analyse_part(rec, spec_of(rec, config), job % 2 == 1, results[i]);
  });
  for (std::size_t i = 0; i < count; ++i) {
    const std::string& failure = !failures[2 * i].empty() ? failures[2 * i] : failures[2 * i + 1];
    if (failure.empty()) continue;
    results[i] = NetworkSpectrum{};
    results[i].seed = experiment.networks[i].seed;
    results[i].skipped = failure;
  }
  return results;
}

}  // namespace rnnlab

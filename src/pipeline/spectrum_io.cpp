#include "pipeline/spectrum_io.hpp"

#include <fmt/format.h>

#include <H5Cpp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>

#include "analysis/dense_decompositions.hpp"
#include "analysis/linearise.hpp"
#include "pipeline/spectrum_batch.hpp"
#include "io/config.hpp"
#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "io/result_file.hpp"
#include "util/error.hpp"

namespace rnnlab {

namespace {

std::string format(const char* fmt, double a) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, a);
  return buf;
}

}  // namespace

int analyze_spectrum_file(const std::string& path, const std::function<void(const std::string&)>& log) {
  const Experiment experiment = read_experiment(path);
  // The spec says what the initialiser promised (circular-law radius etc.).
  // Imported networks have no config; a config this build cannot parse (an
  // unknown task, say) only costs the spec-based theory, not the analysis.
  // In a sweep each network's spec is its point's (a swept gain or size
  // changes what the initialiser promised).
  std::optional<ExperimentConfig> config;
  if (!experiment.config.empty()) {
    try {
      config = parse_config(experiment.config, path);
    } catch (const Error&) {
      config.reset();
    }
  }
  // Computed first, every network on its own threads (spectrum_batch.hpp), then written.
  const std::vector<NetworkSpectrum> results = compute_spectra(experiment, config);
  int skipped = 0;
  update_experiment(path, [&](H5::H5File& file) {
    for (const NetworkSpectrum& result : results) {
      if (!result.skipped.empty()) {
        ++skipped;
        if (log) log(fmt::format("network {}: spectrum skipped: {}", result.seed, result.skipped));
        continue;
      }
      H5::Group net_group = file.openGroup("networks/" + std::to_string(result.seed));
      H5::Group analysis = h5::require_group(net_group, "analysis");
      if (h5::exists(analysis, "spectrum")) analysis.unlink("spectrum");  // a rerun replaces the old result whole
      H5::Group g = analysis.createGroup("spectrum");
      const auto& d = spectrum_analysis_schema();
      write_result(g, d.schema(), d.write(result.analysis));
    }
  });
  return skipped;
}

std::string spectrum_summary(const Network& net) {
  if (net.w_rec.rows() == 0) return "N=0 (no recurrent weights)";
  return spectrum_summary(net, sorted_eigenvalues(net.w_rec));
}

std::string spectrum_summary(const Network& net, const Eigen::VectorXcd& eig) {
  const long n = static_cast<long>(net.w_rec.rows());
  if (n == 0) return "N=0 (no recurrent weights)";
  // Eigenvalues of W_rec only, once: the summary must stay quick for `rnnlab
  // info` on many networks. phi'(0) is the same for every unit, so the step
  // map at the origin J0 = (1 - a) I + a W_rec phi'(0) has the eigenvalues
  // (1 - a) + a phi'(0) lambda: stability is read there, not on W_rec.
  Eigen::VectorXd zero = Eigen::VectorXd::Zero(1), slope(1);
  apply_dphi(net.activation, zero, slope);
  // One tau per unit: J0 = I - diag(a) + diag(a) W_rec phi'(0) is no function of eig; its own eigenvalues.
  Eigen::VectorXcd step = net.per_unit_tau()
                              ? general_eigenvalues(jacobian_state(net, Eigen::VectorXd::Zero(n)))
                              : Eigen::VectorXcd(((1.0 - net.alpha) + net.alpha * slope(0) * eig.array()).matrix());
  std::sort(step.data(), step.data() + step.size(),
            [](std::complex<double> x, std::complex<double> y) { return std::abs(x) > std::abs(y); });
  const long unstable = (step.array().abs() > 1.0).count();
  const double f = net.w_rec.norm();
  const double henrici = f > 0 ? std::sqrt(std::max(0.0, f * f - eig.squaredNorm())) / f : 0.0;
  const std::complex<double> lead = step(0);
  const EigenMode mode = mode_of_step_eigenvalue(lead, net.alpha, net.dt);
  // The map multiplies the mode by |l| per step of dt ms: e-fold time dt / |ln |l||.
  const double log_modulus = std::log(std::abs(lead));
  std::string behaviour;
  if (log_modulus > 0)
    behaviour = "grows, e-fold in " + format("%.3g", net.dt / log_modulus) + " ms";
  else if (log_modulus < 0)
    behaviour = "decays, e-fold in " + format("%.3g", -net.dt / log_modulus) + " ms";
  else
    behaviour = "marginal";
  if (std::abs(lead.imag()) > 1e-12 * std::max(1.0, std::abs(lead)))
    behaviour += ", oscillates at " + format("%.3g", mode.frequency_hz) + " Hz";
  return "N=" + std::to_string(n) + " rho=" + format("%.3f", std::abs(eig(0))) + " (W_rec's spectral radius)" +
         "; step map at the origin: " + std::to_string(unstable) + " unstable mode" + (unstable == 1 ? "" : "s") +
         ", leading |l| " + format("%.4f", std::abs(lead)) + " (" + behaviour + ")" + "; Henrici " +
         format("%.2f", henrici);
}

namespace {

// The eigenvalues of `rec`'s trained W_rec that `analyze --spectrum` stored
// in `file`, if they are there and still describe these weights: as many as
// N, finite, and stored beside the Frobenius norm these weights have (a file
// retrained or edited since would differ). Anything else: none.
std::optional<Eigen::VectorXcd> stored_eigenvalues(const H5::H5File& file, const NetworkRecord& rec) {
  const std::string at = "networks/" + std::to_string(rec.seed) + "/analysis/spectrum/trained";
  try {
    if (!h5::exists(file, at + "/eigenvalues")) return std::nullopt;
    const H5::Group g = file.openGroup(at);
    if (!h5::has_attr(g, "frobenius_norm") || h5::read_string_attr(g, "matrix") != "w_rec") return std::nullopt;
    const double stored_norm = h5::read_double_attr(g, "frobenius_norm"), norm = rec.trained.w_rec.norm();
    if (!(std::abs(stored_norm - norm) <= 1e-9 * std::max(1.0, norm))) return std::nullopt;
    if (h5::shape(g, "eigenvalues") != std::vector<hsize_t>{static_cast<hsize_t>(rec.trained.units())})
      return std::nullopt;
    Eigen::VectorXcd eig = h5::read_complex_vector(g, "eigenvalues");
    if (!eig.allFinite()) return std::nullopt;
    // Written sorted by |l| descending; sorted again so a hand-written file cannot mislead.
    std::stable_sort(eig.data(), eig.data() + eig.size(),
                     [](std::complex<double> x, std::complex<double> y) { return std::abs(x) > std::abs(y); });
    return eig;
  } catch (const H5::Exception&) {
    return std::nullopt;  // a damaged cache is recomputed, not trusted
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace

std::vector<std::string> spectrum_summaries(const std::string& path, const Experiment& experiment) {
  std::vector<std::optional<Eigen::VectorXcd>> stored(experiment.networks.size());
  {
    std::lock_guard lock(h5_lock());
    try {
      const H5::H5File file(path, H5F_ACC_RDONLY);
      for (std::size_t i = 0; i < stored.size(); ++i) stored[i] = stored_eigenvalues(file, experiment.networks[i]);
    } catch (const H5::Exception&) {
      // Unreadable now (replaced since it was read): every line is computed or explained below.
    }
  }
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    const Network& net = experiment.networks[i].trained;
    if (net.w_rec.rows() == 0) {
      lines.push_back(spectrum_summary(net));
    } else if (!net.w_rec.allFinite()) {
      lines.push_back("W_rec has non-finite entries: no spectrum");
    } else if (stored[i]) {
      lines.push_back(spectrum_summary(net, *stored[i]));
    } else if (net.w_rec.rows() <= kSummaryComputeLimit) {
      lines.push_back(spectrum_summary(net));
    } else {
      lines.push_back(fmt::format("N={} (not stored: `rnnlab analyze {} --spectrum` computes and stores it)",
                                  net.w_rec.rows(), path));
    }
  }
  return lines;
}

}  // namespace rnnlab

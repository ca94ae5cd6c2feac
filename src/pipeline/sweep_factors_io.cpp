#include "pipeline/sweep_factors_io.hpp"

#include <H5Cpp.h>
#include <fmt/format.h>

#include <cmath>
#include <complex>
#include <mutex>

#include "io/experiment_file.hpp"
#include "io/h5.hpp"

namespace rnnlab {

namespace {

double attr_or_nan(const H5::H5Object& obj, const std::string& name) {
  return h5::has_attr(obj, name) ? h5::read_double_attr(obj, name) : std::nan("");
}

// The stored value of one named signature feature (analysis/dynamics/signature
// with signature_names beside it), NaN when absent.
double signature_feature(const H5::Group& dynamics, const std::string& name) {
  if (!h5::exists(dynamics, "signature") || !h5::exists(dynamics, "signature_names")) return std::nan("");
  const std::vector<std::string> names = h5::read_strings(dynamics, "signature_names");
  const Eigen::VectorXd values = h5::read_vector(dynamics, "signature");
  for (std::size_t i = 0; i < names.size() && static_cast<Eigen::Index>(i) < values.size(); ++i)
    if (names[i] == name) return values(static_cast<Eigen::Index>(i));
  return std::nan("");
}

}  // namespace

std::vector<SweepRow> sweep_rows_from_file(const std::string& path) {
  const Experiment experiment = read_experiment(path);
  std::vector<SweepRow> rows;
  std::lock_guard lock(h5_lock());
  H5::H5File file(path, H5F_ACC_RDONLY);
  for (const NetworkRecord& rec : experiment.networks) {
    if (rec.sweep_point < 0) continue;
    SweepRow row;
    row.network = static_cast<int>(rec.seed);
    row.seed = rec.sweep_seed;
    row.factors = rec.sweep;
    const double accuracy = rec.curves.val_accuracy.empty() ? std::nan("") : rec.curves.val_accuracy.back();
    double j0_modulus = std::nan(""), j0_unstable = std::nan(""), henrici = std::nan(""), stable = std::nan("");
    double lyapunov = std::nan(""), dimensionality = std::nan("");
    double held_2x = std::nan(""), held_5x = std::nan("");  // accuracy with the memory period 2x, 5x as long
    row.labels.push_back({"status", rec.status});
    const std::string analysis = fmt::format("networks/{}/analysis", rec.seed);
    if (h5::exists(file.openGroup("/"), analysis + "/spectrum/trained")) {
      const H5::Group s = file.openGroup(analysis + "/spectrum/trained");
      henrici = attr_or_nan(s, "henrici_departure");
    }
    if (h5::exists(file.openGroup("/"), analysis + "/dynamics")) {
      const H5::Group d = file.openGroup(analysis + "/dynamics");
      j0_modulus = std::abs(std::complex<double>(attr_or_nan(d, "origin_leading_re"), attr_or_nan(d, "origin_leading_im")));
      j0_unstable = attr_or_nan(d, "origin_unstable_modes");
      lyapunov = attr_or_nan(d, "leading_lyapunov_per_tau");
      dimensionality = attr_or_nan(d, "participation_ratio");
      stable = signature_feature(d, "stable_points");
      if (h5::exists(d, "memory")) {
        const H5::Group m = d.openGroup("memory");
        const Eigen::VectorXd factor = h5::read_vector(m, "factor"), accuracy = h5::read_vector(m, "accuracy");
        for (Eigen::Index k = 0; k < factor.size() && k < accuracy.size(); ++k) {
          if (factor(k) == 2.0) held_2x = accuracy(k);
          if (factor(k) == 5.0) held_5x = accuracy(k);
        }
      }
      if (h5::has_attr(d, "attractor")) row.labels.push_back({"attractor", h5::read_string_attr(d, "attractor")});
      if (h5::has_attr(d, "family_key")) row.labels.push_back({"family", h5::read_string_attr(d, "family_key")});
    }
    row.measures = {{"accuracy", accuracy},
                    {"held_accuracy_2x", held_2x},
                    {"held_accuracy_5x", held_5x},
                    {"j0_leading_modulus", j0_modulus},
                    {"j0_unstable_modes", j0_unstable},
                    {"henrici", henrici},
                    {"stable_points", stable},
                    {"leading_lyapunov_per_tau", lyapunov},
                    {"participation_ratio", dimensionality}};
    rows.push_back(std::move(row));
  }
  return rows;
}

void write_sweep_factors(const std::string& path, const std::vector<SweepRow>& rows,
                         const std::vector<FactorTest>& tests) {
  update_experiment(path, [&](H5::H5File& file) {
    H5::Group root = file.openGroup("/");
    H5::Group analysis = h5::require_group(root, "analysis");
    if (h5::exists(analysis, "sweep_factors")) analysis.unlink("sweep_factors");  // a rerun replaces it whole
    H5::Group g = h5::require_group(analysis, "sweep_factors");
    h5::write_attr(g, "networks_csv", sweep_rows_csv(rows));
    h5::write_attr(g, "tests_csv", factor_tests_csv(tests));
  });
}

}  // namespace rnnlab

#include "dynamics_options.hpp"

#include <functional>
#include <map>
#include <string>

#include "util/error.hpp"

namespace rnnlab::py_bind {

namespace py = pybind11;

namespace {

// One setter per key; each checks its own range.
using Setter = std::function<void(const py::handle&)>;

void apply(const py::dict& d, const std::map<std::string, Setter>& setters, const char* what) {
  for (const auto& [k, v] : d) {
    const std::string key = k.cast<std::string>();
    const auto it = setters.find(key);
    if (it == setters.end()) {
      std::string keys;
      for (const auto& [name, _] : setters) keys += (keys.empty() ? "" : ", ") + name;
      throw InputError(std::string("unknown ") + what + " option '" + key + "' (options: " + keys + ")");
    }
    try {
      it->second(v);
    } catch (const py::cast_error&) {
      throw InputError(std::string(what) + " option " + key + " = " + py::repr(v).cast<std::string>() +
                       " has the wrong type");
    }
  }
}

Setter integer(int& field, const std::string& key, int min) {
  return [&field, key, min](const py::handle& v) {
    if (py::isinstance<py::bool_>(v) || !py::isinstance<py::int_>(v))
      throw InputError(key + " must be an integer, got " + py::repr(v).cast<std::string>());
    const long x = v.cast<long>();
    if (x < min) throw InputError(key + " = " + std::to_string(x) + " is out of range: must be >= " + std::to_string(min));
    field = static_cast<int>(x);
  };
}

Setter real(double& field, const std::string& key, double min, double max) {
  return [&field, key, min, max](const py::handle& v) {
    const double x = v.cast<double>();
    if (!(x >= min && x <= max))
      throw InputError(key + " = " + py::repr(v).cast<std::string>() + " is out of range: must be in [" +
                       py::repr(py::float_(min)).cast<std::string>() + ", " +
                       py::repr(py::float_(max)).cast<std::string>() + "]");
    field = x;
  };
}

Setter seed(std::uint64_t& field, const std::string& key) {
  return [&field, key](const py::handle& v) {
    if (py::isinstance<py::bool_>(v) || !py::isinstance<py::int_>(v) || v.cast<long long>() < 0)
      throw InputError(key + " must be an integer >= 0, got " + py::repr(v).cast<std::string>());
    field = v.cast<std::uint64_t>();
  };
}

constexpr double kBig = 1e300;

void add_lyapunov(std::map<std::string, Setter>& s, LyapunovOptions& o, const std::string& prefix) {
  s[prefix + "exponents"] = integer(o.exponents, prefix + "exponents", 0);
  s[prefix + "transient"] = integer(o.transient, prefix + "transient", 0);
  s[prefix + "steps"] = integer(o.steps, prefix + "steps", 1);
}

void add_attractor(std::map<std::string, Setter>& s, AttractorOptions& o, const std::string& prefix) {
  s[prefix + "transient"] = integer(o.transient, prefix + "transient", 0);
  // The autocorrelation needs lags up to half the window.
  s[prefix + "window"] = integer(o.window, prefix + "window", 8);
  s["fixed_point_tolerance"] = real(o.fixed_point_tolerance, "fixed_point_tolerance", 0, kBig);
  s["match_distance"] = real(o.match_distance, "match_distance", 0, kBig);
  s["chaos_threshold"] = real(o.chaos_threshold, "chaos_threshold", 0, kBig);
  s["chaos_agreement"] = real(o.chaos_agreement, "chaos_agreement", 0, kBig);
  s["return_tolerance"] = real(o.return_tolerance, "return_tolerance", 0, kBig);
  s["sustained_ratio"] = real(o.sustained_ratio, "sustained_ratio", 0, kBig);
}

}  // namespace

LyapunovOptions lyapunov_options(const py::dict& d) {
  LyapunovOptions o;
  std::map<std::string, Setter> s;
  add_lyapunov(s, o, "");
  s["seed"] = seed(o.seed, "seed");
  s["log_det"] = [&o](const py::handle& v) { o.log_det = v.cast<bool>(); };
  apply(d, s, "lyapunov");
  return o;
}

AttractorOptions attractor_options(const py::dict& d) {
  AttractorOptions o;
  std::map<std::string, Setter> s;
  add_attractor(s, o, "");
  apply(d, s, "attractor");
  return o;
}

DynamicsOptions dynamics_options(const py::dict& d) {
  DynamicsOptions o;
  std::map<std::string, Setter> s;
  s["trials"] = integer(o.trials, "trials", 1);
  s["autonomous_steps"] = integer(o.autonomous_steps, "autonomous_steps", 0);
  s["seed"] = seed(o.seed, "seed");
  s["condition"] = [&o](const py::handle& v) { o.condition = v.cast<std::string>(); };
  s["delay_start"] = real(o.delay_start, "delay_start", 0, 1);
  s["delay_end"] = real(o.delay_end, "delay_end", 0, 1);
  s["pcs"] = integer(o.pcs, "pcs", 1);
  s["fixed_point_starts"] = integer(o.fixed_point_starts, "fixed_point_starts", 1);
  s["trajectory_starts"] = integer(o.trajectory_starts, "trajectory_starts", 0);
  s["random_starts"] = integer(o.random_starts, "random_starts", 0);
  s["similarity_columns"] = integer(o.similarity_columns, "similarity_columns", 0);
  s["threads"] = integer(o.threads, "threads", 0);
  add_lyapunov(s, o.lyapunov, "lyapunov_");
  s["lyapunov_seed"] = seed(o.lyapunov.seed, "lyapunov_seed");
  add_attractor(s, o.attractor, "attractor_");
  s["jarne_spectral_oscillatory"] = real(o.jarne.spectral_oscillatory, "jarne_spectral_oscillatory", 0, 1);
  s["jarne_spectral_mixed"] = real(o.jarne.spectral_mixed, "jarne_spectral_mixed", 0, 1);
  s["jarne_peak_to_median"] = real(o.jarne.peak_to_median, "jarne_peak_to_median", 0, kBig);
  s["jarne_min_cycles"] = real(o.jarne.min_cycles, "jarne_min_cycles", 0, kBig);
  s["jarne_ramp_correlation"] = real(o.jarne.ramp_correlation, "jarne_ramp_correlation", 0, 1);
  apply(d, s, "dynamics");
  if (o.delay_start >= o.delay_end)
    throw InputError("delay_start = " + std::to_string(o.delay_start) + " must be below delay_end = " +
                     std::to_string(o.delay_end) + " (fractions of the trial)");
  return o;
}

ClusterOptions cluster_options(const py::dict& d) {
  ClusterOptions o;
  std::map<std::string, Setter> s;
  s["max_k"] = integer(o.max_k, "max_k", 2);
  s["min_silhouette"] = real(o.min_silhouette, "min_silhouette", -1, 1);
  s["iterations"] = integer(o.iterations, "iterations", 1);
  apply(d, s, "census");
  return o;
}

}  // namespace rnnlab::py_bind

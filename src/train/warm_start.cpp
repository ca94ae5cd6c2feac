#include "train/warm_start.hpp"

#include <cmath>
#include <fmt/format.h>

#include "io/experiment_file.hpp"
#include "util/error.hpp"

namespace rnnlab {

namespace {

constexpr const char* kKey = "train.init_from";

}  // namespace

InitFrom parse_init_from(const std::string& value) {
  const auto colon = value.rfind(':');
  const std::string digits = colon == std::string::npos ? "" : value.substr(colon + 1);
  const bool number = !digits.empty() && digits.size() <= 19 &&
                      digits.find_first_not_of("0123456789") == std::string::npos;
  if (colon == 0 || !number)
    throw InputError(fmt::format("{} = \"{}\": expected \"FILE.h5:N\", an experiment file and the number of one of "
                                 "its networks (as `rnnlab info FILE.h5` lists them), e.g. \"run.h5:1\"",
                                 kKey, value));
  return {value.substr(0, colon), std::stoull(digits)};
}

InitialModel warm_start(const ExperimentConfig& config, const InitialModel& drawn) {
  const InitFrom from = parse_init_from(config.train.init_from);
  const std::string where = fmt::format("{} = \"{}\"", kKey, config.train.init_from);
  const Experiment source = [&] {
    try {
      return read_experiment(from.path);
    } catch (const InputError& e) {
      throw InputError(fmt::format("{}: {}", where, e.what()));
    }
  }();
  const NetworkRecord* rec = nullptr;
  std::string seeds;
  for (const NetworkRecord& r : source.networks) {
    if (r.seed == from.network) rec = &r;
    seeds += (seeds.empty() ? "" : ", ") + std::to_string(r.seed);
  }
  if (!rec)
    throw InputError(fmt::format("{}: '{}' has no network {} (it has {})", where, from.path, from.network,
                                 seeds.empty() ? "none" : seeds));
  if (const std::string why = unusable_reason(*rec); !why.empty())
    throw InputError(fmt::format("{}: network {} cannot be started from: {}", where, from.network, why));
  const Network& net = rec->trained;
  const ModelSpec& m = config.model;
  if (net.units() != m.units || net.inputs() != m.inputs || net.outputs() != m.outputs)
    throw InputError(fmt::format("{}: network {} has {} units, {} inputs and {} outputs, but this config's model has "
                                 "{} (model.units), {} and {} (from the task)",
                                 where, from.network, net.units(), net.inputs(), net.outputs(), m.units, m.inputs,
                                 m.outputs));
  if (net.per_unit_tau() && !config.train.learn_tau)
    throw InputError(fmt::format("{}: network {} has learned time constants (one tau per unit); set "
                                 "train.learn_tau = true to start from them",
                                 where, from.network));
  if (net.per_unit_tau() && net.dt != m.dt)
    throw InputError(fmt::format("{}: network {} has dt = {:g} ms, but this config has model.dt = {:g}", where,
                                 from.network, net.dt, m.dt));
  if (net.activation != m.activation ||
      (!net.per_unit_tau() && std::abs(net.alpha - m.alpha()) > 1e-12 * m.alpha()))
    throw InputError(fmt::format("{}: network {} has activation {} and alpha = dt/tau = {:g}, but this config has "
                                 "{} and {:g} (model.activation, model.dt / model.tau)",
                                 where, from.network, to_string(net.activation), net.alpha, to_string(m.activation),
                                 m.alpha()));
  if (m.dale != (net.sign.size() > 0))
    throw InputError(fmt::format("{}: network {} was trained {} Dale's law but model.dale = {}", where, from.network,
                                 net.sign.size() > 0 ? "with" : "without", m.dale));

  InitialModel model = drawn;
  Constraints& c = model.constraints;
  if (m.dale) c.sign = net.sign;
  if (rec->mask_rec.size() > 0) c.mask_rec = rec->mask_rec;
  // Parameters whose constrained weights are the source's: magnitudes under Dale.
  model.theta = static_cast<const Weights<double>&>(net);
  // Its learned time constants continue from where they were: theta_i = log(tau_i / model.tau).
  if (net.per_unit_tau()) model.theta.log_tau = (net.unit_tau / m.tau).array().log().matrix();
  if (m.dale) model.theta.w_rec = net.w_rec.cwiseAbs();
  const Weights<double> effective = c.effective(model.theta);
  const Weights<double>& wanted = net;
  const char* changed = effective.w_rec != wanted.w_rec   ? "w_rec (its connectivity mask or Dale signs)"
                        : effective.w_in != wanted.w_in   ? "w_in (model.input_nonnegative)"
                        : effective.w_out != wanted.w_out ? "w_out (model.readout_excitatory)"
                        : effective.b != wanted.b         ? "b (model.bias = false)"
                                                          : nullptr;
  if (changed)
    throw InputError(fmt::format("{}: network {} does not satisfy this config's constraints: {} would change; use "
                                 "the [model] constraints it was trained with",
                                 where, from.network, changed));
  return model;
}

InitialModel initial_model(const ExperimentConfig& config, std::uint64_t seed) {
  InitialModel model = initialise(config.model, seed);
  if (!config.train.init_from.empty()) model = warm_start(config, model);
  // train.learn_tau: every unit starts at model.tau (theta = 0, model/time_constants.hpp).
  if (config.train.learn_tau && model.theta.log_tau.size() == 0)
    model.theta.log_tau = Eigen::VectorXd::Zero(config.model.units);
  return model;
}

void check_init_from(const ExperimentConfig& config) {
  if (config.sweep.empty()) {
    if (!config.train.init_from.empty()) warm_start(config, initialise(config.model, config.train.seed));
    return;
  }
  for (const ExperimentConfig& point : config.points) check_init_from(point);
}

}  // namespace rnnlab

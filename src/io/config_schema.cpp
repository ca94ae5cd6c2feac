// The keys of the fixed sections. docs/config.md documents each one; keep the
// two in step (same order, same defaults, same ranges).
#include "io/config_schema.hpp"

#include <algorithm>
#include <climits>

namespace rnnlab::config_detail {

namespace {

constexpr double kIntMax = INT_MAX;

template <class S>
Field<S> int_field(std::string key, int S::*member, Range range) {
  return {std::move(key),
          [member, range](S& s, const toml::node& n, const std::string& k, const std::string& o) {
            const std::int64_t value = read_integer(n, k, o, range);
            // The member is an int: re-check with the upper end shown, so the message says why.
            if (value > INT_MAX) read_integer(n, k, o, interval(range.lo, range.lo_open, kIntMax, false));
            s.*member = static_cast<int>(value);
          },
          [member](const S& s) { return std::to_string(s.*member); }};
}

template <class S>
Field<S> real_field(std::string key, double S::*member, Range range) {
  return {std::move(key),
          [member, range](S& s, const toml::node& n, const std::string& k, const std::string& o) {
            s.*member = read_real(n, k, o, range);
          },
          [member](const S& s) { return format_real(s.*member); }};
}

template <class S>
Field<S> bool_field(std::string key, bool S::*member) {
  return {std::move(key),
          [member](S& s, const toml::node& n, const std::string& k, const std::string& o) {
            s.*member = read_bool(n, k, o);
          },
          [member](const S& s) { return std::string(s.*member ? "true" : "false"); }};
}

template <class S>
Field<S> string_field(std::string key, std::string S::*member) {
  return {std::move(key),
          [member](S& s, const toml::node& n, const std::string& k, const std::string& o) {
            s.*member = read_string(n, k, o);
          },
          [member](const S& s) { return format_string(s.*member); }};
}

// An enumeration whose names are to_string(E(0)), to_string(E(1)), ...
template <class S, class E>
Field<S> enum_field(std::string key, E S::*member, int count) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) names.push_back(to_string(static_cast<E>(i)));
  return {std::move(key),
          [member, names](S& s, const toml::node& n, const std::string& k, const std::string& o) {
            s.*member = static_cast<E>(read_choice(n, k, o, names));
          },
          [member](const S& s) { return format_string(to_string(s.*member)); }};
}

template <class S>
Field<S> choice_list_field(std::string key, std::vector<std::string> S::*member, std::vector<std::string> allowed) {
  return {std::move(key),
          [member, allowed](S& s, const toml::node& n, const std::string& k, const std::string& o) {
            s.*member = read_choice_list(n, k, o, allowed);
          },
          [member](const S& s) {
            std::vector<std::string> quoted;
            for (const auto& name : s.*member) quoted.push_back(format_string(name));
            std::string text = "[";  // appended, not "[" + ... + "]": that trips GCC 12's -Wrestrict false positive
            text += join(quoted);
            text += "]";
            return text;
          }};
}

const Range kNonNegative = at_least(0);
const Range kPositive = above(0);

}  // namespace

const std::vector<Field<ModelSpec>>& model_fields() {
  using M = ModelSpec;
  static const std::vector<Field<M>> fields = {
      int_field("units", &M::units, at_least(1)),
      enum_field("activation", &M::activation, 6),
      real_field("dt", &M::dt, kPositive),
      // tau >= dt is checked after the section is read: it involves two keys.
      real_field("tau", &M::tau, kPositive),
      // 0 means dt; dt <= tau_min <= tau is checked after the section is read.
      real_field("tau_min", &M::tau_min, kNonNegative),
      enum_field("init", &M::init, 4),
      real_field("gain", &M::gain, kNonNegative),
      real_field("spectral_radius", &M::spectral_radius, kNonNegative),
      real_field("mu_e", &M::mu_e, any_finite()),
      real_field("mu_i", &M::mu_i, any_finite()),
      real_field("sigma_e", &M::sigma_e, kNonNegative),
      real_field("sigma_i", &M::sigma_i, kNonNegative),
      bool_field("balance", &M::balance),
      bool_field("zero_row_sums", &M::zero_row_sums),
      real_field("input_gain", &M::input_gain, kNonNegative),
      real_field("x0_std", &M::x0_std, kNonNegative),
      bool_field("bias", &M::bias),
      enum_field("x0", &M::x0, 3),
      real_field("sigma_rec", &M::sigma_rec, kNonNegative),
      real_field("sigma_in", &M::sigma_in, kNonNegative),
      bool_field("dale", &M::dale),
      real_field("e_fraction", &M::e_fraction, interval(0, true, 1, true)),
      bool_field("input_nonnegative", &M::input_nonnegative),
      bool_field("readout_excitatory", &M::readout_excitatory),
      real_field("connectivity", &M::connectivity, interval(0, true, 1, false)),
      bool_field("autapses", &M::autapses),
      choice_list_field("freeze", &M::freeze, {"w_in", "w_rec", "w_out", "b", "b_out", "x0"}),
  };
  return fields;
}

const std::vector<Field<TrainSpec>>& train_fields() {
  using T = TrainSpec;
  static const std::vector<Field<T>> fields = {
      int_field("iterations", &T::iterations, at_least(1)),
      int_field("batch", &T::batch, at_least(1)),
      real_field("learning_rate", &T::learning_rate, kPositive),
      enum_field("loss", &T::loss, static_cast<int>(loss_names().size())),
      real_field("beta1", &T::beta1, interval(0, false, 1, true)),
      real_field("beta2", &T::beta2, interval(0, false, 1, true)),
      real_field("epsilon", &T::epsilon, kPositive),
      real_field("clip", &T::clip, kNonNegative),
      real_field("l2_weights", &T::l2_weights, kNonNegative),
      real_field("l2_rates", &T::l2_rates, kNonNegative),
      real_field("target_loss", &T::target_loss, kNonNegative),
      int_field("validate_every", &T::validate_every, at_least(1)),
      int_field("validation_trials", &T::validation_trials, at_least(1)),
      int_field("checkpoint_every", &T::checkpoint_every, at_least(0)),
      // The seed is 64-bit; TOML integers are signed 64-bit, so 0 .. 2^63 - 1.
      {"seed",
       [](T& t, const toml::node& n, const std::string& k, const std::string& o) {
         t.seed = static_cast<std::uint64_t>(read_integer(n, k, o, at_least(0)));
       },
       [](const T& t) { return std::to_string(t.seed); }},
      bool_field("learn_tau", &T::learn_tau),
      // Checked (file, network, shapes) before training: train/warm_start.hpp.
      string_field("init_from", &T::init_from),
  };
  return fields;
}

const std::vector<Field<EnsembleSpec>>& ensemble_fields() {
  using E = EnsembleSpec;
  static const std::vector<Field<E>> fields = {
      int_field("seeds", &E::seeds, at_least(1)),
      int_field("threads", &E::threads, at_least(0)),
  };
  return fields;
}

const std::vector<Field<OutputSpec>>& output_fields() {
  static const std::vector<Field<OutputSpec>> fields = {
      string_field("path", &OutputSpec::path),
  };
  return fields;
}

}  // namespace rnnlab::config_detail

// Regenerating a network's initial weights from its config and seed
// (io/initial_weights.hpp).
#include "io/initial_weights.hpp"

#include <cstring>
#include <fmt/format.h>

#include "model/init.hpp"

namespace rnnlab {

namespace {

// Every array of a weight set, in one fixed order (the checksum's).
template <class F>
void for_each_array(const Network& net, F&& f) {
  f(net.w_in.data(), net.w_in.rows(), net.w_in.cols());
  f(net.w_rec.data(), net.w_rec.rows(), net.w_rec.cols());
  f(net.w_out.data(), net.w_out.rows(), net.w_out.cols());
  f(net.b.data(), net.b.rows(), Eigen::Index{1});
  f(net.b_out.data(), net.b_out.rows(), Eigen::Index{1});
  f(net.x0.data(), net.x0.rows(), Eigen::Index{1});
  f(net.sign.data(), net.sign.rows(), Eigen::Index{1});
}

}  // namespace

bool initial_regenerable(const ExperimentConfig& config) {
  const ModelSpec& m = config.model;
  return config.train.init_from.empty() && !m.dale && !(m.spectral_radius > 0) &&
         (m.init == InitKind::normal || m.init == InitKind::ei);
}

Network regenerate_initial(const ExperimentConfig& config, std::uint64_t seed) {
  const InitialModel init = initialise(config.model, seed);
  return to_network(config.model, init.constraints, init.theta);
}

std::string weights_checksum(const Network& net) {
  std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a offset basis
  const auto add = [&](const void* bytes, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(bytes);
    for (std::size_t i = 0; i < size; ++i) hash = (hash ^ p[i]) * 1099511628211ULL;  // FNV prime
  };
  for_each_array(net, [&](const double* data, Eigen::Index rows, Eigen::Index cols) {
    const std::int64_t shape[2] = {rows, cols};
    add(shape, sizeof shape);
    add(data, static_cast<std::size_t>(rows * cols) * sizeof(double));
  });
  return fmt::format("{:016x}", hash);
}

bool same_bits(const Network& a, const Network& b) {
  const auto same = [](const auto& x, const auto& y) {
    return x.rows() == y.rows() && x.cols() == y.cols() &&
           (x.size() == 0 || std::memcmp(x.data(), y.data(), static_cast<std::size_t>(x.size()) * sizeof(double)) == 0);
  };
  return same(a.w_in, b.w_in) && same(a.w_rec, b.w_rec) && same(a.w_out, b.w_out) && same(a.b, b.b) &&
         same(a.b_out, b.b_out) && same(a.x0, b.x0) && same(a.sign, b.sign) && a.alpha == b.alpha && a.dt == b.dt &&
         a.activation == b.activation;
}

}  // namespace rnnlab

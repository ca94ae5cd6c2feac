#pragma once
// Random numbers that depend only on what they are for.
//
// Every draw in rnnlab comes from a stream named by (seed, purpose, index):
// the training batch of iteration k of network `seed` is Rng::stream(seed,
// Purpose::train, k). So a network's result does not depend on threads, on
// the other networks of an ensemble, or on where a resumed run restarted.
// std::mt19937_64 and std::seed_seq are specified exactly by the standard;
// the normal draw is our own Box-Muller so that no library's distribution
// code (which the standard leaves unspecified) changes the numbers.
#include <cmath>
#include <cstdint>
#include <random>

namespace rnnlab {

enum class Purpose : std::uint64_t { init = 1, train = 2, validation = 3, eval = 4, analysis = 5, user = 6 };

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  static Rng stream(std::uint64_t seed, Purpose purpose, std::uint64_t index = 0) {
    std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                      static_cast<std::uint32_t>(purpose), static_cast<std::uint32_t>(index),
                      static_cast<std::uint32_t>(index >> 32)};
    Rng rng(0);
    rng.engine_.seed(seq);
    return rng;
  }

  // Uniform on [0, 1), 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [lo, hi], both included.
  long uniform_int(long lo, long hi) {
    return lo + static_cast<long>(uniform() * static_cast<double>(hi - lo + 1));
  }
  bool bernoulli(double p) { return uniform() < p; }
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = 1.0 - uniform();  // (0, 1]: log is finite
    const double u2 = uniform();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    spare_ = radius * std::sin(2.0 * M_PI * u2);
    has_spare_ = true;
    return radius * std::cos(2.0 * M_PI * u2);
  }
  double normal(double mean, double sd) { return mean + sd * normal(); }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace rnnlab

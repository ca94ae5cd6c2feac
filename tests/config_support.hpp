#pragma once
// Helpers shared by the tests that parse configs or interrupt training.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "io/config.hpp"
#include "train/progress.hpp"
#include "util/error.hpp"

namespace rnnlab::testing_support {

inline ExperimentConfig parse(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return parse_config(text, "config.toml", overrides);
}

// The InputError message of parsing `text`, or a test failure if it parses.
inline std::string error_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    parse(text, overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an InputError for:\n" << text;
  return "";
}

// A progress sink that "kills" the run: throws once a network passes an iteration.
struct KillAt : ProgressSink {
  long at;
  explicit KillAt(long iteration) : at(iteration) {}
  void update(std::uint64_t, long iteration, double, double) override {
    if (iteration >= at) throw std::runtime_error("killed");
  }
  void finished(std::uint64_t, const std::string&, const std::string&) override {}
};

}  // namespace rnnlab::testing_support
